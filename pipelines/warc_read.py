"""Reading WARC files with warcio: HTML responses out, everything else counted.

Records stream one at a time (a body is read only for an HTML response, capped), so
memory stays flat whatever the file's size. A broken record is reported with its file
and offset, and reading goes on at the next record the file still holds. No Scrapy here:
the import spider, `newsdedup reprocess`, `export warc` and bench/warc_import.py share it.
"""

from __future__ import annotations

import gzip
import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from warcio.exceptions import ArchiveLoadFailed

from pipelines.warc_records import Records, next_record_start
from storage.records import WarcLocation

logger = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz")
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


def warc_files(path: Path) -> list[Path]:
    """The WARC file itself, or the WARC files below a folder, in name order."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.name.lower().endswith(WARC_SUFFIXES) and p.is_file())


def is_warc_path(path: Path) -> bool:
    """A WARC file by its name, or a folder with WARC files and no sources.toml."""
    if path.is_file():
        return path.name.lower().endswith(WARC_SUFFIXES)
    return path.is_dir() and not (path / "sources.toml").is_file() and bool(warc_files(path))


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
    body = record.content_stream().read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return Skipped("too_large")
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
            record = next(iter(Records(fh)), None)
            if record is None or record.rec_type != "response":
                raise WarcError(f"{where}: not a response record")
            if reason := _skip_reason(record):
                raise WarcError(f"{where}: not an HTML page ({reason})")
            found = _response(record, location)
    except OSError as exc:
        raise WarcError(f"{location.file}: cannot read: {exc.strerror or exc}") from None
    except (ArchiveLoadFailed, zlib.error, EOFError, ValueError) as exc:
        if isinstance(exc, WarcError) and str(exc).startswith(where):
            raise
        raise WarcError(f"{where}: {exc if isinstance(exc, WarcError) else _one_line(exc)}") from None
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


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if "Unknown archive format" in text or "Invalid WARC record" in text:
        # Its "first line" is binary noise more often than not: not worth printing.
        return "not a WARC record here (a truncated gzip member, or a wrong Content-Length before it)"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class WarcReader:
    """Every record of some WARC files: ArchivedResponse, Skipped or Broken, in file order.

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
        start: int | None = 0
        while start is not None:
            fh.seek(start)
            records = Records(fh)
            seen = 0
            previous: tuple[Any, int] | None = None
            try:
                for record in records:
                    if broken := _truncated(path, previous):
                        yield broken
                    offset = records.offset
                    yield self._classify(record, WarcLocation(str(path), offset))
                    seen += 1
                    previous = (record, offset)
                    if records.err_count:
                        # warcio skipped a line it could not place: the record before lied.
                        yield Broken(str(path), offset, "Content-Length of the record before it is wrong")
                        records.err_count = 0
                if broken := _truncated(path, previous):
                    yield broken
                if (size := path.stat().st_size) > records.offset >= 0:
                    # warcio ends quietly on a last record whose headers were cut off.
                    tail = size - records.offset
                    yield Broken(str(path), records.offset, f"the last {tail} bytes are no complete record (truncated)")
                start = None
            except (ArchiveLoadFailed, zlib.error, EOFError, ValueError) as exc:
                offset = getattr(records, "offset", start)
                if "non-chunked gzip" in str(exc):
                    # One gzip stream for the whole file: readable front to back, not at offsets.
                    fh.seek(0)
                    yield from self._read_whole_gzip(path, fh, skip=seen)
                    return
                if offset == 0 and seen == 0:
                    yield Broken(str(path), 0, "not a WARC file")
                    return
                yield Broken(str(path), offset, str(exc) if isinstance(exc, WarcError) else _one_line(exc))
                start = next_record_start(fh, offset + 1)

    def _read_whole_gzip(self, path: Path, fh: IO[bytes], skip: int) -> Iterator[ArchivedResponse | Skipped | Broken]:
        records = Records(gzip.GzipFile(fileobj=fh))
        try:
            for n, record in enumerate(records):
                if n >= skip:
                    yield self._classify(record, None)
        except (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError) as exc:
            yield Broken(str(path), records.offset, "in the uncompressed stream: " + _one_line(exc))

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


def _truncated(path: Path, read: tuple[Any, int] | None) -> Broken | None:
    """A record (already passed over) whose file ended before its Content-Length did."""
    missing = _missing(read[0]) if read is not None else 0
    return Broken(str(path), read[1], f"record truncated, {missing} bytes of it missing") if read and missing else None


def _missing(record: Any) -> int:
    """Bytes of the record's Content-Length its stream ran out before (warcio's LimitReader)."""
    return max(0, getattr(record.raw_stream, "limit", 0))
