"""WARC_DIR: a downloader middleware that archives every fetched response with its request.

It sits next to the downloader (900, above HttpCompression at 590 and Redirect at 600),
so the archive holds the bytes as the server sent them (still gzip- or br-encoded),
redirects and error pages included, with the request headers Scrapy really sent. Where
the response record starts travels in ``request.meta`` (Response.meta is the same dict)
to the spider's item and so to the store: this middleware touches no database.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from pipelines.warc_write import Exchange, RotatingWarcWriter, warcinfo

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Headers, Request, Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

# request.meta key of the response record's WarcLocation (read by crawler.spiders.article_item).
WARC_META = "newsdedup_warc"


def _pairs(headers: Headers) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in headers.items() for v in values]


class WarcArchiveMiddleware:
    """Off unless WARC_DIR is set; a new file every WARC_MAX_SIZE bytes (1 GB)."""

    def __init__(self, writer: RotatingWarcWriter, stats: StatsCollector) -> None:
        self.writer, self.stats = writer, stats
        # Digests and gzip (~2 ms for a 77 KB page) off the event loop; one thread keeps
        # the records in order and the file single-writer.
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdedup-warc")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        s = crawler.settings
        folder = s.get("WARC_DIR")
        if not folder:
            raise NotConfigured  # no argument: Scrapy then logs nothing
        started = datetime.now(UTC).isoformat(timespec="seconds")
        info = warcinfo(
            f"newsdedup crawl started {started}",
            robots="obey" if s.getbool("ROBOTSTXT_OBEY") else "ignore",
            **{"http-header-user-agent": s.get("USER_AGENT") or "", "isPartOf": f"newsdedup-crawl-{started}"},
        )
        writer = RotatingWarcWriter(Path(folder), s.getint("WARC_MAX_SIZE"), info, prefix=s.get("WARC_PREFIX"))
        middleware = cls(writer, crawler.stats)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    async def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if not response.url.startswith(("http://", "https://")):
            return response  # local files are their own archive
        exchange = Exchange(
            url=response.url,
            method=request.method,
            request_headers=_pairs(request.headers),
            status=response.status,
            reason=_reason(response.status),
            response_headers=_pairs(response.headers),
            body=response.body,
            fetched_at=datetime.now(UTC),
            protocol=response.protocol or "HTTP/1.1",
        )
        try:
            loop = asyncio.get_running_loop()
            request.meta[WARC_META] = await loop.run_in_executor(self._thread, self.writer.write, exchange)
        except OSError as exc:
            # A full disk stops the archive, not the crawl; said once per failure.
            logger.error("%s: cannot write WARC record for %s: %s", self.writer.folder, response.url, exc)
            self.stats.inc_value("archive/write_errors")
            return response
        self.stats.inc_value("archive/written")
        return response

    def spider_closed(self) -> None:
        self._thread.shutdown(wait=True)
        self.writer.close()
        self.stats.set_value("archive/files", len(self.writer.files))


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
