"""crawler/compat.py against the installed Scrapy and scrapy-redis: the private internals the
crawler still leans on, each checked here so that an upgrade which changes one fails this
test instead of quietly changing how a crawl behaves."""

from __future__ import annotations

import asyncio
import gzip
import inspect
import warnings
from typing import Any

import pytest
from scrapy import Request, Spider
from scrapy.core.downloader import Downloader
from scrapy.core.engine import ExecutionEngine
from scrapy.core.scheduler import BaseScheduler
from scrapy.http import HtmlResponse, Response, XmlResponse
from scrapy.spiders import SitemapSpider
from scrapy.utils.reactor import is_reactor_installed
from scrapy.utils.test import get_crawler
from scrapy_redis.scheduler import Scheduler

import crawler.settings as project
from crawler.compat import sitemap_body, wake_engine
from crawler.fleet_scheduler import FleetScheduler
from crawler.spiders.news import NewsSpider

SITEMAP = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://example.org/a</loc></url></urlset>'


class CountingScheduler(BaseScheduler):
    """Counts how often the engine asks it for a request."""

    asked = 0

    def has_pending_requests(self) -> bool:
        return False

    def enqueue_request(self, request: Request) -> bool:
        return True

    def next_request(self) -> Request | None:
        CountingScheduler.asked += 1
        return None


@pytest.mark.skipif(is_reactor_installed(), reason="runs an engine on its own asyncio loop (no Twisted reactor)")
def test_wake_engine_makes_an_idle_engine_ask_its_scheduler_again() -> None:
    """FleetScheduler's FLEET_IDLE_POLL: without it an idle engine asks every 5 s only."""

    async def crawl() -> tuple[int, int]:
        settings = {"SCHEDULER": CountingScheduler, "DOWNLOAD_HANDLERS": {"http": None, "https": None}}
        crawler = get_crawler(Spider, settings)
        crawler.spider = Spider.from_crawler(crawler, name="compat")
        engine = ExecutionEngine(crawler, lambda spider: None)
        assert not wake_engine(engine, 0.01)  # no spider open yet
        await engine.open_spider_async(close_if_idle=False)
        engine.running = True  # as start_async() sets it; no start requests are read
        await asyncio.sleep(0.05)
        before = CountingScheduler.asked
        assert wake_engine(engine, 0.01)
        await asyncio.sleep(0.2)
        engine.running = False
        await engine.close_spider_async()
        return before, CountingScheduler.asked

    before, after = asyncio.run(crawl())
    assert after > before


def test_sitemap_body_is_sitemap_spiders_own_reading() -> None:
    spider = SitemapSpider.from_crawler(get_crawler(SitemapSpider), name="compat")
    url = "https://example.org/sitemap.xml"
    assert sitemap_body(spider, XmlResponse(url, body=SITEMAP)) == SITEMAP
    gzipped = Response(url + ".gz", body=gzip.compress(SITEMAP), request=Request(url + ".gz"))
    assert sitemap_body(spider, gzipped) == SITEMAP
    assert sitemap_body(spider, HtmlResponse("https://example.org/", body=b"<html></html>")) is None


def test_scrapy_redis_scheduler_has_what_fleet_scheduler_builds_on() -> None:
    """FleetScheduler overrides open/close/enqueue_request/next_request/has_pending_requests
    and reads these attributes that scrapy-redis 0.9's Scheduler sets."""
    upstream: Any = Scheduler(server=object())
    for name in ("server", "flush_on_start", "queue_key", "queue_cls", "df", "dupefilter_cls", "idle_before_close"):
        assert hasattr(upstream, name), name
    assert upstream.stats is None and upstream.serializer is None
    for method in ("open", "close", "enqueue_request", "next_request", "has_pending_requests", "flush", "__len__"):
        ours, theirs = inspect.signature(getattr(FleetScheduler, method)), inspect.signature(getattr(Scheduler, method))
        assert list(ours.parameters) == list(theirs.parameters), method
    assert callable(Scheduler.from_crawler)


@pytest.mark.skipif(is_reactor_installed(), reason="builds a downloader on its own asyncio loop (no Twisted reactor)")
@pytest.mark.parametrize("extra", [{}, {"RANDOMIZE_DOWNLOAD_DELAY": True}], ids=["project", "deprecated-setting"])
def test_the_project_settings_raise_no_warning(extra: dict[str, Any]) -> None:
    """Quiet on a fresh install (issue 22): a crawler and its downloader built from
    crawler/settings.py with the installed Scrapy warn about nothing. The second case
    proves the check sees what Scrapy 2.19 warns about (RANDOMIZE_DOWNLOAD_DELAY set)."""
    settings = {name: value for name, value in vars(project).items() if name.isupper()}
    # No reactor, no network: the settings are read as in a crawl, nothing is fetched.
    settings.update(TWISTED_REACTOR_ENABLED=False, DOWNLOAD_HANDLERS={"http": None, "https": None}, **extra)

    async def build() -> None:
        Downloader(get_crawler(NewsSpider, settings)).close()

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        asyncio.run(build())
    messages = [f"{w.category.__name__}: {w.message}" for w in caught]
    if extra:
        assert any("RANDOMIZE_DOWNLOAD_DELAY" in message for message in messages), messages
    else:
        assert messages == []
