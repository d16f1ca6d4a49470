"""The digest's HTML page in a real browser: headless Chromium lays out a digest like the demo's
at a phone's 390 px and a desktop's 1280 px side by side, takes a screenshot, and a script in
the page reports what a reader would hit: sideways scrolling, and table columns out of reach.

Headless Chromium keeps its window at least 500 px wide, so the page is laid out in an
``<iframe>`` exactly as wide as the screen (``srcdoc``, so the probe may read it). Without
Chromium the tests are skipped, except under ``CI=true``, where that is a failure.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from summaries.digest.render import render_html
from tests.support.digestpage import blank_png, demo_like_digest

PHONE, DESKTOP = 390, 1280
TIMEOUT = 45  # seconds for the browser run; it takes about three


def chromium_binary() -> str | None:
    """Debian's Chromium, or whichever ``chromium`` is on the PATH."""
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else \
        shutil.which("chromium")


# Runs once everything has loaded, for each frame holding the page: the frame grows to the
# page's height (so no scrollbar narrows it), then every table is measured in its container.
PROBE = """<script>
function probe(frame) {
  const doc = frame.contentDocument, root = doc.documentElement;
  frame.style.height = root.scrollHeight + "px";
  const found = {viewport: root.clientWidth, pageWidth: root.scrollWidth, tables: [],
                 problems: []};
  doc.querySelectorAll("table").forEach((table, index) => {
    const name = `table ${index + 1} (${table.className || "plain"})`;
    const box = table.closest(".scroll") || table.parentElement;
    const boxRect = box.getBoundingClientRect();
    const scrolls = ["auto", "scroll"].includes(getComputedStyle(box).overflowX);
    const reach = scrolls ? box.scrollWidth : box.clientWidth;
    found.tables.push({name, display: getComputedStyle(table).display, scrolls,
                       overflow: box.scrollWidth - box.clientWidth});
    if (boxRect.left < -0.5 || boxRect.right > root.clientWidth + 0.5)
      found.problems.push(`${name}: its container spans ${boxRect.left}-${boxRect.right} px`);
    if (!scrolls && box.scrollWidth > box.clientWidth + 1)
      found.problems.push(`${name}: cut at ${box.clientWidth} of ${box.scrollWidth} px`);
    const columns = table.tHead ? table.tHead.rows[0].cells.length : null;
    for (const row of table.tBodies[0].rows) {
      const first = row.cells[0].textContent, cell = row.cells[row.cells.length - 1];
      if (columns !== null && row.cells.length !== columns)
        found.problems.push(`${name}: "${first}" has ${row.cells.length} of ${columns} cells`);
      const rect = cell.getBoundingClientRect(), style = getComputedStyle(cell);
      const left = rect.left - boxRect.left + box.scrollLeft;
      const right = rect.right - boxRect.left + box.scrollLeft;
      if (style.display === "none" || style.visibility === "hidden" || rect.width < 1)
        found.problems.push(`${name}: the last column of "${first}" is hidden`);
      else if (left < -0.5 || right > reach + 0.5)
        found.problems.push(`${name}: the last column of "${first}" (${left}-${right} px) ` +
                            `is out of reach (${reach} px)`);
      if (cell.scrollWidth > cell.clientWidth + 1)
        found.problems.push(`${name}: "${cell.textContent}" overflows its cell`);
    }
  });
  return found;
}
addEventListener("load", () => {
  const found = {};
  for (const frame of document.querySelectorAll("iframe")) found[frame.width] = probe(frame);
  document.getElementById("result").textContent = JSON.stringify(found);
});
</script>"""


@dataclass(frozen=True)
class Layout:
    """What the probe found at one width, and the screenshot showing the page at both."""

    width: int
    found: dict[str, Any]
    screenshot: Path


