"""What `newsdedup import PATH` was given, told by content rather than by name: a web
archive is seen by its first bytes (gzip is opened that far), a sources file is TOML that
parses. A file of none of these kinds is one usage error naming what it holds."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from cli.common import fail

# A sources file is a few KB: a bigger text file is not read whole to find out.
_MAX_SOURCES_BYTES = 4 * 1024 * 1024
_PAGE_SUFFIXES = (".html", ".htm")

PathKind = Literal["sources", "archives", "pages"]


def path_kind(path: Path) -> PathKind:
    """``sources`` (a sources file, or a folder with sources.toml), ``archives`` (the
    archive spider: WARC/ARC files, a saved page, or a folder holding archives and pages)
    or ``pages`` (a folder of saved pages only); fails with exit status 2 otherwise."""
    from crawler.spiders.warc import holds_archives
    from pipelines.warc_records import ARCHIVE_KINDS, ARCHIVE_SUFFIXES, sniff

    if path.is_dir():
        if (path / "sources.toml").is_file():
            return "sources"
        return "archives" if holds_archives(path) else "pages"
    sniffed = sniff(path)
    named_archive = path.name.lower().endswith(ARCHIVE_SUFFIXES)
    if sniffed.kind in ARCHIVE_KINDS or sniffed.kind == "html" or (sniffed.kind == "damaged" and named_archive):
        return "archives"
    toml_error = _toml_error(path)
    # A file named .toml is a sources file with a mistake in it: load_sources names it.
    if toml_error is None or path.suffix.lower() == ".toml":
        return "sources"
    if named_archive:
        raise fail(f"{path}: not a WARC or ARC file: {sniffed.detail}", 2)
    if path.suffix.lower() in _PAGE_SUFFIXES:
        # Read as the saved page it is named; the import says why it stores nothing.
        return "archives"
    also = f" ({toml_error})" if toml_error else ""
    raise fail(f"{path}: not a web archive (WARC, ARC), an HTML page or a sources file: {sniffed.detail}{also}", 2)


def _toml_error(path: Path) -> str | None:
    """None for a file that parses as a non-empty TOML table, else why not ('' for binary)."""
    if path.stat().st_size > _MAX_SOURCES_BYTES:
        return "too large for a sources file"
    try:
        parsed = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return ""
    except tomllib.TOMLDecodeError as exc:
        return f"not valid TOML: {exc}"
    return None if parsed else "empty as TOML"
