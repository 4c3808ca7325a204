"""The `warc` spider: the HTML responses of WARC files, as items for the same pipelines.

Reading the archive is this spider's fetch: it makes no request and yields items from
``start()``. Scrapy puts no back-pressure on start items, so the spider keeps at most
``ARCHIVE_IN_FLIGHT`` items in the pipelines at once: memory stays flat however large
the files are.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import Spider, signals

from crawler.progress import ARCHIVE_PROGRESS
from crawler.sources import load_sources
from crawler.spiders import archived_item
from pipelines.warc_read import ArchivedResponse, Broken, Skipped, WarcReader, warc_files
from storage.locks import source_lock_names

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from crawler.sources import Source
    from pipelines.items import ArticleItem

logger = logging.getLogger(__name__)


class ArchiveSpider(Spider):
    """A spider whose items come from archived responses: it throttles its start items."""

    # What its ARCHIVE_PROGRESS signals count (crawler.progress).
    progress_unit = "articles"

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.in_flight = 0
        spider.max_in_flight = crawler.settings.getint("ARCHIVE_IN_FLIGHT", 64)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(spider._item_done, signal=signal)
        return spider

    def _item_done(self, **_: Any) -> None:
        self.in_flight -= 1

    async def throttled(self, items: Iterator[ArticleItem | None]) -> AsyncIterator[ArticleItem]:
        """Yield the items, waiting while the pipelines hold ``max_in_flight`` of them.

        None entries (records that gave no item) just give the event loop a turn.
        """
        for item in items:
            while self.in_flight >= self.max_in_flight:
                await asyncio.sleep(0.005)
            if item is None:
                await asyncio.sleep(0)
                continue
            self.in_flight += 1
            yield item


class WarcSpider(ArchiveSpider):
    """``newsdedup import FILE.warc.gz|DIR [--sources FILE]``: every HTML response record.

    With a sources file, a record whose URL a source allows gets that source's name and
    extraction rules (as on a crawl); other records are named after their host, as saved
    pages are.
    """

    name = "warc"
    progress_unit = "bytes"

    def __init__(self, path: str, sources: str | None = None, base_url: str | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.paths = warc_files(Path(path))
        if not self.paths:
            raise ValueError(f"{path}: no .warc or .warc.gz files")
        self.source_list: list[Source] = load_sources(sources, base_url=base_url) if sources else []
        # Two imports of the same archive at once are refused (as for a folder of pages).
        self.lock_names = [f"warc:{Path(path).resolve()}", *source_lock_names(s.name for s in self.source_list)]

    def source_for(self, url: str) -> Source | None:
        return next((s for s in self.source_list if s.allows(url)), None)

    async def start(self) -> AsyncIterator[Any]:
        async for item in self.throttled(self._items(WarcReader(self.paths))):
            yield item
        if not self.crawler.stats.get_value("warc/responses"):
            logger.warning("%s: no HTML responses in %d WARC file(s)", self.paths[0].parent, len(self.paths))

    def _items(self, reader: WarcReader) -> Iterator[ArticleItem | None]:
        stats = self.crawler.stats
        for read in reader:
            self.crawler.signals.send_catch_log(ARCHIVE_PROGRESS, done=reader.done_bytes, total=reader.total_bytes)
            if isinstance(read, Broken):
                logger.error("%s", read)
                stats.inc_value("warc/errors")
            elif isinstance(read, Skipped):
                stats.inc_value(f"warc/skipped/{read.reason}")
            elif isinstance(read, ArchivedResponse):
                stats.inc_value("warc/responses")
                source = self.source_for(read.url)
                if source is None:
                    yield archived_item(read)
                else:
                    yield archived_item(read, source=source.name, home=source.home, rules=source.rules)
                continue
            yield None
        self.crawler.signals.send_catch_log(ARCHIVE_PROGRESS, done=reader.total_bytes, total=reader.total_bytes)
