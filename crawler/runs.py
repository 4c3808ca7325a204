"""An extension that records each crawl in crawl_runs, with per-source counts from the stats."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from sqlalchemy.exc import SQLAlchemyError

from storage.db import session_for_url
from storage.runs import finish_run, start_run

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

# Stats keys "source/<name>/<counter>" (and ".../errors/<kind>") become the run's counts.
COUNTERS = ("pages_fetched", "articles_new", "articles_updated", "comments_new", "duplicates")


def per_source_counts(stats: dict[str, Any]) -> dict[str, dict[str, Any]]:
    counts: dict[str, dict[str, Any]] = {}
    for key, value in stats.items():
        parts = key.split("/")
        if parts[0] != "source" or len(parts) < 3:
            continue
        source = counts.setdefault(parts[1], {name: 0 for name in COUNTERS} | {"errors": {}})
        if parts[2] == "errors" and len(parts) == 4:
            source["errors"][parts[3]] = value
        elif parts[2] in COUNTERS:
            source[parts[2]] = value
    return counts


class RunRecorder:
    def __init__(self, database_url: str, stats: StatsCollector) -> None:
        self.database_url, self.stats = database_url, stats
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        recorder = cls(crawler.settings.get("NEWSDEDUP_DATABASE_URL"), crawler.stats)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def _write(self, action: Any) -> Any:
        with session_for_url(self.database_url) as session:
            return action(session)

    def spider_opened(self, spider: Spider) -> None:
        try:
            self.run_id = self._write(lambda session: start_run(session, spider.name))
        except SQLAlchemyError as exc:
            logger.error("could not record the crawl run: %s", exc)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run_id is None:
            return
        status = "finished" if reason == "finished" else f"failed: {reason}"
        counts = per_source_counts(self.stats.get_stats())
        try:
            self._write(lambda session: finish_run(session, self.run_id, status, counts))
        except SQLAlchemyError as exc:
            logger.error("could not record the end of crawl run %s: %s", self.run_id, exc)
