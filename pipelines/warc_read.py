"""Reading WARC and ARC files with warcio: HTML responses out, everything else counted.

What a file is comes from its content (``sniff``), not its name. Records stream one at a
time (a body is read only for an HTML response, capped), so memory stays flat whatever
the file's size. A broken record is reported with its file and offset, and reading goes
on at the next record the file still holds. No Scrapy here:
the import spider, `newsdedup reprocess`, `export warc` and bench/warc_import.py share it.
"""

from __future__ import annotations

import gzip
import logging
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from pipelines.warc_records import (
    ARCHIVE_KINDS,
    READ_ERRORS,
    Records,
    cut_gzip_member,
    next_record_start,
    one_line,
    payload,
    sniff,
)
from storage.records import WarcLocation

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
# A larger body is not a page (DOWNLOAD_MAXSIZE of a crawl); it is not read into memory.
MAX_BODY_BYTES = 16 * 1024 * 1024


class WarcError(ValueError):
    """A record that cannot be read; the message names the file, offset and reason."""


@dataclass(frozen=True, slots=True)
class ArchivedResponse:
    """An HTML response as the archive holds it, its body decoded (chunked, gzip, br)."""

    url: str
    fetched_at: datetime
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    # None: the file cannot be read at an offset (one gzip stream for the whole file).
    location: WarcLocation | None

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record that is not an HTML page, by kind: request, metadata, not_html, status_3xx…"""

    reason: str


@dataclass(frozen=True, slots=True)
class Broken:
    file: str
    offset: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: record at offset {self.offset}: {self.reason}"


def _fetched_at(record: Any) -> datetime:
    raw = record.rec_headers.get_header("WARC-Date") or ""
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        return datetime.now(UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _skip_reason(record: Any) -> str | None:
    """Why a response record is no page to extract, or None."""
    http = record.http_headers
    if http is None:
        return "not_http"
    status = int(http.get_statuscode() or 0)
    if status != 200:
        return f"status_{status // 100}xx"
    mime = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return None if mime in HTML_TYPES else "not_html"


def _response(record: Any, location: WarcLocation | None) -> ArchivedResponse | Skipped:
    body = payload(record, MAX_BODY_BYTES)
    if len(body) > MAX_BODY_BYTES:
        return Skipped("too_large")
    # A chunked body's last chunk may end before the record does: what is left after it
    # is no page, and no sign of a truncated file either.
    while record.raw_stream.read(1024 * 1024):
        pass
    if missing := _missing(record):
        # Fewer bytes than the record's Content-Length: the file ends (or breaks) inside it.
        raise WarcError(f"record truncated, {missing} bytes of it missing")
    http = record.http_headers
    return ArchivedResponse(
        url=record.rec_headers.get_header("WARC-Target-URI") or "",
        fetched_at=_fetched_at(record),
        status=int(http.get_statuscode() or 0),
        headers=tuple(http.headers),
        body=body,
        location=location,
    )


def read_response_at(location: WarcLocation) -> ArchivedResponse:
    """The response record at a WARC location (reprocess, export, a revisit's original)."""
    where = f"{location.file}: record at offset {location.offset}"
    try:
        with open(location.file, "rb") as fh:
            fh.seek(location.offset)
            record = next(iter(Records(fh)), None)  # WARC or ARC: tried in that order
            if record is None or record.rec_type != "response":
                raise WarcError(f"{where}: not a response record")
            if reason := _skip_reason(record):
                raise WarcError(f"{where}: not an HTML page ({reason})")
            found = _response(record, location)
    except OSError as exc:
        raise WarcError(f"{location.file}: cannot read: {exc.strerror or exc}") from None
    except READ_ERRORS as exc:
        if isinstance(exc, WarcError) and str(exc).startswith(where):
            raise
        raise WarcError(f"{where}: {exc if isinstance(exc, WarcError) else one_line(exc, None)}") from None
    if isinstance(found, Skipped):
        raise WarcError(f"{where}: body over {MAX_BODY_BYTES} bytes")
    return found


def open_record(location: WarcLocation, fh: IO[bytes]) -> Any:
    """The parsed record at ``location`` in an open file (for copying it elsewhere)."""
    fh.seek(location.offset)
    record = next(iter(Records(fh)), None)
    if record is None:
        raise WarcError(f"{location.file}: record at offset {location.offset}: no record there")
    return record


class WarcReader:
    """Every record of some WARC and ARC files: ArchivedResponse, Skipped or Broken, in
    file order. A file that is neither (by its content) is one Broken, whatever its name.

    ``revisit`` records (the crawler saw the same payload again) become the original
    response, fetched at the revisit's URL and time, when the original is in an earlier
    record of these files; the index for that keeps two short strings per HTML response.
    """

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self.total_bytes = sum(p.stat().st_size for p in paths)
        self._finished_bytes = 0
        self._fh: IO[bytes] | None = None
        self._by_record_id: dict[str, WarcLocation] = {}
        self._by_digest: dict[str, WarcLocation] = {}

    @property
    def done_bytes(self) -> int:
        """Bytes of the files read so far (the progress bar's position)."""
        position = self._fh.tell() if self._fh is not None and not self._fh.closed else 0
        return self._finished_bytes + position

    def __iter__(self) -> Iterator[ArchivedResponse | Skipped | Broken]:
        for path in self.paths:
            with path.open("rb") as fh:
                self._fh = fh
                yield from self._read_file(path, fh)
            self._finished_bytes += path.stat().st_size
            self._fh = None

    def _read_file(self, path: Path, fh: IO[bytes]) -> Iterator[ArchivedResponse | Skipped | Broken]:
        sniffed = sniff(path)
        fmt = sniffed.kind if sniffed.kind in ARCHIVE_KINDS else None
        start: int | None = 0
        if sniffed.kind == "damaged":
            # Its first gzip member is broken; the next one may well be a record.
            yield Broken(str(path), 0, sniffed.detail)
            start = next_record_start(fh, 1, None)
        elif fmt is None:
            yield Broken(str(path), 0, f"not a WARC or ARC file: {sniffed.detail}")
            return
        while start is not None:
            at = start
            fh.seek(at)
            records = Records(fh, fmt)
            seen = 0
            previous: tuple[Any, int] | None = None
            try:
                for record in records:
                    if broken := _truncated(path, fh, previous):
                        yield broken
                    offset = records.offset
                    yield self._classify(record, WarcLocation(str(path), offset))
                    seen += 1
                    previous = (record, offset)
                    if records.err_count:
                        # warcio skipped a line it could not place: the record before lied.
                        yield Broken(str(path), offset, "Content-Length of the record before it is wrong")
                        records.err_count = 0
                if broken := _truncated(path, fh, previous):
                    yield broken
                if (size := path.stat().st_size) > records.offset >= 0:
                    # warcio ends quietly on a last record whose headers were cut off.
                    tail = size - records.offset
                    yield Broken(str(path), records.offset, f"the last {tail} bytes are no complete record (truncated)")
                start = None
            except READ_ERRORS as exc:
                offset = int(getattr(records, "offset", at))
                if "non-chunked gzip" in str(exc) and at == 0:
                    # One gzip stream for the whole file: readable front to back, not at offsets.
                    fh.seek(0)
                    yield from self._read_whole_gzip(path, fh, fmt, skip=seen)
                    return
                # The file was sniffed as an archive: an error, even at offset 0, is the
                # record's, and is named as such (never "not a WARC file").
                yield Broken(str(path), offset, _reason(exc, fh, offset, fmt))
                start = next_record_start(fh, offset + 1, fmt)

    def _read_whole_gzip(
        self, path: Path, fh: IO[bytes], fmt: str | None, skip: int
    ) -> Iterator[ArchivedResponse | Skipped | Broken]:
        records = Records(gzip.GzipFile(fileobj=fh), fmt)
        try:
            for n, record in enumerate(records):
                if n >= skip:
                    yield self._classify(record, None)
        except (*READ_ERRORS, OSError) as exc:
            yield Broken(str(path), records.offset, "in the uncompressed stream: " + one_line(exc, fmt))

    def _classify(self, record: Any, location: WarcLocation | None) -> ArchivedResponse | Skipped:
        if record.rec_headers.get_header("Content-Length") is None:
            # warcio reads such a record to the end of the file: its headers were cut short.
            raise WarcError("record headers cut short (no Content-Length): the file is truncated here")
        if record.rec_type == "revisit":
            return self._revisit(record)
        if record.rec_type != "response":
            return Skipped(record.rec_type)
        if reason := _skip_reason(record):
            return Skipped(reason)
        found = _response(record, location)
        if location is not None and isinstance(found, ArchivedResponse):
            if record_id := record.rec_headers.get_header("WARC-Record-ID"):
                self._by_record_id[record_id] = location
            if digest := record.rec_headers.get_header("WARC-Payload-Digest"):
                self._by_digest[digest] = location
        return found

    def _revisit(self, record: Any) -> ArchivedResponse | Skipped:
        headers = record.rec_headers
        location = self._by_record_id.get(headers.get_header("WARC-Refers-To") or "") or self._by_digest.get(
            headers.get_header("WARC-Payload-Digest") or ""
        )
        if location is None:
            return Skipped("revisit_unresolved")
        original = read_response_at(location)
        return replace(
            original, url=headers.get_header("WARC-Target-URI") or original.url, fetched_at=_fetched_at(record)
        )


CUT_MEMBER = "truncated gzip member (the file ends inside it)"


def _reason(exc: Exception, fh: IO[bytes], offset: int, fmt: str | None) -> str:
    # A member the file ends inside explains whatever else went wrong reading it.
    if cut_gzip_member(fh, offset):
        return CUT_MEMBER
    return str(exc) if isinstance(exc, WarcError) else one_line(exc, fmt)


def _truncated(path: Path, fh: IO[bytes], read: tuple[Any, int] | None) -> Broken | None:
    """A record (already passed over) whose file ended before its Content-Length did."""
    if read is None or not (missing := _missing(read[0])):
        return None
    reason = CUT_MEMBER if cut_gzip_member(fh, read[1]) else f"record truncated, {missing} bytes of it missing"
    return Broken(str(path), read[1], reason)


def _missing(record: Any) -> int:
    """Bytes of the record's Content-Length its stream ran out before (warcio's LimitReader)."""
    return max(0, getattr(record.raw_stream, "limit", 0))
