"""Records of WARC and ARC files as warcio reads them, what a file is by its first bytes,
and where reading can go on after damage."""

from __future__ import annotations

import codecs
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader, ChunkedDataException, ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ARC2WARCHeadersParser
from warcio.statusandheaders import StatusAndHeadersParser, StatusAndHeadersParserException

ARCHIVE_KINDS = ("warc", "arc")
# Names a user gives archives; a file so named that is no archive is reported, not skipped.
ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
GZIP_MAGIC = b"\x1f\x8b"
# Enough of a file (decompressed, for gzip) to tell a WARC, an ARC and an HTML page apart.
_SNIFF_BYTES = 8192
# An ARC 1.0 URL record's header line: URL IP-address Archive-date Content-type Archive-length
# (the URL may hold spaces, so the fields are matched from the right, as warcio splits them).
_ARC_LINE = rb"[A-Za-z][A-Za-z0-9+.-]*:[^\r\n]* \S+ \d{8,14} \S+ \d+\r?\n"
_ARC_HEADER = re.compile(_ARC_LINE)
_ARC_HEADERS_AFTER_NEWLINE = re.compile(rb"\n(?=" + _ARC_LINE + rb")")
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body")
_SCAN_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What a file holds: ``kind`` is warc, arc, html, damaged (a gzip that does not
    decompress) or other; ``detail`` says it in words for an error line."""

    kind: str
    detail: str
    gzipped: bool = False


def sniff(path: Path) -> Sniffed:
    """What ``path`` is by its content, not its name: its first bytes, and for a gzip file
    the first bytes of its first member (decompressed only that far)."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(_SNIFF_BYTES)
    except OSError as exc:
        return Sniffed("other", f"cannot be read: {exc.strerror or exc}")
    if not raw:
        return Sniffed("other", "an empty file")
    if not raw.startswith(GZIP_MAGIC):
        return _sniff_head(raw, gzipped=False)
    try:
        head = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(raw, _SNIFF_BYTES)
    except zlib.error as exc:
        return Sniffed("damaged", f"a gzip member that does not decompress: {exc}", gzipped=True)
    if not head:
        return Sniffed("damaged", "a gzip member cut short before any data", gzipped=True)
    return _sniff_head(head, gzipped=True)


def _sniff_head(head: bytes, *, gzipped: bool) -> Sniffed:
    gz = "gzipped " if gzipped else ""
    # warcio passes over blank lines before the first record; so do we.
    start = head.lstrip(b"\r\n")
    if start.startswith(b"WARC/"):
        return Sniffed("warc", f"a {gz}WARC file", gzipped)
    if start.startswith(b"filedesc://") or _ARC_HEADER.match(start):
        return Sniffed("arc", f"{'a gzipped' if gzipped else 'an'} ARC file", gzipped)
    text = _as_text(head)
    if text is None:
        return Sniffed("other", f"{gz}binary data", gzipped)
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    if lowered.startswith("<") and any(m.decode() in lowered for m in _HTML_MARKERS):
        return Sniffed("html", f"a {gz}HTML page", gzipped)
    words = " ".join(text.split())
    snippet = words if len(words) <= 40 else words[:40] + "…"
    return Sniffed("other", f"{gz}plain text ({snippet!r})" if words else f"{gz}blank text", gzipped)


def _as_text(head: bytes) -> str | None:
    """The head decoded as text (UTF-16 by its BOM, else UTF-8), or None for binary data."""
    encoding = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
    try:
        # Incremental: the sniffed bytes may end inside a character.
        text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


class _StrictArcHeaders(ARC2WARCHeadersParser):
    """warcio's ARC-to-WARC header parser, refusing a line that is no ARC header: warcio
    takes any five words for one (a date of 'nice' becomes year 2999, a length of 'x' an
    empty record), so text inside a damaged ARC file would come out as records."""

    def parse(self, stream: Any, headerline: Any = None) -> Any:
        if headerline is None:
            headerline = stream.readline()
        line = StatusAndHeadersParser.decode_header(headerline)
        if line.strip() and not _ARC_HEADER.match(line.rstrip("\r\n").encode("utf-8", "replace") + b"\n"):
            raise StatusAndHeadersParserException("not an ARC record header", line.rstrip())
        return super().parse(stream, headerline)


class Records(ArchiveIterator):
    """warcio's iterator, reading ARC records as WARC ones (``arc2warc``: one shape for
    everything after it), without its multi-line stderr warning for a lying Content-Length
    (the reader reports that itself, in one line; ``err_count`` still counts it).

    ``fmt`` pins the format a file was sniffed as, so that a line of garbage in a WARC is
    an error rather than an ARC header; None (a record at an offset) tries WARC, then ARC.
    """

    INC_RECORD = ""

    def __init__(self, fh: IO[bytes] | io.BufferedIOBase, fmt: str | None = None) -> None:
        super().__init__(fh, arc2warc=True)
        self.loader.arc_parser = _StrictArcHeaders()
        # With arc2warc warcio never pins the format itself: this one stays.
        self.known_format = fmt


