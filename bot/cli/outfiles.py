"""Files the command line writes (exports, digests, charts): checked first, written whole.

A link is never followed (an export must not overwrite whatever a link points at), a folder or
a missing folder gets a one-line message, and each file is written to a temporary name beside
it and then renamed, so a failure leaves no half-written file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from summaries.i18n import _


class OutputProblem(Exception):
    """A file cannot be written where it was asked; the message names it and why."""


def check_output(path: Path) -> None:
    """Refuse a path that is a link or a folder, or whose folder does not exist."""
    if path.is_symlink():
        raise OutputProblem(_("{path}: is a symbolic link; name the file itself (links are "
                              "not followed)", path=path))
    if path.is_dir():
        raise OutputProblem(_("{path}: is a folder; name a file to write", path=path))
    parent = path.parent
    if not parent.is_dir():
        raise OutputProblem(_("{path}: the folder {folder} does not exist", path=path,
                              folder=parent))


def write_outputs(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write each (path, content), after checking every path first."""
    for path, _content in files:
        check_output(path)
    for path, content in files:
        _write(path, content)


def _write(path: Path, content: bytes) -> None:
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".part")
    except OSError as exc:
        raise OutputProblem(_cannot_write(path, exc)) from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)  # a link put there meanwhile is replaced, not followed
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise OutputProblem(_cannot_write(path, exc)) from None


def _cannot_write(path: Path, exc: OSError) -> str:
    return _("{path}: cannot write: {reason}", path=path, reason=exc.strerror or exc)