def frame_page(page: str, widths: tuple[int, ...]) -> str:
    """A page holding ``page`` side by side in frames as wide as ``widths``, and the probe."""
    document = html.escape(page, quote=True)
    frames = "".join(f'<iframe width="{width}" height="1600" title="digest at {width} px" '
                     f'style="border:0;background:#fff" srcdoc="{document}"></iframe>'
                     for width in widths)
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>probe</title></head>'
            '<body style="margin:0;background:#777">'
            f'<div style="display:flex;gap:10px;align-items:flex-start">{frames}</div>'
            f'<pre id="result"></pre>{PROBE}</body></html>')


def lay_out(chromium: str, wrapper: Path, window: int, screenshot: Path) -> dict[str, Any]:
    """Open ``wrapper`` in headless Chromium (a fresh profile, removed after), screenshot it
    and return the probe's findings; a browser that hangs is killed."""
    with tempfile.TemporaryDirectory() as profile:
        process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
             f"--window-size={window},1600", f"--screenshot={screenshot}", "--dump-dom",
             wrapper.as_uri()],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            start_new_session=True)
        try:
            out, _ = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            pytest.fail(f"Chromium took over {TIMEOUT} s to lay out the page")
    assert process.returncode == 0, f"Chromium failed (exit status {process.returncode})"
    found = re.search(r'<pre id="result">(.*?)</pre>', out, re.S)
    assert found is not None, "the probe did not run"
    assert found.group(1), "the probe found nothing"
    result: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return result


@pytest.fixture(scope="module")
def chromium() -> str:
    found = chromium_binary()
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is not installed, and CI=true needs the browser test: "
                        "install Debian's chromium package (.ci/run does where apt-get is)")
        pytest.skip("Chromium is not installed (apt-get install chromium): the digest's page "
                    "is not checked in a browser")
    return found


@pytest.fixture(scope="module")
def page() -> str:
    """The page with a chart wider than any screen: it must not widen the page."""
    return render_html(demo_like_digest(), chart=blank_png(2400, 900))


@pytest.fixture(scope="module")
def layouts(chromium: str, page: str, tmp_path_factory: pytest.TempPathFactory
            ) -> dict[int, Layout]:
    """The page laid out at both widths, in one browser run."""
    folder = tmp_path_factory.mktemp("browser")
    wrapper, screenshot = folder / "digest.html", folder / "digest.png"
    wrapper.write_text(frame_page(page, (PHONE, DESKTOP)), encoding="utf-8")
    found = lay_out(chromium, wrapper, PHONE + DESKTOP + 10, screenshot)
    return {width: Layout(width, found[str(width)], screenshot) for width in (PHONE, DESKTOP)}


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_page_is_laid_out_and_screenshot_at_each_width(
        layouts: dict[int, Layout], width: int) -> None:
    layout = layouts[width]
    assert layout.found["viewport"] == width
    png = layout.screenshot.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(png[16:20], "big") >= PHONE + DESKTOP  # both frames side by side
    assert len(png) > 50_000  # pages, not a blank window


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_page_never_scrolls_sideways_and_every_column_is_in_reach(
        layouts: dict[int, Layout], width: int) -> None:
    found = layouts[width].found
    assert found["pageWidth"] <= found["viewport"]
    assert len(found["tables"]) == 1 + 1 + 8  # headline, trend, a table per department
    assert found["problems"] == []


def test_kpi_tables_are_cards_on_a_phone_and_tables_on_a_desktop(
        layouts: dict[int, Layout]) -> None:
    phone, desktop = layouts[PHONE].found["tables"], layouts[DESKTOP].found["tables"]
    assert {t["display"] for t in phone if "kpis" in t["name"]} == {"block"}
    assert {t["display"] for t in desktop if "kpis" in t["name"]} == {"table"}
    assert all(t["overflow"] <= 0 for t in phone if "kpis" in t["name"])
    trend = next(t for t in phone if "trend" in t["name"])
    assert trend["scrolls"]  # a year of months scrolls sideways in its own box

