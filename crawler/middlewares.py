"""Downloader middlewares: retries that wait as the server asks, robots.txt Crawl-delay
honoured, no requests to private or loopback addresses on behalf of a live source (SSRF),
and compressed HTML handed to Scrapy's decompression without a wasted charset guess."""

from __future__ import annotations

import asyncio
import email.utils
import ipaddress
import socket
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.core.downloader import Downloader
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response, TextResponse
from scrapy.utils.misc import load_object
from scrapy.utils.response import response_status_message
from twisted.internet import defer, error

# What a server that answers too late raises (Scrapy's DOWNLOAD_TIMEOUT, a TCP timeout).
TIMEOUTS = (defer.TimeoutError, TimeoutError, error.TimeoutError, error.TCPTimedOutError)

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Request


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware:
    """Scrapy's RetryMiddleware (RETRY_*; the settings switch Scrapy's own off for this
    one), but a retry waits: Retry-After when the server sends one (429, 503), else
    exponential backoff from RETRY_BACKOFF_BASE; capped at RETRY_MAX_DELAY. Waiting is an
    asyncio sleep of this request only: the crawl goes on meanwhile. A timeout is retried
    only with RETRY_TIMEOUTS. Retries are made by Scrapy's public ``get_retry_request``
    (its retry/* stats, its give-up log line)."""

    def __init__(self, crawler: Crawler) -> None:
        s = crawler.settings
        if not s.getbool("RETRY_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.max_retry_times = s.getint("RETRY_TIMES")
        self.retry_http_codes = {int(code) for code in s.getlist("RETRY_HTTP_CODES")}
        self.priority_adjust = s.getint("RETRY_PRIORITY_ADJUST")
        self.give_up_log_level = s.get("RETRY_GIVE_UP_LOG_LEVEL")
        self.exceptions_to_retry: tuple[type[Exception], ...] = tuple(
            load_object(e) if isinstance(e, str) else e for e in s.getlist("RETRY_EXCEPTIONS")
        )
        self.backoff_base = s.getfloat("RETRY_BACKOFF_BASE")
        self.max_delay = s.getfloat("RETRY_MAX_DELAY")
        self.retry_timeouts = s.getbool("RETRY_TIMEOUTS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def _retry(self, request: Request, reason: str | Exception) -> Request | None:
        """The request again, or None when it has had its RETRY_TIMES (or meta max_retry_times)."""
        assert self.crawler.spider is not None
        meta = request.meta
        return get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=reason,
            max_retry_times=meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=meta.get("priority_adjust", self.priority_adjust),
            give_up_log_level=meta.get("give_up_log_level", self.give_up_log_level),
        )

    def _delay(self, request: Request, response: Response | None) -> float:
        asked = retry_after_seconds(_header(response, "Retry-After")) if response is not None else None
        attempt = request.meta.get("retry_times", 0)
        return min(self.max_delay, asked if asked is not None else self.backoff_base * 2**attempt)

    async def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        delay = self._delay(request, response)
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        # Scrapy's stats add any number; StatsCollector.inc_value is annotated for int only.
        self.crawler.stats.inc_value("retry/waited_seconds", delay)  # type: ignore[arg-type]
        await asyncio.sleep(delay)
        return retry

    async def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> Request | None:
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        if isinstance(exception, TIMEOUTS) and not self.retry_timeouts:
            return None  # the frontier backs the URL off across runs instead
        retry = self._retry(request, exception)
        if retry is not None:
            await asyncio.sleep(self._delay(request, None))
        return retry


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


async def robots_crawl_delay(crawler: Crawler, request: Request) -> float | None:
    """The Crawl-delay robots.txt asks of this crawler on the request's host, if any.

    Scrapy reads robots.txt for Allow/Disallow only; its parser (Protego) knows the delay.
    """
    robots = crawler.get_downloader_middleware(RobotsTxtMiddleware)
    if robots is None or request.meta.get("dont_obey_robotstxt") or request.url.startswith("file:"):
        return None  # (the robots.txt request itself must not wait for its own parser)
    parser = await robots.robot_parser(request)
    crawl_delay = getattr(parser, "crawl_delay", None)
    useragent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get("USER_AGENT")
    return crawl_delay(useragent) if crawl_delay is not None else None


class CrawlDelayMiddleware:
    """A robots.txt Crawl-delay larger than DOWNLOAD_DELAY becomes that host's delay, and
    AutoThrottle may not lower it.

    The delay is known here, once robots.txt is read; the host's download slot is made by
    the downloader after the middlewares (and dropped after a minute idle), so the delay
    is applied to the slot when a request reaches the downloader (the
    ``request_reached_downloader`` signal, before the slot's queue runs).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.floor = crawler.settings.getfloat("DOWNLOAD_DELAY")
        # Download slot key (a host) → its robots.txt Crawl-delay, when above the floor.
        self.delays: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.request_reached_downloader, signal=signals.request_reached_downloader)
        return middleware

    def crawl_delay(self, slot_key: str) -> float | None:
        """The Crawl-delay this crawl keeps on a host (a download slot key), if any."""
        return self.delays.get(slot_key)

    async def process_request(self, request: Request, spider: Any = None) -> None:
        delay = await robots_crawl_delay(self.crawler, request)
        if delay is None or delay <= self.floor:
            return
        request.meta["autothrottle_dont_adjust_delay"] = True
        key = self.crawler.engine.downloader.get_slot_key(request)
        if self.delays.get(key) != delay:
            self.delays[key] = delay
            self.crawler.stats.set_value(f"politeness/crawl_delay/{key}", delay)

    def request_reached_downloader(self, request: Request) -> None:
        # The downloader names the request's slot in its meta before sending the signal.
        key = request.meta.get(Downloader.DOWNLOAD_SLOT)
        if key is None or (delay := self.delays.get(key)) is None:
            return
        if (slot := self.crawler.engine.downloader.slots.get(key)) is not None:
            slot.delay = max(slot.delay, delay)


def _forbidden(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified


class SafeDestinationMiddleware:
    """Refuse requests (and redirects) of live sources to private, loopback or link-local
    addresses, and to non-http schemes: a feed or a redirect must not make the crawler
    reach into the machine's own network. Sources declared `local = true` are exempt."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._verdicts: dict[str, str | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_request(self, request: Request, spider: Any = None) -> None:
        parts = urlsplit(request.url)
        # The spider lists the origins of local sources (robots.txt requests carry no meta).
        if (parts.scheme, parts.netloc) in getattr(self.crawler.spider, "local_origins", ()):
            return
        if parts.scheme not in ("http", "https"):
            raise IgnoreRequest(f"{request.url}: refused: {parts.scheme}:// is only for sources declared local")
        host = parts.hostname or ""
        if host not in self._verdicts:
            self._verdicts[host] = await asyncio.to_thread(self._check_host, host)
        if reason := self._verdicts[host]:
            # The spider's errback logs it, once, with the URL.
            raise IgnoreRequest(f"refused: {reason}")

    @staticmethod
    def _check_host(host: str) -> str | None:
        try:
            # (str: an IPv4 or IPv6 sockaddr starts with the address as text.)
            addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
        except (socket.gaierror, UnicodeError):
            return None  # unresolvable: the download itself will fail with a clear error
        bad = sorted(a for a in addresses if _forbidden(a))
        if bad:
            return (
                f"{host} resolves to a private or loopback address ({', '.join(bad)});"
                " declare the source local = true if that is intended"
            )
        return None


class CompressedBodyMiddleware:
    """Hands a compressed HTML response to HttpCompressionMiddleware as a plain Response.

    HttpCompressionMiddleware builds the decompressed response with ``replace()``, which
    reads every attribute of the old one, ``encoding`` included: for an HtmlResponse
    whose headers name no charset, that runs charset detection over the *compressed*
    bytes (~3 ms a page on the event loop, measured on a 90 KB page). A plain Response
    has no encoding to guess; the decompressed response gets its class and encoding from
    the real body as before. Sits just above HttpCompressionMiddleware (590).
    """

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if isinstance(response, TextResponse) and response.headers.get("Content-Encoding"):
            return Response(**{name: getattr(response, name) for name in Response.attributes})
        return response
