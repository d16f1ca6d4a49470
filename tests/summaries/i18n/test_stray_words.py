"""No word a person reads bypasses the catalogues: the builders, commands, templates and the
messages of the domain that reach a reader are checked for prose outside ``_()``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.summaries.i18n.straywords import ROOT, python_strays, template_strays

# Modules whose text no reader of Slack, the digest or the command line sees: the storage
# layer and its migrations, the catalogue tooling, metrics and log set-up, the HTTP gate's
# answers to machines, and the chart-font probe that only logs.
OUTSIDE = ("summaries/store/", "summaries/i18n/", "bot/metrics.py", "bot/logs.py",
           "bot/probe.py", "bot/gate.py", "bot/settings.py", "summaries/digest/fonts.py",
           # The outbox's failure reasons: kept with each row and logged, for operators.
           "bot/outbox/")
# Literals that look like prose to the check and are not: each with the reason.
ALLOWED: dict[str, set[str]] = {
    # YAML's tag URIs, compared with each node's tag; never shown as prose.
    "summaries/config/yamlsource.py": {f"tag:yaml.org,2002:{name}" for name in (
        "str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge")},
    # Header words a pasted sheet's first row may have, compared after folding; not shown.
    "summaries/imports/figurerows.py": {"kpi name", "kpi key"},
    # An HTTP header and its auth scheme; why a download failed, which only the log says.
    "bot/uploads/download.py": {"Authorization", "Bearer ", "the file's address is not on Slack",
                                "more than   bytes"},
    # HTTP status lines, headers and JSON error codes the server answers machines with.
    "bot/server.py": {"400 Bad Request", "413 Request Entity Too Large", "404 Not Found",
                      "503 Service Unavailable", "not found", "Content-Type", "Content-Length"},
    # matplotlib's name of a legend position; a data URI's scheme.
    "summaries/digest/charts.py": {"lower left"},
    "summaries/digest/render/html.py": {"data:image/png;base64,"},
    # A name in __all__; the demo manifest's mark for a path that is not a file (never shown).
    "bot/cli/base.py": {"Handler"},
    "bot/cli/demo/folder.py": {"not a regular file"},
    # What the English example's people type and ask in the demo (user content, like
    # summaries/example/answers-*.yaml); the Chinese example's are beside them.
    "bot/cli/demo/script.py": {
        "renewal discount", "second account manager", "roadshow vans", "local tariff package",
        "overtime pay", "fee waiver", "group packages", "churn key-accounts", "revenue trend",
        "Approved for renewals signed before the end of the year; report what it kept in "
        "December's summary.",
        "No new headcount this year: Marketing lends you one person for the park's campaign.",
        "We take it to the pricing committee in November; send the estates' figures.",
        "Unicom signed three more estates in October; the estates' figures are in this "
        "month's plan.",
        "Approved: waive October's monthly fee for the households the fibre cut took offline."},
}


def _python_modules() -> list[Path]:
    found = sorted([*ROOT.glob("bot/**/*.py"), *ROOT.glob("summaries/**/*.py")])
    return [p for p in found if not any(
        p.relative_to(ROOT).as_posix().startswith(prefix) for prefix in OUTSIDE)]


def _templates() -> list[Path]:
    return sorted([*ROOT.glob("bot/templates/*.j2"), *ROOT.glob("summaries/digest/render/*.j2")])


@pytest.mark.parametrize("path", _python_modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_python_prose_goes_through_the_catalogue(path):
    allowed = ALLOWED.get(path.relative_to(ROOT).as_posix(), set())
    strays = [(line, text) for line, text in python_strays(path) if text not in allowed]
    assert not strays, "\n".join(f"{path.name}:{line}: {text!r}" for line, text in strays)


@pytest.mark.parametrize("path", _templates(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_template_prose_goes_through_the_catalogue(path):
    strays = list(template_strays(path))
    assert not strays, "\n".join(f"{path.name}:{line}: {text!r}" for line, text in strays)
