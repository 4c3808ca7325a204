"""An extension that tunes CPython for the crawl process: garbage collection and the GIL.

**Full collections.** CPython's oldest-generation passes walk every tracked object, and a
crawl process holds ~190,000 of them before the first page arrives (Scrapy, Twisted,
SQLAlchemy, pydantic, numpy and their modules), all immortal in practice. Each pass held
the event loop (and the store thread) for up to 226 ms, 3.6 s in all over a 2,000-page
crawl (bench/crawl_throughput.py; gc.callbacks timings). ``gc.freeze()`` when the spider
opens moves those objects out of the collector's sight: passes then walk only what the
crawl allocates (max 128 ms, 1.2–1.5 s in all, same crawl). GC_FREEZE_ENABLED.

**GIL hand-offs.** The store thread waits on the database ~14 times per article; each
time the answer comes it needs the GIL back from the busy event-loop thread, which
yields it only every ``sys.getswitchinterval()`` (5 ms by default). With 1 ms a 2,000-page
import into PostgreSQL ran at 43.2 pages/s instead of 38.7 (SQLite: unchanged within
noise). GIL_SWITCH_INTERVAL (seconds; None keeps Python's).
"""

from __future__ import annotations

import gc
import logging
import sys
from typing import TYPE_CHECKING

from scrapy import signals

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class InterpreterTuning:
    def __init__(self, freeze: bool, switch_interval: float | None) -> None:
        self.freeze, self.switch_interval = freeze, switch_interval
        self._previous_interval = sys.getswitchinterval()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        s = crawler.settings
        interval = s.get("GIL_SWITCH_INTERVAL")
        extension = cls(s.getbool("GC_FREEZE_ENABLED"), None if interval in (None, "", "None") else float(interval))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        if self.switch_interval is not None:
            sys.setswitchinterval(self.switch_interval)
        if self.freeze:
            gc.collect()  # what is garbage now is not frozen with the rest
            gc.freeze()
            logger.debug("froze %d startup objects out of the garbage collector's passes", gc.get_freeze_count())

    def spider_closed(self) -> None:
        # A process that runs more than one crawl leaves each as it found it.
        sys.setswitchinterval(self._previous_interval)
        if self.freeze:
            gc.unfreeze()
