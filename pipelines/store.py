"""StorePipeline, the second stage: each analysed article written, linked and recorded
through the crawl's CrawlStore, with the crawl's stats and run record."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import CloseSpider

from pipelines.boilerplate import boilerplate_config
from pipelines.crawl_store import CrawlStore, StoreConfig, StoreFailed
from pipelines.dedup import dedup_config
from pipelines.items import ArticleItem, fetch_outcome
from pipelines.settings_reader import from_settings
from storage.frontier import Outcome
from storage.queries import ArticleChange
from storage.versions import CRAWL, IMPORT, REPROCESS, HistoryConfig

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

    from pipelines.write import StoredArticle


logger = logging.getLogger(__name__)

# Stats keys "source/<name>/<counter>" (and ".../errors/<kind>") become the run's counts.
# The finish reason of a crawl whose database refused it or went away (exit status 1).
STORE_FAILED = "store_failed"
RUN_COUNTERS = ("pages_fetched", "articles_new", "articles_updated", "comments_new", "duplicates")


# Sent once the crawl's store is open, with the argument ``store`` (the CrawlStore): the
# spiders' reads go through it (crawler/store_access.py keeps it for them).
store_opened = object()


# Where a spider's articles come from, for their versions (storage/versions.py); `news`
# is a crawl, or an import when it reads files (pipelines.write.store_article).
SPIDER_ORIGINS = {"reprocess": REPROCESS, "pages": IMPORT, "warc": IMPORT}


def store_config(settings: BaseSettings, spider: str | None = None) -> StoreConfig:
    """StoreConfig from a crawl's STORE_* settings (and its spider's name); a fleet worker's
    run is FLEET_RUN, in fleet mode only (NEWSDEDUP_FRONTIER)."""
    config = from_settings(
        StoreConfig,
        settings,
        database_url=settings.get("NEWSDEDUP_DATABASE_URL"),
        dedup=dedup_config(settings),
        boilerplate=boilerplate_config(settings),
        fleet_run=(settings.get("FLEET_RUN") or None) if settings.get("NEWSDEDUP_FRONTIER") else None,
        history=history_config(settings, spider),
    )
    return replace(config, commit_every=max(1, config.commit_every))


def history_config(settings: BaseSettings, spider: str | None = None) -> HistoryConfig:
    """HistoryConfig from the HISTORY_* settings and the spider's origin."""
    config = from_settings(HistoryConfig, settings, origin=SPIDER_ORIGINS.get(spider or "", CRAWL))
    return replace(config, max_versions=max(1, config.max_versions))


def crawl_lock_names(spider: object) -> list[str]:
    """What a crawl locks: each of its sources, or the folder of saved pages it reads."""
    return list(getattr(spider, "lock_names", None) or [f"spider:{getattr(spider, 'name', '?')}"])


