"""AnalyzePipeline, the first stage: each page's extraction, comments and dedup signature,
made in one trip to a worker process (pipelines.analysis.analyze_page)."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from pipelines.analysis import AnalyzeConfig, PageAnalysis, analyze_config, analyze_page
from pipelines.drops import drop_for
from pipelines.errors import ExtractionFailed, RejectedPage
from pipelines.page import FetchedPage
from pipelines.pool import WorkerPool, crawl_pool

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from pipelines.items import ArticleItem


logger = logging.getLogger(__name__)


class AnalyzePipeline:
    """Runs analyze_page in the worker pool; drops pages that are not articles.

    One trip per page: parsing is done once, and each extra trip cost the crawl process
    ~2 ms of pickling and future plumbing (docs/benchmarks.md). Owns the EXTRACT_*,
    COMMENTS_* and DEDUP_* settings that say what a worker does, and their stats.
    """

    def __init__(self, config: AnalyzeConfig, pool: WorkerPool, stats: StatsCollector) -> None:
        self.config, self.pool, self.stats = config, pool, stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(analyze_config(crawler.settings), crawl_pool(crawler), crawler.stats)

    async def open_spider(self) -> None:
        await asyncio.to_thread(self.pool.start)

    async def close_spider(self) -> None:
        await self.pool.close()
        if self.pool.round_trips:
            self.stats.set_value("extract/round_trips", self.pool.round_trips)

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        page = FetchedPage(item.url, item.body, item.content_type, item.fetched_at, item.comment_page)
        try:
            analysis = await self.pool.run(analyze_page, page, item.rules, self.config, tuple(item.comment_pages))
        except RejectedPage as exc:
            self.stats.inc_value(f"extract/rejected/{type(exc).__name__}")
            raise drop_for(exc, item.url) from None
        except Exception as exc:
            # A parser crash on one page is that page's problem, not the crawl's.
            logger.error("%s: extraction failed: %s: %s", item.url, type(exc).__name__, exc)
            self.stats.inc_value("extract/error")
            raise drop_for(ExtractionFailed(f"extraction failed: {exc}"), item.url) from exc
        self._count(analysis)
        item.extraction, item.comments, item.signature = analysis.extraction, analysis.comments, analysis.signature
        return item

    def _count(self, analysis: PageAnalysis) -> None:
        self.stats.inc_value("extract/articles")
        if analysis.signature is not None:
            self.stats.inc_value("dedup/signed")
        if not analysis.comments:
            return
        for comment in analysis.comments:
            self.stats.inc_value(f"comments/markup/{comment.markup}")
        self.stats.inc_value("comments/parsed", len(analysis.comments))
        if undated := sum(c.posted_at is None for c in analysis.comments):
            self.stats.inc_value("comments/undated", undated)
