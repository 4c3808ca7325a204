"""StoreAccess: the crawl's store, for the spiders (and extensions) that read the database.

A crawl-scoped service in the shape of Scrapy's SpiderState extension: built in
``from_crawler``, opened on ``spider_opened``, closed on ``spider_closed``, found with
``crawler.get_extension(StoreAccess)`` (``crawler.spiders.crawl_store`` does that). It
opens no database of its own: the store stage opens the crawl's CrawlStore, the crawl's
one door to the database on its one thread, and announces it with the ``store_opened``
signal (pipelines/store.py); spiders read the frontier and the archived articles through
it here instead of reaching into the item pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import signals

from pipelines.store import store_opened

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from pipelines.crawl_store import CrawlStore


class StoreAccess:
    """``EXTENSIONS = {"crawler.store_access.StoreAccess": 100}``."""

    def __init__(self) -> None:
        self._announced: CrawlStore | None = None
        self._open = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls()
        crawler.signals.connect(extension.store_opened, signal=store_opened)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def store_opened(self, store: CrawlStore) -> None:
        # The store stage opens its store before the spider_opened signal (Scrapy opens
        # the item pipelines first).
        self._announced = store

    def spider_opened(self) -> None:
        self._open = True

    def spider_closed(self) -> None:
        self._open = False
        self._announced = None

    @property
    def store(self) -> CrawlStore | None:
        """The crawl's open store, or None: no store stage (``ITEM_PIPELINES`` without
        StorePipeline), it could not open, the spider is not open, or the store is closed."""
        store = self._announced
        return store if self._open and store is not None and store.is_open else None
