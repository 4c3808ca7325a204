"""What the spiders that read local files share: items yielded from ``start()`` under a
throttle (ArchiveSpider), and the saved pages they read.

A local file is read by the spider itself, not fetched as a file:// request: no stage
needs more than its bytes, and a request costs the crawl process its scheduling, the
download handler, the response and Scrapy's per-response item machinery (~3 ms of the
event loop a page, docs/benchmarks.md), on the cores the extraction workers need.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import Spider, signals

from crawler.progress import ARCHIVE_PROGRESS
from pipelines.items import ArticleItem
from pipelines.warc_read import MAX_BODY_BYTES

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from pipelines.page import ExtractRules

logger = logging.getLogger(__name__)

PAGE_SUFFIXES = (".html", ".htm")


def saved_pages(folder: Path) -> Iterable[Path]:
    """Saved pages below ``folder``, recursively, in a stable order, lazily."""
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in PAGE_SUFFIXES and path.is_file():
            yield path


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the read says why, in one line


class ArchiveSpider(Spider):
    """A spider whose items come from local reads (archived responses, saved pages): it
    throttles its start items.

    Scrapy puts no back-pressure on start items, so it keeps at most
    ``ARCHIVE_IN_FLIGHT`` items in the pipelines at once: memory stays flat however many
    files there are.
    """

    # What its ARCHIVE_PROGRESS signals count (crawler.progress).
    progress_unit = "articles"
    # Items yielded and not yet scraped, dropped or failed; at most max_in_flight.
    in_flight: int
    max_in_flight: int
    _room: asyncio.Event

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.in_flight = 0
        spider.max_in_flight = crawler.settings.getint("ARCHIVE_IN_FLIGHT")
        spider._room = asyncio.Event()
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(spider._item_done, signal=signal)
        return spider

    def _item_done(self, **_: Any) -> None:
        self.in_flight -= 1
        self._room.set()

    async def throttled(self, items: Iterator[ArticleItem | None]) -> AsyncIterator[ArticleItem]:
        """Yield the items, waiting while the pipelines hold ``max_in_flight`` of them.

        None entries (records that gave no item) just give the event loop a turn.
        """
        for item in items:
            await self._while(lambda: self.in_flight >= self.max_in_flight)
            if item is None:
                await asyncio.sleep(0)
                continue
            self.in_flight += 1
            yield item

    async def drained(self) -> None:
        """Wait until the pipelines hold none of this spider's items; ``start()`` ends with it.

        The engine is not told when a start item is done: it finds the crawl idle when its
        start() ends or at its next heartbeat, every 5 s. Ending start() once the last item
        is through closes the run then, not up to 5 s later."""
        await self._while(lambda: self.in_flight > 0)

    async def _while(self, busy: Callable[[], bool]) -> None:
        """Wait while ``busy()``, woken by each item done (not a poll)."""
        while busy():
            self._room.clear()
            await self._room.wait()

    def saved_page_items(self, pages: list[Path], rules: ExtractRules, done: int = 0) -> Iterator[ArticleItem | None]:
        """An item for each saved page, its URL its file:// path (the extractor takes its
        canonical link / og:url when it has one); progress in bytes read, after ``done``.

        A page that cannot be read is one error line naming it, and the import goes on."""
        stats = self.crawler.stats
        total = done + sum(_size(page) for page in pages)
        for page in pages:
            try:
                with page.open("rb") as fh:
                    # Capped as a download is: the analyze stage reports a page over its limit.
                    body = fh.read(MAX_BODY_BYTES + 1)
            except OSError as exc:
                logger.error("%s: cannot be read: %s", page, exc.strerror or exc)
                stats.inc_value("import/unreadable")
                yield None
                continue
            stats.inc_value("import/saved_pages")
            done += len(body)
            self.crawler.signals.send_catch_log(ARCHIVE_PROGRESS, done=done, total=total)
            yield ArticleItem(url=page.resolve().as_uri(), body=body, fetched_at=datetime.now(UTC), rules=rules)
        self.crawler.signals.send_catch_log(ARCHIVE_PROGRESS, done=total, total=total)
