"""RunMetrics: a run's per-source counts as a Prometheus text file (METRICS_FILE).

For node-exporter's textfile collector: the file is written to a temporary name beside
it and renamed (prometheus_client.write_to_textfile), so the collector never reads half
a file. Every value is this run's (gauges, not counters: each run replaces the file, and
a counter that starts again at every run would read as a reset to Prometheus);
``newsdedup_run_finished_timestamp_seconds`` says when, so an alert can also fire when
runs stop. `newsdedup health --metrics-file` writes each source's status beside it.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Gauge, write_to_textfile
from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# source/<name>/<stat> → (metric, its help, the label the stat's suffix becomes)
_PER_SOURCE: dict[str, tuple[str, str, str | None]] = {
    "pages_fetched": ("pages_fetched", "Pages fetched (feeds, sitemaps, sections, articles)", None),
    "articles_new": ("articles_new", "New articles stored", None),
    "articles_updated": ("articles_updated", "Stored articles that changed", None),
    "comments_new": ("comments_new", "New reader comments stored", None),
    "duplicates": ("duplicates", "New articles that copy another source's story", None),
    "articles_extracted": ("articles_extracted", "Pages read as articles", None),
    "words": ("words", "Words of the articles read", None),
    "same_body": ("same_body_pages", "200 responses whose body other URLs of the source also got", None),
    "robots_disallowed": ("robots_disallowed", "Requests robots.txt disallowed", None),
    "feeds_polled": ("feeds_polled", "Feeds, sitemaps and section pages fetched", None),
    "feeds_not_due": ("feeds_not_due", "Feeds, sitemaps and section pages not due this run", None),
    "feeds_failed": ("feeds_failed", "Failed responses of feeds, sitemaps and section pages", None),
    "feed_links": ("feed_links", "Article links the feeds, sitemaps and section pages listed", None),
    "http_": ("http_responses", "Final responses by HTTP status", "status"),
    "dropped_": ("pages_dropped", "Pages fetched as articles but not stored, by reason", "reason"),
    "errors/": ("fetch_errors", "Failed fetches by kind", "kind"),
}


def _metric(stat: str) -> tuple[str, tuple[str, str, str | None]] | None:
    """The metric a per-source stat goes to, with the prefix its label value follows."""
    for prefix, metric in _PER_SOURCE.items():
        if stat == prefix or (metric[2] and stat.startswith(prefix)):
            return prefix, metric
    return None


def run_registry(stats: dict[str, Any], reason: str, finished: float | None = None) -> CollectorRegistry:
    """The run's metrics from its Scrapy stats."""
    registry = CollectorRegistry()
    gauges: dict[str, Gauge] = {}
    for key, value in sorted(stats.items()):
        parts = key.split("/", 2)
        if parts[0] != "source" or len(parts) < 3 or not isinstance(value, int | float):
            continue
        if (found := _metric(parts[2])) is None:
            continue
        prefix, (name, help_text, label) = found
        if name not in gauges:
            labels = ["source", label] if label else ["source"]
            gauges[name] = Gauge(f"newsdedup_source_{name}", f"{help_text}, last run", labels, registry=registry)
        values = [parts[1], parts[2].removeprefix(prefix)] if label else [parts[1]]
        gauges[name].labels(*values).set(value)
    _store_steps(stats, registry)
    started = stats.get("start_time")
    finished = finished if finished is not None else time.time()
    Gauge("newsdedup_run_finished_timestamp_seconds", "When the last run ended", registry=registry).set(finished)
    if isinstance(started, datetime):
        duration = finished - started.replace(tzinfo=started.tzinfo or UTC).timestamp()
        Gauge("newsdedup_run_duration_seconds", "How long the last run took", registry=registry).set(duration)
    success = Gauge("newsdedup_run_success", "1 if the last run finished normally", registry=registry)
    success.set(1 if reason == "finished" else 0)
    return registry


def _store_steps(stats: dict[str, Any], registry: CollectorRegistry) -> None:
    """The store's named steps (pipelines/store_steps.py): where its time went this run."""
    seconds = Gauge("newsdedup_store_step_seconds", "Store time by step, last run", ["step"], registry=registry)
    calls = Gauge("newsdedup_store_step_count", "Store step runs (articles, transactions), last run", ["step"],
                  registry=registry)  # fmt: skip
    for key, value in stats.items():
        parts = key.split("/")
        if len(parts) != 4 or parts[:2] != ["store", "step"] or not isinstance(value, int | float):
            continue
        if parts[3] == "ms":
            seconds.labels(parts[2]).set(value / 1000)
        elif parts[3] == "count":
            calls.labels(parts[2]).set(value)


class RunMetrics:
    """Writes METRICS_FILE when the crawl closes (off when the setting is empty)."""

    def __init__(self, crawler: Crawler, path: str) -> None:
        self.crawler = crawler
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        path = crawler.settings.get("METRICS_FILE")
        if not path:
            raise NotConfigured  # (a message would be a WARNING line on every run without it)
        extension = cls(crawler, str(path))
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        registry = run_registry(self.crawler.stats.get_stats(), reason)
        try:
            write_to_textfile(self.path, registry)
        except OSError as exc:
            # The run's data is stored; a monitoring file that could not be written is said, not fatal.
            logger.error("%s: cannot write the metrics file: %s", self.path, exc)
