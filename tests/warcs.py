"""WARC files for the tests, written with warcio from the fixture sites."""

from __future__ import annotations

import io
from gzip import compress as gzip_compress
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.conftest import FIXTURES

TYPES = {".html": "text/html", ".xml": "application/xml", ".rdf": "application/rdf+xml"}


def site_files(root: Path = FIXTURES / "sites") -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in TYPES and p.is_file())


BASE_URL = "http://fixtures.test/"


def write_sites_warc(
    out: Path, *, gzip: bool = True, revisit_of: str | None = None, version: str = "1.0"
) -> dict[str, int]:
    """Every file of fixtures/sites as a response record at its URL under BASE_URL (the
    fixtures folder served there), each with its request record, plus a warcinfo and a
    metadata record; ``revisit_of`` (a file name) is captured again as a revisit record.
    Returns how many records of each kind were written."""
    counts = {"warcinfo": 1, "response": 0, "request": 0, "metadata": 1, "revisit": 0}
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip, warc_version=version)
        writer.write_record(writer.create_warcinfo_record(out.name, {"software": "tests"}))
        revisited = None
        for path in site_files():
            url = BASE_URL + path.relative_to(FIXTURES).as_posix()
            body = path.read_bytes()
            headers = [("Content-Type", TYPES[path.suffix]), ("Content-Length", str(len(body)))]
            response = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
            )
            request = writer.create_warc_record(
                url,
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(f"GET {path.name} HTTP/1.1", [("Host", "x")], is_http_request=True),
            )
            writer.write_record(response)
            writer.write_record(request)
            counts["response"] += 1
            counts["request"] += 1
            if revisit_of and path.name == revisit_of and revisited is None:
                revisited = response
        meta = writer.create_warc_record("metadata:x", "metadata", payload=io.BytesIO(b"outlinks: none\n"))
        writer.write_record(meta)
        if revisited is not None:
            headers = revisited.rec_headers
            revisit = writer.create_revisit_record(
                headers.get_header("WARC-Target-URI"),
                headers.get_header("WARC-Payload-Digest"),
                headers.get_header("WARC-Target-URI"),
                headers.get_header("WARC-Date"),
                http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"),
            )
            writer.write_record(revisit)
            counts["revisit"] += 1
    return counts


def write_pages_warc(out: Path, pages: list[tuple[str, bytes]], *, headers: tuple[tuple[str, str], ...] = ()) -> None:
    """A gzipped WARC with a response record per page (``headers``: extra HTTP headers)."""
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, body in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), *headers], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))


def arc_record(url: str, body: bytes, *, date: str = "20140702120000", content_type: str = "text/html") -> bytes:
    """One ARC 1.0 URL record: its header line (URL IP-address Archive-date Content-type
    Archive-length), then the HTTP response it archived, then the newline between records."""
    http = f"HTTP/1.0 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    response = http.encode() + body
    return f"{url} 192.0.2.7 {date} {content_type} {len(response)}\n".encode() + response + b"\n"


def write_arc(out: Path, pages: list[tuple[str, bytes]], *, gzip: bool = False) -> list[int]:
    """An ARC 1.0 file: the version block (a ``filedesc://`` header line and its body),
    then a URL record per page; gzipped, each record is its own gzip member, as in the
    Internet Archive's .arc.gz files. Returns the offset of each record, version block first."""
    body = b"1 0 newsdedup tests\nURL IP-address Archive-date Content-type Archive-length\n"
    version = f"filedesc://{out.name} 0.0.0.0 20140702120000 text/plain {len(body)}\n".encode() + body + b"\n"
    offsets, data = [], b""
    for record in [version] + [arc_record(url, html) for url, html in pages]:
        offsets.append(len(data))
        data += gzip_compress(record) if gzip else record
    out.write_bytes(data)
    return offsets
