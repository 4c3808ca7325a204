"""Per-host politeness for a whole fleet of crawl processes, through Redis.

Scrapy's delays and concurrency limits are per process (one download slot per host in
each process), and scrapy-redis shares only the queue: three workers would hit a host
three times as often. This downloader middleware makes two limits hold across every
process that shares the frontier (``NEWSDEDUP_FRONTIER=redis://…``):

* at most one request in flight per host (per download slot key) in the whole fleet;
* at least a delay between the end of one response from a host and the start of the
  next request to it: ``FLEET_HOST_DELAY`` (1 s), or the host's robots.txt
  ``Crawl-delay`` (read by CrawlDelayMiddleware), or this process's AutoThrottle delay
  for the host, whichever is larger.

One Redis key per host holds the state. Before a download the middleware takes it with
``SET key busy:<token> NX PX <lease>`` (the lease covers the download timeout, so a
worker killed mid-download frees the host by itself); when the response or the error
comes back, a Lua script turns it into ``rest:<token>`` expiring after the delay, only
if we still hold it. A request that finds the key taken waits without blocking the
reactor: the time left when the host is resting, a short poll while a download is in
flight elsewhere. Within one process, requests for a host wait locally while this
process holds it, so Redis sees one poller per host and process.

file:// and other non-HTTP requests, and the ``local-files`` download slot, are exempt.
Put it after RobotsTxtMiddleware (100), near the downloader, so the robots.txt request
a held request waits for is not itself stuck behind that request's lease.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from redis.exceptions import RedisError
from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.reactor import is_asyncio_reactor_installed

from crawler.middlewares import CrawlDelayMiddleware

if TYPE_CHECKING:
    from typing import Self

    from redis.asyncio import Redis
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

META_KEY = "fleet_politeness_lease"
EXEMPT_SLOTS = frozenset({"local-files"})

# KEYS[1] host key; ARGV[1] "busy:<token>", ARGV[2] lease ms.
# Returns {1, 0, 0} when taken; else {0, ms left, 1 if resting after a response else 0}.
ACQUIRE = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1, 0, 0} end
local holder = redis.call('GET', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if holder and string.sub(holder, 1, 5) == 'rest:' then return {0, left, 1} end
return {0, left, 0}
"""
# KEYS[1] host key; ARGV[1] "busy:<token>", ARGV[2] "rest:<token>", ARGV[3] delay ms.
# Returns 1 when we still held the host, 0 when our lease had run out.
RELEASE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
else
  redis.call('DEL', KEYS[1])