def per_source_counts(stats: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The run's counts per source, from the stats the crawl kept."""
    counts: dict[str, dict[str, Any]] = {}
    for key, value in stats.items():
        parts = key.split("/")
        if parts[0] != "source" or len(parts) < 3:
            continue
        source = counts.setdefault(parts[1], {name: 0 for name in RUN_COUNTERS} | {"errors": {}})
        if parts[2] == "errors" and len(parts) == 4:
            source["errors"][parts[3]] = value
        elif len(parts) == 3 and isinstance(value, int | float):
            # RUN_COUNTERS, and what crawler/source_stats.py and crawler/polling.py count
            # for `newsdedup health` (HTTP statuses, extraction, feeds); flat, so a fleet
            # run's workers add up (storage.runs._summed).
            source[parts[2]] = value
    return counts


class StorePipeline:
    """Writes each article through the crawl's store; records what came of other fetches.

    Pages dropped on the way (listings, non-HTML) and fetches that gave no item (304,
    errors: the ``fetch_outcome`` signal) land in the frontier too, so the next run knows them.
    """

    def __init__(self, store: CrawlStore, crawler: Crawler) -> None:
        self.store = store
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self._closing: asyncio.Future[None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        spider = getattr(crawler.spidercls, "name", None)
        pipeline = cls(CrawlStore(store_config(crawler.settings, spider)), crawler)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.fetch_outcome, signal=fetch_outcome)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    async def open_spider(self) -> None:
        """Open the store, or close the crawl before it fetches anything (reason "store_failed")."""
        spider = self.crawler.spider
        try:
            await self.store.call(self.store.open, crawl_lock_names(spider), getattr(spider, "name", "?"))
        except StoreFailed as exc:
            self._failed(exc)
            raise CloseSpider(STORE_FAILED) from None
        self.crawler.signals.send_catch_log(store_opened, store=self.store)

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        try:
            stored = await self.store.store(item)
        except StoreFailed as exc:
            self._failed(exc)
            if self.crawler.crawling and self._closing is None:
                self._closing = asyncio.ensure_future(self.crawler.engine.close_spider_async(reason=STORE_FAILED))
            raise
        item.stored = stored.summary
        self._count(stored)
        return item

    def _failed(self, exc: StoreFailed) -> None:
        logger.error("%s", exc)
        self.stats.set_value("store/failed", str(exc))

    def item_dropped(self, item: object, exception: BaseException, **_: object) -> None:
        if isinstance(item, ArticleItem) and item.source:
            outcome = f"skipped:{type(exception).__name__}"
            self.store.submit(self.store.record, Outcome(item.source, item.url, outcome, fetched_at=item.fetched_at))

    def fetch_outcome(self, source: str, url: str, outcome: str, http_status: int | None = None, **_: object) -> None:
        self.store.submit(self.store.record, Outcome(source, url, outcome, http_status))

    async def close_spider(self) -> None:
        # Pending articles land before the spider_closed handlers (progress, summaries) run.
        await self.store.call(self.store.commit)
        # Those handlers (the metrics file among them) see the steps' totals so far: every
        # article's; spider_closed sets them again once the run record is written.
        self._publish_steps()

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        status = "finished" if reason == "finished" else f"failed: {reason}"
        try:
            await self.store.call(self.store.close, status, per_source_counts(self.stats.get_stats()))
        finally:
            self.store.shutdown()
            # The store thread is done: its steps' totals are final (the run record has them too).
            self._publish_steps()

    def _publish_steps(self) -> None:
        for key, value in self.store.steps.stats():
            self.stats.set_value(key, value)
        for name, count in self.store.lock_counts.items():
            self.stats.set_value(f"store/lock/{name}", count)

    def _count(self, stored: StoredArticle) -> None:
        change, merged, source = stored.change, stored.comments, stored.source
        self.stats.inc_value(f"store/articles_{change.value}")
        self.stats.inc_value("store/comments_new", merged.added)
        self.stats.inc_value("store/comments_edited", merged.edited)
        if change is not ArticleChange.UNCHANGED:
            self.stats.inc_value(f"source/{source}/articles_{change.value}")
        if merged.added:
            self.stats.inc_value(f"source/{source}/comments_new", merged.added)
        if stored.recleaned:
            self.stats.inc_value("boilerplate/articles_recleaned", stored.recleaned)
        if stored.retitled:
            self.stats.inc_value("boilerplate/titles_retitled", stored.retitled)
        if change is not ArticleChange.UNCHANGED or merged.added or merged.edited:
            logger.debug("%s %s (%d new comments)", change.value, stored.canonical_url, merged.added)
        if (links := stored.links) is None:
            return
        for method, n in links.copies.items():
            self.stats.inc_value(f"dedup/copy_links/{method}", n)
        if links.quotes:
            self.stats.inc_value("dedup/quote_links", links.quotes)
        if change is ArticleChange.NEW and links.is_copy:
            self.stats.inc_value(f"source/{source}/duplicates")
            self.stats.inc_value("dedup/copies")
