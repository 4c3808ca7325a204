"""Records of a WARC file as warcio reads them, and where reading can go on after damage."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

# Where a record can start: a gzip member (per-record gzip) or a WARC header line.
_RECORD_STARTS = (b"\x1f\x8b\x08", b"WARC/1.")
_SCAN_CHUNK = 1024 * 1024


class Records(ArchiveIterator):  # type: ignore[misc]
    """warcio's iterator without its multi-line stderr warning for a lying Content-Length:
    the reader reports that itself, in one line (``err_count`` still counts it)."""

    INC_RECORD = ""


def next_record_start(fh: IO[bytes], start: int) -> int | None:
    """The next offset at or after ``start`` where a readable record begins, or None."""
    position = start
    while True:
        fh.seek(position)
        chunk = fh.read(_SCAN_CHUNK + 8)
        if not chunk:
            return None
        hits = sorted(i for marker in _RECORD_STARTS for i in _find_all(chunk, marker) if i < _SCAN_CHUNK)
        for hit in hits:
            if _readable_at(fh, position + hit):
                return position + hit
        position += _SCAN_CHUNK


def _find_all(chunk: bytes, marker: bytes) -> Iterator[int]:
    i = chunk.find(marker)
    while i != -1:
        yield i
        i = chunk.find(marker, i + 1)


def _readable_at(fh: IO[bytes], offset: int) -> bool:
    """Whether a record's headers parse at ``offset`` (a marker inside data does not)."""
    fh.seek(offset)
    try:
        return next(iter(Records(fh)), None) is not None
    except (ArchiveLoadFailed, zlib.error, EOFError, ValueError):
        return False
