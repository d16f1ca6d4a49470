"""``checkin demo``: run as a new user would, then every promised file checked."""

from __future__ import annotations

import base64
import fnmatch
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from bot.cli.main import main
from tests.slackstandin import check_blocks, check_message
from tests.slackstandin.state import check_metadata

ROOT = Path(__file__).resolve().parents[3]
PNG = b"\x89PNG\r\n\x1a\n"


def checkin_command() -> list[str]:
    script = Path(sys.executable).parent / "checkin"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The demo run once by the console script, in a new folder, with unrelated settings
    in the environment (which it must not use)."""
    where = tmp_path_factory.mktemp("demo")
    command = checkin_command()
    env = {**os.environ, "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
           "CHECKIN_CONFIG": str(where / "missing.yaml"), "SLACK_BOT_TOKEN": ""}
    done = subprocess.run([*command, "demo"], cwd=where, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return where / "checkin-demo", done.stdout


def listed(stdout: str) -> list[str]:
    """The paths the demo says it wrote (the lines after ``Wrote …:``)."""
    block = stdout.split("\nWrote ", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in block.splitlines()[1:]]


def builder_files(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / "slack").rglob("*.json") if p.name != "messages.json")


def test_the_demo_names_its_folder_and_writes_every_file_it_lists(demo: tuple[Path, str]
                                                                     ) -> None:
    folder, stdout = demo
    assert f"Wrote {folder.name}/:" in stdout
    paths = listed(stdout)
    for promised in ("checkin.yaml", "demo.db", "digest.md", "digest.html", "slack/digest/",
                     "slack/managers/", "slack/kpi/", "slack/messages.json"):
        assert promised in paths
    assert any(p.startswith("charts/") and p.endswith(".png") for p in paths)
    for path in paths:
        found = folder / path
        assert found.exists(), path
        if found.is_dir():
            assert any(found.iterdir()), path
        elif path.endswith(".png"):
            assert found.read_bytes().startswith(PNG), path
    assert "Next:" in stdout
    assert "block-kit-builder" in stdout


def test_the_cycle_ran_on_its_schedule_and_the_digest_says_who_is_missing(
        demo: tuple[Path, str]) -> None:
    folder, stdout = demo
    steps = re.findall(r"\d{2}:\d{2}  (open|remind1|remind2|close) 2026-10", stdout)
    assert steps == ["open", "remind1", "remind2", "close"]
    assert stdout.count("submitted its summary") == 7
    assert "7 of 8 summaries submitted" in stdout
    markdown = (folder / "digest.md").read_text(encoding="utf-8")
    assert markdown.startswith("# October 2026 check-in digest · Northfield Telecom")
    assert "**7 of 8 departments submitted**" in markdown
    assert "## Not submitted (1)\n\n- Safety and Environment Office" in markdown
    assert "Key customer loss rate 3.40%: above the 3.00% limit *new*" in markdown
    chart = re.search(r"\]\(<(charts/[^>]+\.png)>\)", markdown)
    assert chart is not None
    assert (folder / chart.group(1)).read_bytes().startswith(PNG)
    html = (folder / "digest.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>")
    posted = base64.b64encode((folder / chart.group(1)).read_bytes()).decode("ascii")
    assert f'src="data:image/png;base64,{posted}"' in html  # the chart as posted, inside
    assert '<a href="#not-submitted">Not submitted (1)</a>' in html


def test_every_block_kit_file_pastes_into_the_builder_and_passes_slacks_checks(
        demo: tuple[Path, str]) -> None:
    folder, _ = demo
    files = builder_files(folder)
    assert len(files) >= 30
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert set(data) == {"blocks"}, path  # the shape Block Kit Builder takes
        assert data["blocks"], path
        assert check_blocks(data["blocks"], "message") == [], path
    # The header as posted at the close: marked against September, reminders counted.
    posted = (folder / "slack" / "digest" / "01-header.json").read_text(encoding="utf-8")
    assert "still open from September" in posted
    assert "Safety and Environment Office (2 reminders)" in posted
    assert "_new_" in posted
    assert "_worse_" in posted
    digest = sorted(p.name for p in (folder / "slack" / "digest").iterdir())
    assert digest[0] == "01-header.json"
    # The replies in the order of their worst problem: the complaints 40% over target first.
    assert digest[1:3] == ["02-customer-service.json", "03-customer-service-2.json"]
    assert {"04-key-accounts.json", "15-east-county-2.json"} <= set(digest)
    north = sorted(p.name for p in (folder / "slack" / "managers" / "north-county").iterdir())
    # North County's manager is away (the example's away:): its deputy got the prompt and
    # reminders and submitted, and the confirmation went to both.
    assert north == ["01-prompt.json", "02-reminder.json", "03-reminder-2.json",
                     "04-confirmation.json", "05-confirmation-2.json"]
    north_prompt = (folder / "slack" / "managers" / "north-county" / "01-prompt.json")
    assert "You act for <@U0NORTH>" in north_prompt.read_text(encoding="utf-8")
    safety = sorted(p.name for p in (folder / "slack" / "managers" / "safety").iterdir())
    assert "04-confirmation.json" not in safety
    assert "03-reminder-2.json" in safety


def test_the_demo_s_asks_show_every_state_and_september_s_carry_over(
        demo: tuple[Path, str]) -> None:
    folder, output = demo
    listed = (folder / "asks.md").read_text(encoding="utf-8")
    for state in ("| open |", "acknowledged by U0CEO", "assigned to U0DEPUTY", "decided by U0CEO",
                  "declined by U0CEO", "| withdrawn |"):
        assert state in listed, state
    history = (folder / "asks-history.csv").read_text(encoding="utf-8-sig")
    assert "withdraw,open,withdrawn" in history  # Customer Service, from October's form
    assert "update,acknowledged,acknowledged" in history  # North County's news
    header = (folder / "slack" / "digest" / "01-header.json").read_text(encoding="utf-8")
    assert "Still open from September (3)" in header  # the withdrawn one is gone
    assert "overtime pay" not in header
    assert "decided by <@U0CEO>" in header  # answered from the digest, updated in place
    markdown = (folder / "digest.md").read_text(encoding="utf-8")
    assert "Unicom signed three more estates in October" in markdown
    prompt = (folder / "slack" / "managers" / "north-county" / "01-prompt.json")
    assert "local tariff package" in prompt.read_text(encoding="utf-8")
    assert "Asks answered from the digest" in output


def test_the_messages_are_as_slack_received_them(demo: tuple[Path, str]) -> None:
    folder, _ = demo
    messages: list[dict[str, Any]] = json.loads(
        (folder / "slack" / "messages.json").read_text(encoding="utf-8"))
    posts = [m for m in messages if m["method"] == "chat.postMessage"]
    for message in posts:
        assert check_message(message) == [], message["ts"]
        check_metadata(message["metadata"])
    headers = [m for m in posts if m["metadata"]["event_type"] == "checkin_digest"]
    assert len(headers) == 1
    assert headers[0]["metadata"]["event_payload"] == {"period": "2026-10"}
    assert headers[0]["channel"] == "C0LEADERS"
    assert "thread_ts" not in headers[0]
    replies = [m for m in messages if m.get("thread_ts") == headers[0]["ts"]]
    assert any(m["method"] == "files.upload_v2" for m in replies)
    # Seven departments, each its problems and figures, then its written sections.
    assert len([m for m in replies if m["method"] == "chat.postMessage"]) == 14
    reminders = [m for m in posts if m["channel"] == "D0SAFE" and "thread_ts" in m]
    assert len(reminders) == 2  # in the prompt's thread, never in a channel


def test_the_next_steps_commands_work_on_the_demo_database(
        demo: tuple[Path, str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder, stdout = demo
    exported = re.search(r"export (DATABASE_URL=\S+) (CHECKIN_CONFIG=\S+)", stdout)
    assert exported is not None
    for pair in exported.groups():
        name, value = pair.split("=", 1)
        path = value.removeprefix("sqlite:///")
        absolute = path if Path(path).is_absolute() else str(folder.parent / path)
        monkeypatch.setenv(name, value.replace(path, absolute))
    assert main(["digest", "--period", "2026-10"]) == 0
    assert "**7 of 8 departments submitted**" in capsys.readouterr().out


def test_a_second_demo_replaces_the_first_and_a_folder_of_other_files_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    assert main(["demo", "--output", str(other)]) == 2
    assert "not a demo's" in capsys.readouterr().err
    assert sorted(p.name for p in other.iterdir()) == ["notes.txt"]

    folder = tmp_path / "again"
    assert main(["demo", "--output", str(folder)]) == 0
    # A file the demo did not write is never deleted (issue: the demo deleted user files).
    (folder / "slack" / "mine.json").write_text("{}")
    capsys.readouterr()
    assert main(["demo", "--output", str(folder)]) == 2
    assert "slack/mine.json" in capsys.readouterr().err
    assert (folder / "slack" / "mine.json").read_text() == "{}"
    (folder / "slack" / "mine.json").unlink()
    assert main(["demo", "--output", str(folder)]) == 0
    assert "7 of 8 summaries submitted" in capsys.readouterr().out


def test_the_package_ships_the_example_the_demo_reads() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = data["tool"]["setuptools"]["package-data"]["summaries"]
    example = ROOT / "summaries" / "example"
    for path in example.rglob("*"):
        if path.is_file() and path.name != "digest.png":  # the README's picture stays out
            relative = path.relative_to(ROOT / "summaries").as_posix()
            assert any(fnmatch.fnmatch(relative, p) for p in patterns), relative


def test_a_reader_that_stops_early_leaves_a_whole_demo_and_no_traceback(tmp_path: Path
                                                                          ) -> None:
    with subprocess.Popen([*checkin_command(), "demo"], cwd=tmp_path, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("checkin demo:")
        process.stdout.close()  # as `checkin demo | head -1` does
        _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert (tmp_path / "checkin-demo" / "slack" / "messages.json").is_file()


def test_an_edited_configuration_is_kept_and_named(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "demo"
    assert main(["demo", "--output", str(folder)]) == 0
    edited = (folder / "checkin.yaml").read_text() + "# my change\n"
    (folder / "checkin.yaml").write_text(edited)
    capsys.readouterr()
    assert main(["demo", "--output", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "checkin.yaml changed since the demo wrote it, and is kept" in err
    assert (folder / "checkin.yaml").read_text() == edited
    assert (folder / "digest.md").exists()  # nothing was removed either


def test_the_demo_never_follows_a_link_out_of_its_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep")
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "charts").symlink_to(outside, target_is_directory=True)
    assert main(["demo", "--output", str(folder)]) == 2
    assert (outside / "precious.txt").read_text() == "keep"
    link = tmp_path / "link"
    link.symlink_to(outside, target_is_directory=True)
    assert main(["demo", "--output", str(link)]) == 2
    assert sorted(p.name for p in outside.iterdir()) == ["precious.txt"]