def payload(record: Any, limit: int) -> bytes:
    """A response record's body, decoded (chunked, gzip, br), up to ``limit`` + 1 bytes.

    warcio's own guess for a chunked body that does not parse as chunks drops the two
    bytes after a wrong chunk size; here such a body is taken whole, as stored, instead
    (a crawler that saved the body de-chunked kept the header; stray chunk-size lines
    around a page do not keep it from being extracted). Bytes after the last chunk are
    no part of the page."""
    http = record.http_headers
    if (http.get_header("Transfer-Encoding") or "").strip().lower() != "chunked":
        return bytes(record.content_stream().read(limit + 1))
    encoding = (http.get_header("Content-Encoding") or "").strip().lower() or None
    if encoding not in BufferedReader.get_supported_decompressors():
        encoding = None
    raw = record.raw_stream.read(limit + 1)
    try:
        return bytes(ChunkedDataReader(io.BytesIO(raw), raise_exceptions=True, decomp_type=encoding).read(limit + 1))
    except ChunkedDataException:
        return bytes(BufferedReader(io.BytesIO(raw), decomp_type=encoding).read(limit + 1))


READ_ERRORS = (ArchiveLoadFailed, StatusAndHeadersParserException, zlib.error, EOFError, ValueError)


def next_record_start(fh: IO[bytes], start: int, fmt: str | None) -> int | None:
    """The next offset at or after ``start`` where a readable record begins, or None."""
    position = start
    while True:
        fh.seek(position)
        # Overlapping the next chunk: a record's header line may run over this one's end.
        chunk = fh.read(_SCAN_CHUNK + _SNIFF_BYTES)
        if not chunk:
            return None
        # A hit at _SCAN_CHUNK itself is the next chunk's first byte, where its newline is
        # out of sight: it is tried here.
        for hit in sorted({h for h in _candidates(chunk, fmt) if h <= _SCAN_CHUNK}):
            if _readable_at(fh, position + hit, fmt):
                return position + hit
        position += _SCAN_CHUNK


def _candidates(chunk: bytes, fmt: str | None) -> Iterator[int]:
    """Where a record can start: a gzip member, a WARC header line, an ARC header line."""
    yield from _find_all(chunk, GZIP_MAGIC + b"\x08")
    if fmt != "arc":
        yield from _find_all(chunk, b"WARC/")
    if fmt != "warc":
        # At a line's start only: the middle of a URL can look like a header line too.
        yield from (m.end() for m in _ARC_HEADERS_AFTER_NEWLINE.finditer(chunk))


def _find_all(chunk: bytes, marker: bytes) -> Iterator[int]:
    i = chunk.find(marker)
    while i != -1:
        yield i
        i = chunk.find(marker, i + 1)


def _readable_at(fh: IO[bytes], offset: int, fmt: str | None) -> bool:
    """Whether a record's headers parse at ``offset`` (a marker inside data does not)."""
    fh.seek(offset)
    try:
        return next(iter(Records(fh, fmt)), None) is not None
    except READ_ERRORS:
        return False


def cut_gzip_member(fh: IO[bytes], offset: int) -> bool:
    """Whether the gzip member at ``offset`` runs off the end of the file (a download or
    copy that stopped short): then that, not the parse error it causes, is the reason.
    The file's position is left where it was (a reader may be iterating over it)."""
    position = fh.tell()
    try:
        fh.seek(offset)
        if fh.read(2) != GZIP_MAGIC:
            return False
        fh.seek(offset)
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        data = fh.read(_SCAN_CHUNK)
        while data and not decompressor.eof:
            # The output is thrown away, in bounded pieces: a member may be large.
            decompressor.decompress(data, _SCAN_CHUNK)
            data = decompressor.unconsumed_tail or fh.read(_SCAN_CHUNK)
        return not decompressor.eof
    except zlib.error:
        return False  # corrupt rather than cut short
    finally:
        fh.seek(position)


def one_line(exc: BaseException, fmt: str | None = "warc") -> str:
    """An exception while reading, as the reason part of an error line."""
    text = " ".join(str(exc).split())
    if any(s in text for s in ("Unknown archive format", "Invalid WARC record", "Invalid ARC record")):
        # Its "first line" is binary noise more often than not: not worth printing.
        if fmt == "arc":
            return "not an ARC record here (a truncated gzip member, or a wrong length before it)"
        return "not a WARC record here (a truncated gzip member, or a wrong Content-Length before it)"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