end
return 1
"""


class FleetPolitenessMiddleware:
    """``DOWNLOADER_MIDDLEWARES = {"crawler.fleet_politeness.FleetPolitenessMiddleware": 950}``.

    Off (NotConfigured) unless ``NEWSDEDUP_FRONTIER`` is a Redis URL.
    """

    def __init__(
        self,
        crawler: Crawler,
        redis_url: str,
        *,
        delay: float,
        poll: float,
        lease_margin: float,
        key_prefix: str,
    ) -> None:
        self.crawler = crawler
        self.redis_url = redis_url
        self.delay, self.poll, self.lease_margin, self.key_prefix = delay, poll, lease_margin, key_prefix
        self.timeout = crawler.settings.getfloat("DOWNLOAD_TIMEOUT")
        self.stats = crawler.stats
        self._redis: Redis | None = None
        self._scripts: dict[str, Any] = {}
        # Hosts this process holds: key → monotonic deadline of the lease.
        self._held: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        s = crawler.settings
        url = s.get("NEWSDEDUP_FRONTIER")
        if not url:
            raise NotConfigured("NEWSDEDUP_FRONTIER is not set: per-process politeness only")
        if not is_asyncio_reactor_installed():
            raise NotConfigured("fleet politeness needs TWISTED_REACTOR = AsyncioSelectorReactor")
        middleware = cls(
            crawler,
            url,
            delay=s.getfloat("FLEET_HOST_DELAY"),
            poll=s.getfloat("FLEET_POLL_INTERVAL"),
            lease_margin=s.getfloat("FLEET_LEASE_MARGIN"),
            key_prefix=s["FLEET_KEY_PREFIX"],
        )
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    # -- Redis --------------------------------------------------------------------------

    def _client(self) -> Redis:
        if self._redis is None:
            from redis.asyncio import Redis

            self._redis = Redis.from_url(self.redis_url)
            self._scripts = {
                "acquire": self._redis.register_script(ACQUIRE),
                "release": self._redis.register_script(RELEASE),
            }
        return self._redis

    async def spider_closed(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None

    # -- what the limits are ------------------------------------------------------------

    def host_key(self, request: Request) -> str | None:
        """The download slot key (Scrapy's per-host unit), None when exempt."""
        if urlsplit(request.url).scheme not in ("http", "https"):
            return None
        downloader = getattr(self.crawler.engine, "downloader", None)
        slot = downloader.get_slot_key(request) if downloader else urlsplit(request.url).hostname or ""
        return None if slot in EXEMPT_SLOTS else slot

    def host_delay(self, request: Request, slot: str) -> float:
        """FLEET_HOST_DELAY, or this process's delay for the host when larger: the robots.txt
        Crawl-delay (CrawlDelayMiddleware, which runs before this one) or AutoThrottle's."""
        delay = self.delay
        robots = self.crawler.get_downloader_middleware(CrawlDelayMiddleware)
        if robots is not None and (crawl_delay := robots.crawl_delay(slot)) is not None:
            delay = max(delay, crawl_delay)
        downloader = getattr(self.crawler.engine, "downloader", None)
        if downloader is not None and (local := downloader.slots.get(slot)) is not None:
            delay = max(delay, local.delay)
        return delay

    def lease_seconds(self, request: Request, slot: str) -> float:
        # Covers the download, and the wait in this process's slot queue for its own
        # (jittered) delay, which Scrapy applies after the middlewares.
        timeout = float(request.meta.get("download_timeout", self.timeout))
        downloader = getattr(self.crawler.engine, "downloader", None)
        local = downloader.slots.get(slot) if downloader else None
        return timeout + 1.5 * (local.delay if local is not None else 0.0) + self.lease_margin

    # -- the middleware -----------------------------------------------------------------

    async def process_request(self, request: Request) -> None:
        slot = self.host_key(request)
        if slot is None:
            return
        key = self.key_prefix + slot
        token = uuid.uuid4().hex
        lease = self.lease_seconds(request, slot)
        started = time.monotonic()
        while True:
            held_until = self._held.get(key)
            if held_until is not None and time.monotonic() < held_until:
                # Another request of this process has the host: wait here, not in Redis.
                await asyncio.sleep(self.poll)
                continue
            self._client()
            try:
                taken, left_ms, resting = await self._scripts["acquire"](
                    keys=[key], args=[f"busy:{token}", int(lease * 1000)]
                )
            except RedisError as exc:
                # No host can be taken without Redis; the scheduler stops the worker.
                self._count("fleet_politeness/redis_errors")
                message = f"fleet politeness: Redis unreachable ({exc}), not fetching {request.url}"
                raise IgnoreRequest(message) from None
            if taken:
                break
            if resting and left_ms > 0:
                await asyncio.sleep(left_ms / 1000)
            else:
                await asyncio.sleep(self.poll * random.uniform(0.5, 1.5))
        self._held[key] = time.monotonic() + lease
        request.meta[META_KEY] = (key, token, slot)
        waited = time.monotonic() - started
        if self.stats is not None:
            self.stats.inc_value("fleet_politeness/acquired")
            # Scrapy's stats add any number; StatsCollector.inc_value is annotated for int only.
            self.stats.inc_value("fleet_politeness/wait_seconds", round(waited, 3))  # type: ignore[arg-type]
        logger.debug("took host %s after %.3fs for %s", slot, waited, request.url)

    async def process_response(self, request: Request, response: Response) -> Response:
        await self._release(request)
        return response

    async def process_exception(self, request: Request, exception: Exception) -> None:
        await self._release(request)

    async def _release(self, request: Request) -> None:
        lease = request.meta.pop(META_KEY, None)
        if lease is None:
            return
        key, token, slot = lease
        self._held.pop(key, None)
        delay_ms = int(self.host_delay(request, slot) * 1000)
        try:
            still_ours = await self._scripts["release"](keys=[key], args=[f"busy:{token}", f"rest:{token}", delay_ms])
        except RedisError as exc:
            # The response is good; the host frees itself when the lease runs out.
            logger.warning("could not release host %s (Redis: %s); it frees itself in its lease", slot, exc)
            self._count("fleet_politeness/redis_errors")
            return
        if not still_ours:
            # The download outlived the lease: another worker may have started on the host.
            logger.warning("lease on host %s ran out before %s finished", slot, request.url)
            self._count("fleet_politeness/lease_lost")

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)
