"""``checkin --help`` and every sub-command's ``--help`` start without the heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Help for every command, the commands found from the parser itself (so new ones are covered),
# then which heavy modules the process had to load.
PROBE = r"""
import argparse, contextlib, io, json, sys
from bot.cli.main import build_parser, main

def commands(parser, path=()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name)
                yield from commands(sub, (*path, name))

helped, failed = [], []
for argv in [[], *map(list, commands(build_parser()))]:
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            main([*argv, "--help"])
    except SystemExit as exc:
        (helped if exc.code == 0 and "usage:" in out.getvalue() else failed).append(argv)
    else:
        failed.append(argv)
heavy = sys.argv[1].split(",")
print(json.dumps({"helped": helped, "failed": failed,
                  "loaded": [m for m in heavy if m in sys.modules]}))
"""
# The acceptance: charts and spreadsheets are never needed to print help.
MUST_NOT_LOAD = ("matplotlib", "xlsxwriter")
# Also kept out today, and cheap to keep out: the database, Slack, metrics, migrations, templates.
SHOULD_NOT_LOAD = ("openpyxl", "sqlalchemy", "slack_bolt", "slack_sdk", "prometheus_client",
                   "alembic", "jinja2")


@pytest.fixture(scope="module")
def probe() -> dict[str, list[object]]:
    done = subprocess.run([sys.executable, "-c", PROBE, ",".join(MUST_NOT_LOAD + SHOULD_NOT_LOAD)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result: dict[str, list[object]] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_every_command_has_help(probe: dict[str, list[object]]) -> None:
    assert probe["failed"] == []
    helped = probe["helped"]
    for command in ([], ["serve"], ["cycle"], ["cycle", "open"], ["digest"], ["export"],
                    ["config", "check"], ["db", "upgrade"], ["targets", "import"]):
        assert command in helped


@pytest.mark.parametrize("module", MUST_NOT_LOAD)
def test_help_does_not_load_charts_or_spreadsheets(probe: dict[str, list[object]],
                                                   module: str) -> None:
    assert module not in probe["loaded"]


@pytest.mark.parametrize("module", SHOULD_NOT_LOAD)
def test_help_does_not_load_the_database_or_slack(probe: dict[str, list[object]],
                                                  module: str) -> None:
    assert module not in probe["loaded"]


def test_python_dash_m_bot_help() -> None:
    done = subprocess.run([sys.executable, "-m", "bot", "--help"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: checkin")
