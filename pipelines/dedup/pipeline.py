"""DedupPipeline: the Scrapy adapter that signs each article for the store's index."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from pipelines.dedup.config import DedupConfig
from pipelines.dedup.signature import make_signature
from pipelines.items import ArticleItem
from pipelines.pool import WorkerPool, crawl_pool
from storage.db import session_for_url
from storage.dedup import foreign_params

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def dedup_config(settings: BaseSettings) -> DedupConfig:
    """DedupConfig from the DEDUP_* settings (defaults live on the dataclass)."""
    defaults = DedupConfig()
    window = settings.get("DEDUP_WINDOW_DAYS", defaults.window_days)
    return DedupConfig(
        enabled=settings.getbool("DEDUP_ENABLED", defaults.enabled),
        shingle_size=settings.getint("DEDUP_SHINGLE_SIZE", defaults.shingle_size),
        num_perm=settings.getint("DEDUP_NUM_PERM", defaults.num_perm),
        seed=settings.getint("DEDUP_SEED", defaults.seed),
        bands=settings.getint("DEDUP_BANDS", defaults.bands),
        rows=settings.getint("DEDUP_ROWS", defaults.rows),
        copy_jaccard=settings.getfloat("DEDUP_COPY_JACCARD", defaults.copy_jaccard),
        copy_containment=settings.getfloat("DEDUP_COPY_CONTAINMENT", defaults.copy_containment),
        copy_min_size_ratio=settings.getfloat("DEDUP_COPY_MIN_SIZE_RATIO", defaults.copy_min_size_ratio),
        window_days=None if window in (None, "", "None", "none") else float(window),
        passage_window=settings.getint("DEDUP_PASSAGE_WINDOW", defaults.passage_window),
        quote_min_fraction=settings.getfloat("DEDUP_QUOTE_MIN_FRACTION", defaults.quote_min_fraction),
        quote_min_shingles=settings.getint("DEDUP_QUOTE_MIN_SHINGLES", defaults.quote_min_shingles),
        passage_max_articles=settings.getint("DEDUP_PASSAGE_MAX_ARTICLES", defaults.passage_max_articles),
        max_candidates=settings.getint("DEDUP_MAX_CANDIDATES", defaults.max_candidates),
    )


class IndexMismatch(RuntimeError):
    """The stored signatures were built with other DEDUP_* settings than this crawl's."""


def check_index(session: Session, config: DedupConfig, where: str) -> None:
    """Refuse to mix signatures built differently (they would give wrong similarities)."""
    if config.enabled and (other := foreign_params(session, config.params)):
        raise IndexMismatch(
            f"{where}: the dedup index was built with {other}, the settings say {config.params}: "
            "restore the DEDUP_* settings it was built with, or run `newsdedup dedup rebuild` with the new ones"
        )


def check_index_at(database_url: str, config: DedupConfig) -> None:
    """check_index before a crawl starts; a database without the schema yet passes."""
    try:
        with session_for_url(database_url) as session:
            check_index(session, config, make_url(database_url).render_as_string(hide_password=True))
    except SQLAlchemyError:
        return  # no schema yet, or unreachable: the store reports that when it opens


class DedupPipeline:
    """Makes sure each article carries its signature; the store links it.

    ExtractPipeline's worker signs the text in the same trip that extracts it; an item
    that arrives unsigned (extracted elsewhere) is signed here, in the crawl's worker
    processes (about 1 ms per article, off the event loop).

    Linking needs the article's row and the shared index, so it happens in the store's
    transaction: an article, its comments, its index rows and its links land together.
    """

    def __init__(self, config: DedupConfig, pool: WorkerPool, stats: StatsCollector) -> None:
        self.config = config
        self.pool = pool
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(dedup_config(crawler.settings), crawl_pool(crawler), crawler.stats)  # type: ignore[arg-type]

    async def open_spider(self) -> None:
        if self.config.enabled:
            await asyncio.to_thread(self.pool.start)

    async def close_spider(self) -> None:
        await self.pool.close()

    async def process_item(self, item: object) -> object:
        if not (self.config.enabled and isinstance(item, ArticleItem) and item.extraction is not None):
            return item
        if item.signature is None:
            item.signature = await self.pool.run(make_signature, item.extraction.text, self.config)
        self.stats.inc_value("dedup/signed")
        return item
