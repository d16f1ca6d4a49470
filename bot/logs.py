"""Logging set-up: text or JSON lines on standard error, with secrets redacted from every record."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO
from urllib.parse import unquote, urlsplit

from bot.settings import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "[redacted]"
# Slack tokens (bot, user, app-level, legacy, refresh) whatever their source, so one that
# reaches a log by a path nobody configured (an SDK's debug output, an exception) is hidden.
TOKEN = re.compile(r"\bxox(?:e\.xox)?[abeposr]-[0-9A-Za-z-]+|\bxapp-[0-9A-Za-z-]+")
# The password of any URL with credentials: scheme://user:password@host.
URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@]*:)([^\s@]+)(@)")
# Capability URLs: whoever holds one may answer a user (response_url) or upload a file as the
# bot (upload_url). The host and the kind stay readable; the rest goes.
CAPABILITY_URL = re.compile(
    r"(\bhttps?://[^\s/\"'<>]+/(?:commands|actions|response|upload|services)/)[^\s\"'<>,)]+")
# A trigger id (opens a modal as the user) and Slack's legacy verification token, by their
# key in JSON, Python reprs and form bodies; trigger ids also by their shape.
KEYED = re.compile(r"((?:\\?[\"'])?\b(?:trigger_id|token)(?:\\?[\"'])?\s*[:=]\s*(?:\\?[\"'])?)"
                   r"(?!\[redacted\])[^\s\"'\\&,}]+")
TRIGGER = re.compile(r"\b\d{3,}\.\d{3,}\.[0-9a-f]{16,}\b")
# A configured secret shorter than this is not looked for, so a test value such as "x" does
# not blank out every x in the logs.
MIN_SECRET = 4
# Where logs are in the quiet levels, these libraries' routine lines (a job run each minute)
# are left out.
CHATTY = ("apscheduler",)
# Attributes every LogRecord has; anything else came from ``extra=``.
RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "taskName"}


class Redactor(logging.Filter):
    """Replaces the configured secrets, any Slack token, capability URLs and ids, and URL
    passwords in each record."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        # Longest first, so a secret containing another is replaced whole.
        self.secrets = sorted({s for s in secrets if len(s) >= MIN_SECRET}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """``text`` with every secret replaced."""
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        text = TOKEN.sub(REDACTED, text)
        text = CAPABILITY_URL.sub(r"\1" + REDACTED, text)
        text = KEYED.sub(r"\1" + REDACTED, text)
        text = TRIGGER.sub(REDACTED, text)
        return URL_PASSWORD.sub(r"\1***\3", text)

    def filter(self, record: logging.LogRecord) -> bool:
        # The message is rendered once here, so no formatter can put an argument back in.
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        for key, value in list(vars(record).items()):
            if key not in RECORD_FIELDS:
                setattr(record, key, self._clean(value))
        return True

    def _clean(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, dict):
            return {k: self._clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._clean(v) for v in value]
        return value


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (ISO 8601, UTC), level, logger, message, and the rest."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC)
                            .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key in RECORD_FIELDS or key in entry or key.startswith("_"):
                continue
            try:
                json.dumps(value)
            except (TypeError, ValueError):
                continue  # an extra that is not JSON is left out rather than misquoted
            entry[key] = value
        return json.dumps(entry, ensure_ascii=False)


class StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to the standard error of the moment (tests replace ``sys.stderr``)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr  # the caller holds the handler's lock
        super().emit(record)


def secrets_of(settings: Settings) -> list[str]:
    """The secret values of ``settings``: Slack's tokens and secret, the database password."""
    found = [settings.slack_bot_token, settings.slack_signing_secret, settings.slack_app_token]
    try:
        password = urlsplit(settings.database_url).password
    except ValueError:
        password = None
    if password:
        found += [password, unquote(password)]
    return [s for s in found if s]


def configure_logging(settings: Settings, level: str | int | None = None) -> logging.Handler:
    """Send the process's logs to standard error in ``settings.log_format``, redacted.

    Replaces the handler an earlier call installed, so calling it again (tests run several
    commands in one process) leaves one handler. Returns the handler.
    """
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, StderrHandler)]:
        root.removeHandler(old)
    handler = StderrHandler()
    handler.setFormatter(JsonFormatter() if settings.log_format == "json"
                         else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(Redactor(secrets_of(settings)))
    root.addHandler(handler)
    root.setLevel(settings.log_level if level is None else level)
    quiet = logging.DEBUG if root.level <= logging.DEBUG else logging.WARNING
    for name in CHATTY:
        logging.getLogger(name).setLevel(quiet)
    return handler
