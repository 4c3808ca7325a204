"""Writing WARC files with warcio: rotating gzipped files of response + request records.

Each record is its own gzip member, so a reader can seek to any record's offset (what
`newsdedup reprocess` and pywb do). No Scrapy here: the crawl's WarcArchiveMiddleware
hands over plain values, and `newsdedup export warc` copies records through it.
"""

from __future__ import annotations

import io
import os
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from pipelines.warc_read import WarcError, open_record
from storage.records import WarcLocation

# zlib's default level: warcio's level 9 spent 14.8 of the 18.3 ms a 77 KB page's
# response + request took; level 6 writes the pair in 2.0 ms (docs/benchmarks.md).
GZIP_LEVEL = 6

# What Scrapy's downloader already undid: the stored body is de-chunked, so these
# headers would make a reader decode it a second time.
_UNDONE_HEADERS = {"transfer-encoding", "content-length"}


def newsdedup_version() -> str:
    try:
        return version("newsdedup")
    except PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True, slots=True)
class Exchange:
    """One fetch as the downloader saw it: the request sent and the response received."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    response_headers: list[tuple[str, str]]
    body: bytes
    fetched_at: datetime
    protocol: str = "HTTP/1.1"


class RotatingWarcWriter:
    """Appends exchanges to ``folder/PREFIX-TIMESTAMP-SERIAL-PID.warc.gz``; a new file once
    one reaches ``max_bytes``. Every file starts with a warcinfo record (``info``)."""

    def __init__(self, folder: Path, max_bytes: int, info: dict[str, str], prefix: str = "newsdedup") -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.info = info
        self.prefix = prefix
        self.files: list[Path] = []
        self._fh: IO[bytes] | None = None
        # Builds records into a buffer; each becomes one gzip member of the file.
        self._buffer = io.BytesIO()
        self._writer = WARCWriter(self._buffer, gzip=False)
        self._started = datetime.now(UTC).strftime("%Y%m%d%H%M%S")

    def _open(self) -> IO[bytes]:
        if self._fh is not None:
            return self._fh
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{self.prefix}-{self._started}-{len(self.files):05d}-{os.getpid()}.warc.gz"
        path = (self.folder / name).resolve()
        self._fh = path.open("xb")
        self.files.append(path)
        self._fh.write(self._member(self._writer.create_warcinfo_record(name, self.info)))
        return self._fh

    def _member(self, record: object) -> bytes:
        """One record as one gzip member, so a reader can start at its offset."""
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.write_record(record)
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        return compressor.compress(self._buffer.getvalue()) + compressor.flush()

    @property
    def current(self) -> Path:
        return self.files[-1]

    def write(self, exchange: Exchange) -> WarcLocation:
        """Write the response and its request; returns where the response record starts."""
        fh = self._open()
        writer = self._writer
        date = datetime_to_iso_date(exchange.fetched_at.astimezone(UTC).replace(tzinfo=None))
        response_headers = [(k, v) for k, v in exchange.response_headers if k.lower() not in _UNDONE_HEADERS]
        response_headers.append(("Content-Length", str(len(exchange.body))))
        response = writer.create_warc_record(
            exchange.url,
            "response",
            payload=io.BytesIO(exchange.body),
            http_headers=StatusAndHeaders(
                f"{exchange.status} {exchange.reason}".strip(), response_headers, protocol=exchange.protocol
            ),
            warc_headers_dict={"WARC-Date": date},
        )
        split = urlsplit(exchange.url)
        target = (split.path or "/") + (f"?{split.query}" if split.query else "")
        request = writer.create_warc_record(
            exchange.url,
            "request",
            payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(
                f"{exchange.method} {target} {exchange.protocol}", exchange.request_headers, is_http_request=True
            ),
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        offset = fh.tell()
        fh.write(self._member(response) + self._member(request))
        location = WarcLocation(str(self.current), offset)
        if fh.tell() >= self.max_bytes:
            self.close()
        return location

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
        self._fh = None


def copy_records(locations: Iterable[WarcLocation], out: IO[bytes], info: dict[str, str], errors: list[str]) -> int:
    """Copy the records at ``locations`` into one gzipped WARC file after a warcinfo
    record; a record that cannot be read is named in ``errors`` and left out."""
    writer = WARCWriter(out, gzip=True)
    writer.write_record(writer.create_warcinfo_record(getattr(out, "name", "export.warc.gz"), info))
    written = 0
    current: IO[bytes] | None = None
    try:
        for location in locations:
            try:
                # Articles come in id order, which is crawl order: one file open at a time.
                if current is None or current.name != location.file:
                    if current is not None:
                        current.close()
                    current = open(location.file, "rb")  # noqa: SIM115
                writer.write_record(open_record(location, current))
            except (OSError, WarcError, ArchiveLoadFailed, zlib.error, EOFError) as exc:
                errors.append(f"{location.file}: record at offset {location.offset}: {exc}")
                continue
            written += 1
    finally:
        if current is not None:
            current.close()
    return written


def warcinfo(description: str, **fields: str) -> dict[str, str]:
    """The warcinfo fields naming newsdedup, its version and the run."""
    return {
        "software": f"newsdedup/{newsdedup_version()} (warcio)",
        "format": "WARC File Format 1.0",
        "description": description,
        **fields,
    }
