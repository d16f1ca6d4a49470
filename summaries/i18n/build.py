"""Keep the catalogues in step with the code: extract, update, compile (``pybabel`` does the
same step by step; README, Languages). Run from the repository: ``python -m summaries.i18n.build``
extracts every marked message, adds new ones to each language's ``messages.po`` (merging any
translations waiting in ``--parts``), drops the ones the code no longer has, and compiles the
``.mo`` files the bot reads."""

from __future__ import annotations

import argparse
import os
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from summaries.i18n.catalogs import DIRECTORY, DOMAIN, LANGUAGES

ROOT = DIRECTORY.parents[2]
HEADER = "The words of the monthly check-in bot. See README, Languages."


def template(root: Path = ROOT) -> Catalog:
    """Every message the code and the templates mark, with where each is used."""
    with (root / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(project="checkin", header_comment=f"# {HEADER}", fuzzy=False)
    for path, line, message, comments, context in extract_from_dir(
            str(root), method_map, options_map, comment_tags=("Translators:",)):
        catalog.add(message, None, [(path, line)], auto_comments=comments, context=context)
    return catalog


def po_path(language: str) -> Path:
    return DIRECTORY / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(path: Path, language: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=language, project="checkin", header_comment=f"# {HEADER}",
                       fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def merge_parts(catalog: Catalog, parts: Path, language: str) -> int:
    """Translations from ``parts/<language>*.po`` the catalogue lacks or words otherwise."""
    taken = 0
    for part in sorted(parts.glob(f"{language}*.po")):
        for message in read(part, language):
            forms = message.string if isinstance(message.string, (list, tuple)) else (
                message.string,)
            if not message.id or not any(forms):
                continue
            found = catalog.get(message.id, context=message.context)
            if found is None:
                catalog[message.id] = message
            else:
                found.string, found.flags = message.string, found.flags - {"fuzzy"}
            taken += 1
    return taken


def _atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    spare = path.with_suffix(path.suffix + f".{os.getpid()}")
    spare.write_bytes(data)
    os.replace(spare, path)


def write(catalog: Catalog, language: str) -> None:
    """``messages.po`` (sorted, without source lines that churn) and its compiled ``.mo``."""
    po, mo = BytesIO(), BytesIO()
    write_po(po, catalog, width=100, sort_output=True, include_lineno=False,
             ignore_obsolete=True)
    write_mo(mo, catalog)
    _atomic(po_path(language), po.getvalue())
    _atomic(po_path(language).with_suffix(".mo"), mo.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m summaries.i18n.build", description=__doc__)
    parser.add_argument("--parts", type=Path, help="a folder of <language>-*.po translations")
    args = parser.parse_args(argv)
    source = template()
    for language in LANGUAGES:
        catalog = read(po_path(language), language)
        taken = merge_parts(catalog, args.parts, language) if args.parts else 0
        catalog.update(source, no_fuzzy_matching=True)
        write(catalog, language)
        missing = sum(1 for m in catalog if m.id and not m.string)
        print(f"{language}: {len(catalog)} messages, {taken} taken from parts, "
              f"{missing} untranslated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
