"""The demo's folder: what a run wrote is recorded with its content's hash, and a later run
removes only those files, unchanged; it never deletes what it did not write or what was edited.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from summaries.i18n import _, ngettext, pgettext

MANIFEST = ".checkin-demo.json"
DATABASE = "demo.db"
# The database and its journal files are the demo's to replace whatever they hold: commands
# run on the demo's database (as its printout suggests) change them.
DATABASE_FILES = frozenset({DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm",
                            f"{DATABASE}-journal"})


class FolderProblem(Exception):
    """The folder cannot take a demo without losing something; the message says why."""


def prepare(folder: Path) -> None:
    """Make ``folder`` ready: new, empty, or holding only an earlier demo's unchanged files
    (removed here). Anything else stops the demo before it writes or deletes a thing."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise FolderProblem(_("{folder}: exists and is not a folder; name another with "
                              "--output", folder=folder))
    if not folder.exists():
        folder.mkdir(parents=True)
        return
    recorded = _read_manifest(folder)
    present = _files(folder)
    foreign = sorted(p for p in present
                     if p not in recorded and p not in DATABASE_FILES and p != MANIFEST)
    if foreign:
        raise FolderProblem(_("{folder}: holds files that are not a demo's ({files}); name an "
                              "empty or new folder with --output", folder=folder,
                              files=_some(foreign)))
    edited = sorted(p for p, digest in recorded.items()
                    if p in present and _hash(folder / p) != digest)
    if edited:
        raise FolderProblem(_("{folder}: {files} changed since the demo wrote it, and is kept: "
                              "move it elsewhere, or name another folder with --output",
                              folder=folder, files=_some(edited)))
    for name in sorted(set(recorded) | (DATABASE_FILES & set(present))):
        path = folder / name
        if path.is_symlink() or path.is_file():
            path.unlink()
    for directory in sorted({p.parent for p in map(Path, recorded)}, key=lambda p: -len(p.parts)):
        for part in [directory, *directory.parents][:-1]:
            with contextlib.suppress(OSError):
                (folder / part).rmdir()  # only if empty: anything left there stays
    (folder / MANIFEST).unlink(missing_ok=True)


def record(folder: Path) -> None:
    """Remember every file the run wrote (the database aside), with its content's hash."""
    files = {p: _hash(folder / p) for p in _files(folder)
             if p not in DATABASE_FILES and p != MANIFEST}
    (folder / MANIFEST).write_text(json.dumps(files, indent=1, sort_keys=True) + "\n",
                                   encoding="utf-8")


def _read_manifest(folder: Path) -> dict[str, str]:
    path = folder / MANIFEST
    if path.is_symlink() or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if ".." not in Path(str(k)).parts}


def _files(folder: Path) -> set[str]:
    """Every entry below ``folder`` as a relative path; links are entries, never followed."""
    found: set[str] = set()
    for root, directories, names in os.walk(folder, followlinks=False):
        base = Path(root).relative_to(folder)
        for name in names:
            found.add(str(base / name))
        for name in directories:
            if (Path(root) / name).is_symlink():
                found.add(str(base / name))
    return found


def _hash(path: Path) -> str:
    if path.is_symlink() or not path.is_file():
        return "not a regular file"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _some(paths: list[str]) -> str:
    shown = pgettext("list separator", ", ").join(paths[:3])
    if len(paths) <= 3:
        return shown
    return ngettext("{files} and {n} more", "{files} and {n} more", len(paths) - 3,
                    files=shown)
