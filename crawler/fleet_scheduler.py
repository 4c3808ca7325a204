"""scrapy-redis's scheduler, adjusted for a fleet of crawl processes sharing one frontier.

scrapy-redis 0.9.1 works with the Scrapy pinned here (2.13+, tested on 2.19) as it is;
this subclass changes what a fleet needs (docs/distributed-notes.md has the details):

* one worker finishing never empties the shared queue and request-fingerprint set.
  Upstream ``close()`` flushes both unless ``SCHEDULER_PERSIST`` is on, so the first
  worker to go idle would throw away the requests the others still have to fetch and
  make them fetch again what was already fetched;
* a worker that finds the shared queue empty waits ``FLEET_IDLE_GRACE`` seconds before
  closing, since other workers may still be fetching pages that add links (upstream
  closes at once, or blocks the reactor in ``BRPOP`` with ``SCHEDULER_IDLE_BEFORE_CLOSE``);
* stats are counted without the ``spider=`` argument and the resume message goes to the
  spider's logger: Scrapy 2.19 deprecates ``StatsCollector.inc_value(..., spider=...)``
  and ``Spider.log()`` (one warning per request, a ``TypeError`` once removed).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class FleetScheduler(Scheduler):
    """``SCHEDULER = "crawler.fleet_scheduler.FleetScheduler"`` with ``REDIS_URL`` set."""

    crawler: Crawler
    idle_grace: float = 0.0
    idle_poll: float = 0.5
    last_busy: float = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        instance = super().from_crawler(crawler)
        instance.crawler = crawler
        instance.idle_grace = crawler.settings.getfloat("FLEET_IDLE_GRACE", 10.0)
        instance.idle_poll = crawler.settings.getfloat("FLEET_IDLE_POLL", 0.5)
        instance.last_busy = time.monotonic()
        crawler.signals.connect(instance.spider_idle, signal=signals.spider_idle)
        return instance

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.queue = load_object(self.queue_cls)(
            server=self.server,
            spider=spider,
            key=self.queue_key % {"spider": spider.name},
            serializer=self.serializer,
        )
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        if self.flush_on_start:
            self.flush()
        if pending := len(self.queue):
            logger.info("joining a crawl in progress: %d requests in the shared queue %s", pending, self.queue.key)

    def close(self, reason: str) -> None:
        # The queue and the fingerprints belong to the fleet, not to this worker: they are
        # emptied on purpose (SCHEDULER_FLUSH_ON_START, or `redis-cli del`), never on close.
        logger.info("leaving the shared queue %s in place (%d requests)", self.queue.key, len(self.queue))

    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        request = self.queue.pop(self.idle_before_close)
        if request is not None:
            self.last_busy = time.monotonic()
            if self.stats:
                self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def spider_idle(self, spider: Spider) -> None:
        """Stay open a grace period after the last request taken: others may add more."""
        if time.monotonic() - self.last_busy < self.idle_grace:
            # An idle engine asks the scheduler again only on its 5 s heartbeat, by which
            # time a short crawl is over; ask every FLEET_IDLE_POLL seconds instead.
            # (ExecutionEngine._slot is private: without it we fall back to the heartbeat.)
            slot = getattr(self.crawler.engine, "_slot", None)
            if slot is not None and getattr(slot, "nextcall", None) is not None:
                slot.nextcall.schedule(self.idle_poll)
            raise DontCloseSpider
