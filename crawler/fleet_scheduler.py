"""scrapy-redis's scheduler, adjusted for a fleet of crawl processes sharing one frontier.

scrapy-redis 0.9.1 works with the Scrapy pinned here (2.13+, tested on 2.19) as it is;
this subclass changes what a fleet needs (tests/test_compat.py checks the attributes of
scrapy-redis's Scheduler it builds on; pyproject.toml pins scrapy-redis below 0.10):

* one worker finishing never empties the shared queue and request-fingerprint set.
  Upstream ``close()`` flushes both unless ``SCHEDULER_PERSIST`` is on, so the first
  worker to go idle would throw away the requests the others still have to fetch and
  make them fetch again what was already fetched;
* a worker that finds the shared queue empty waits ``FLEET_IDLE_GRACE`` seconds before
  closing, since other workers may still be fetching pages that add links (upstream
  closes at once, or blocks the reactor in ``BRPOP`` with ``SCHEDULER_IDLE_BEFORE_CLOSE``);
* Redis going away mid-run closes the worker with the reason ``frontier_unavailable``
  and one error line; upstream raises from ``next_request`` on every engine tick and the
  worker never exits (measured: still running two minutes after Redis stopped);
* stats are counted without the ``spider=`` argument and the resume message goes to the
  spider's logger: Scrapy 2.19 deprecates ``StatsCollector.inc_value(..., spider=...)``
  and ``Spider.log()`` (one warning per request, a ``TypeError`` once removed).
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import suppress
from typing import TYPE_CHECKING

from redis.exceptions import RedisError
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler

from crawler.compat import wake_engine

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy_redis.dupefilter import RFPDupeFilter

logger = logging.getLogger(__name__)


class FleetScheduler(Scheduler):
    """``SCHEDULER = "crawler.fleet_scheduler.FleetScheduler"`` with ``REDIS_URL`` set."""

    crawler: Crawler
    df: RFPDupeFilter
    lost: asyncio.Future[None] | None = None
    idle_grace: float
    idle_poll: float
    last_busy: float
    keys_ttl: int

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        instance = super().from_crawler(crawler)
        instance.crawler = crawler
        instance.idle_grace = crawler.settings.getfloat("FLEET_IDLE_GRACE")
        instance.idle_poll = crawler.settings.getfloat("FLEET_IDLE_POLL")
        instance.last_busy = time.monotonic()
        # A run's keys (FLEET_RUN) are of no use once it is over: they expire.
        instance.keys_ttl = crawler.settings.getint("FLEET_KEYS_TTL")
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
        with suppress(RedisError):  # gone: already said in frontier_lost
            logger.info("leaving the shared queue %s in place (%d requests)", self.queue.key, len(self.queue))
            if self.keys_ttl:
                for key in (self.queue.key, self.df.key):
                    self.server.expire(key, self.keys_ttl)

    def frontier_lost(self, exc: RedisError) -> None:
        """Stop this worker cleanly: nothing can be taken from or added to the frontier."""
        if self.lost is None:
            kw = self.server.connection_pool.connection_kwargs
            where = f"{kw.get('host', '?')}:{kw.get('port', '?')}/{kw.get('db', 0)}"
            logger.error("the shared frontier (Redis %s) is unreachable: %s; stopping this worker", where, exc)
            self.lost = asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="frontier_unavailable"))

    def enqueue_request(self, request: Request) -> bool:
        try:
            if not request.dont_filter and self.df.request_seen(request):
                self.df.log(request, self.spider)
                return False
            self.queue.push(request)
        except RedisError as exc:
            self.frontier_lost(exc)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        if self.lost is not None:
            return None
        try:
            request = self.queue.pop(self.idle_before_close)
        except RedisError as exc:
            self.frontier_lost(exc)
            return None
        if request is not None:
            self.last_busy = time.monotonic()
            if self.stats:
                self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        if self.lost is not None:
            return False
        try:
            return len(self) > 0
        except RedisError as exc:
            self.frontier_lost(exc)
            return False

    def spider_idle(self, spider: Spider) -> None:
        """Stay open a grace period after the last request taken: others may add more."""
        if self.lost is None and time.monotonic() - self.last_busy < self.idle_grace:
            # An idle engine asks the scheduler again only on its 5 s heartbeat, by which
            # time a short crawl is over; ask every FLEET_IDLE_POLL seconds instead.
            wake_engine(self.crawler.engine, self.idle_poll)
            raise DontCloseSpider
