"""An extension that measures how long Scrapy's event loop is kept from running.

A timer asks to run every LOOP_LAG_INTERVAL seconds; how late it actually runs is the
time something else held the loop (a slow callback, parsing on the loop, a blocking DB
call). The crawl stats get ``loop_lag/max_ms``, ``loop_lag/p99_ms`` and
``loop_lag/over_50ms`` (how many ticks were late by more than 50 ms).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


class LoopLagMonitor:
    def __init__(self, stats: StatsCollector, interval: float) -> None:
        self.stats, self.interval = stats, interval
        self.lags_ms: list[float] = []
        self._handle: asyncio.TimerHandle | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("LOOP_LAG_ENABLED"):
            raise NotConfigured
        assert crawler.stats is not None
        monitor = cls(crawler.stats, crawler.settings.getfloat("LOOP_LAG_INTERVAL"))
        crawler.signals.connect(monitor.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(monitor.spider_closed, signal=signals.spider_closed)
        return monitor

    def spider_opened(self) -> None:
        self._schedule(asyncio.get_running_loop())

    def _schedule(self, loop: asyncio.AbstractEventLoop) -> None:
        due = loop.time() + self.interval
        self._handle = loop.call_at(due, self._tick, loop, due)

    def _tick(self, loop: asyncio.AbstractEventLoop, due: float) -> None:
        lag_ms = (loop.time() - due) * 1000
        self.lags_ms.append(lag_ms)
        if lag_ms > 50:
            logger.debug("event loop was blocked for %.0f ms", lag_ms)
        self._schedule(loop)

    def spider_closed(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
        if self.lags_ms:
            self.stats.set_value("loop_lag/max_ms", round(max(self.lags_ms), 1))
            self.stats.set_value("loop_lag/p99_ms", round(percentile(self.lags_ms, 0.99), 1))
            self.stats.set_value("loop_lag/over_50ms", sum(lag > 50 for lag in self.lags_ms))
            self.stats.set_value("loop_lag/samples", len(self.lags_ms))
