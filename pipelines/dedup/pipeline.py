"""DedupPipeline: the Scrapy adapter that signs each article for the store's index."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from pipelines.dedup.config import DedupConfig
from pipelines.items import ArticleItem
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
        copy_lede_fraction=settings.getfloat("DEDUP_COPY_LEDE_FRACTION", defaults.copy_lede_fraction),
        lede_shingles=settings.getint("DEDUP_LEDE_SHINGLES", defaults.lede_shingles),
        window_days=None if window in (None, "", "None", "none") else float(window),
        passage_window=settings.getint("DEDUP_PASSAGE_WINDOW", defaults.passage_window),
        quote_min_fraction=settings.getfloat("DEDUP_QUOTE_MIN_FRACTION", defaults.quote_min_fraction),
        quote_min_shingles=settings.getint("DEDUP_QUOTE_MIN_SHINGLES", defaults.quote_min_shingles),
        quote_min_passages=settings.getint("DEDUP_QUOTE_MIN_PASSAGES", defaults.quote_min_passages),
        passage_common_min=settings.getint("DEDUP_PASSAGE_COMMON_MIN", defaults.passage_common_min),
        passage_common_fraction=settings.getfloat("DEDUP_PASSAGE_COMMON_FRACTION", defaults.passage_common_fraction),
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
    """The dedup stage: owns the DEDUP_* settings and counts the signed articles.

    ExtractPipeline's worker signs each article's text in the trip that extracts it (the
    text is there; a second trip to the pool cost the crawl process ~2 ms a page), with
    ``dedup_config`` of the same settings. Linking needs the article's row and the shared
    index, so it happens in the store's transaction: an article, its comments, its index
    rows and its links land together.
    """

    def __init__(self, config: DedupConfig, stats: StatsCollector) -> None:
        self.config = config
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(dedup_config(crawler.settings), crawler.stats)  # type: ignore[arg-type]

    def process_item(self, item: object) -> object:
        if self.config.enabled and isinstance(item, ArticleItem) and item.signature is not None:
            self.stats.inc_value("dedup/signed")
        return item
