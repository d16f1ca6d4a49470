"""The example organization's October as the demo stores it, read as a digest in English
and, with ``organization.locale: zh``, in Chinese."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from summaries.config.loader import load_config
from summaries.config.schema import Config
from summaries.digest.model import Digest
from summaries.store.db import make_engine


def speaking_config(config: Config, locale: str, units: str = "auto") -> Config:
    """``config`` with the organization's language and compact units replaced."""
    organization = config.organization.model_copy(
        update={"locale": locale, "compact_units": units})
    return replace(config, organization=organization)


def demo_digest(folder: Path, locale: str = "en", units: str = "auto") -> Digest:
    """The demo's October 2026 for an organization that writes ``locale``."""
    from summaries.digest.load import load_digest

    config = speaking_config(load_config(str(folder / "checkin.yaml")), locale, units)
    engine = make_engine(f"sqlite:///{folder / 'demo.db'}")
    try:
        with Session(engine) as session:
            return load_digest(session, config, "2026-10", revisions=True)
    finally:
        engine.dispose()


def own_words(folder: Path) -> list[str]:
    """What the organization wrote itself, in English in the example: its names, units,
    section titles, answers, asks and replies, and the people's ids."""
    config = load_config(str(folder / "checkin.yaml"))
    digest = demo_digest(folder)
    words = [config.organization.name, *(d.name for d in config.departments),
             *(k.name for k in config.kpis), *(k.unit for k in config.kpis),
             *(s.title for s in config.sections), *(d.manager for d in config.departments),
             *config.organization.leaders, *config.organization.admins]
    for department in digest.departments:
        words += [text for _title, text in department.sections]
        words.append(department.skip_reason or "")
        for ask in (*department.asks, *department.carried):
            words += [ask.text, ask.assignee or ""]
            words += [part for event in ask.history for part in (event.text or "", event.by)]
    return words


@pytest.fixture(scope="session")
def chinese_digest(demo_folder: Path) -> Digest:
    return demo_digest(demo_folder, "zh")


@pytest.fixture(scope="session")
def english_digest(demo_folder: Path) -> Digest:
    return demo_digest(demo_folder, "en")
