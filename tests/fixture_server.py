"""A real HTTP server for the fixture sites, with the headers real sites send.

ETag and Last-Modified with conditional GET (304), gzip when the client accepts it,
robots.txt, a 301 redirect route (/moved/<path> → /<path>), and a request log the
tests assert on.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import threading
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\n"


class FixtureHandler(SimpleHTTPRequestHandler):
    server: FixtureServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        # (Host header, path, start, end) of every request, for the politeness tests.
        host, path, start = self.headers.get("Host", ""), self.path, time.monotonic()
        try:
            self._get()
        finally:
            self.server.request_spans.append((host, path, start, time.monotonic()))

    def _get(self) -> None:
        self.server.requests.append(self.path)
        self.server.request_times.append((self.path, time.monotonic()))
        if self.server.delay:
            time.sleep(self.server.delay)
        if self.path.startswith("/flaky/"):
            # /flaky/N/<path>: 429 with Retry-After: 1 for the first N requests, then <path>.
            count, _, rest = self.path.removeprefix("/flaky/").partition("/")
            with self.server.lock:
                seen = self.server.flaky_seen.get(self.path, 0)
                self.server.flaky_seen[self.path] = seen + 1
            if seen < int(count):
                self.path = "/status/429?retry-after=1"
            else:
                self.path = "/" + rest
        if self.path.startswith("/slow/"):
            # /slow/SECONDS/<path>: a server that answers too late.
            seconds, _, rest = self.path.removeprefix("/slow/").partition("/")
            time.sleep(float(seconds))
            self.path = "/" + rest
        if self.path.startswith("/status/"):
            # /status/429?retry-after=1, /status/500: what overloaded or broken servers answer.
            code, _, query = self.path.removeprefix("/status/").partition("?")
            self.send_response(int(code))
            if query.startswith("retry-after="):
                self.send_header("Retry-After", query.removeprefix("retry-after="))
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.server.responses.append((self.path, int(code)))
            return
        if self.path == "/robots.txt":
            custom = self.server.root / "robots.txt"
            self._send(HTTPStatus.OK, custom.read_bytes() if custom.is_file() else ROBOTS_TXT, "text/plain")
            return
        if self.path.startswith("/offsite/"):
            # A redirect to the same files under another host name: off-site for a source.
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", f"http://localhost:{self.server.server_address[1]}/{self.path[9:]}")
            self.end_headers()
            return
        if self.path.startswith("/moved/"):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", self.path.removeprefix("/moved"))
            self.end_headers()
            return
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            self.server.responses.append((self.path, 404))
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        body = path.read_bytes()
        etag = '"' + hashlib.md5(body).hexdigest() + '"'
        last_modified = email.utils.formatdate(path.stat().st_mtime, usegmt=True)
        if self.headers.get("If-None-Match") == etag:
            self._send(HTTPStatus.NOT_MODIFIED, b"", None, etag=etag, last_modified=last_modified)
            return
        self._send(HTTPStatus.OK, body, self.guess_type(str(path)), etag=etag, last_modified=last_modified)

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        content_type: str | None,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        gzipped = status == HTTPStatus.OK and "gzip" in self.headers.get("Accept-Encoding", "")
        if gzipped:
            body = gzip.compress(body)
        self.server.responses.append((self.path, int(status)))
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        if etag:
            self.send_header("ETag", etag)
        if last_modified:
            self.send_header("Last-Modified", last_modified)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


class FixtureServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, delay: float = 0.0, host: str = "127.0.0.1") -> None:
        self.root = root
        self.delay = delay
        self.requests: list[str] = []
        self.request_times: list[tuple[str, float]] = []
        self.request_spans: list[tuple[str, str, float, float]] = []
        self.responses: list[tuple[str, int]] = []
        self.flaky_seen: dict[str, int] = {}
        self.lock = threading.Lock()
        # host: any loopback address (127.0.0.2, …) for a second "host" in Scrapy's eyes.
        super().__init__((host, 0), lambda *a: FixtureHandler(*a, directory=str(root)))

    @property
    def base_url(self) -> str:
        return f"http://{self.server_address[0]}:{self.server_address[1]}/"

    def __enter__(self) -> FixtureServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
