"""The license ships as text, with the package, not only as a name in pyproject.toml."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_license_text_is_in_the_repository_and_the_package_metadata() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text
    assert "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "Apache-2.0"
    assert project["license-files"] == ["LICENSE"]
    assert "LICENSE" in (importlib.metadata.metadata("checkin").get_all("License-File") or [])
    # The image's build context carries it too (pyproject.toml names it).
    assert "!LICENSE" in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
