"""An extension that keeps the garbage collector's full passes short during a crawl.

CPython's oldest-generation collections walk every tracked object, and a crawl process
holds ~190,000 of them before the first page arrives (Scrapy, Twisted, SQLAlchemy,
pydantic, numpy and their modules), all immortal in practice. Each full pass held the
event loop (and the store thread) for up to 226 ms, 3.6 s in all over a 2,000-page crawl
(bench/crawl_throughput.py; gc.callbacks timings). ``gc.freeze()`` when the spider opens
moves those objects out of the collector's sight: passes then walk only what the crawl
itself allocates (max 128 ms, 1.2–1.5 s in all, same crawl).
"""

from __future__ import annotations

import gc
import logging
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class FreezeStartupObjects:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("GC_FREEZE_ENABLED", True):
            raise NotConfigured
        extension = cls()
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        gc.collect()  # what is garbage now is not frozen with the rest
        gc.freeze()
        logger.debug("froze %d startup objects out of the garbage collector's passes", gc.get_freeze_count())

    def spider_closed(self) -> None:
        # A process that runs more than one crawl gets them collectable again.
        gc.unfreeze()
