"""crawler/store_access.py: spiders read the database through the StoreAccess extension,
which the store stage hands its open CrawlStore to; no spider reaches into a pipeline."""

from __future__ import annotations

import ast
import asyncio
from datetime import timedelta
from functools import partial

from scrapy import Spider, signals
from scrapy.utils.test import get_crawler

from crawler.spiders import crawl_store
from crawler.store_access import StoreAccess
from pipelines.store import StorePipeline
from storage.frontier import Frontier
from tests.conftest import ROOT, close_store


def test_the_spider_reads_the_store_the_store_stage_opened(sqlite_url: str) -> None:
    crawler = get_crawler(
        Spider, {"NEWSDEDUP_DATABASE_URL": sqlite_url, "EXTENSIONS": {StoreAccess: 100}, "ITEM_PIPELINES": {}}
    )
    access = crawler.get_extension(StoreAccess)
    assert access is not None
    pipeline = StorePipeline.from_crawler(crawler)

    async def crawl() -> None:
        assert crawl_store(crawler) is None
        await pipeline.open_spider()
        assert crawl_store(crawler) is None  # until the spider is open
        await crawler.signals.send_catch_log_async(signals.spider_opened, spider=crawler.spider)
        store = crawl_store(crawler)
        assert store is pipeline.store
        load = partial(Frontier.load, sources=["example"], refresh_window=timedelta(days=3))
        frontier = await store.call(store.read, load)
        assert frontier.should_fetch("example", "https://example.org/new")
        await close_store(pipeline)
        await crawler.signals.send_catch_log_async(signals.spider_closed, spider=crawler.spider, reason="finished")
        assert crawl_store(crawler) is None

    asyncio.run(crawl())


def test_without_the_extension_or_the_store_stage_there_is_no_store() -> None:
    assert crawl_store(get_crawler(Spider, {"EXTENSIONS": {}})) is None
    crawler = get_crawler(Spider, {"EXTENSIONS": {StoreAccess: 100}})
    crawler.signals.send_catch_log(signals.spider_opened, spider=crawler.spider)
    assert crawl_store(crawler) is None


def test_no_spider_or_extension_reaches_into_an_item_pipeline() -> None:
    found = []
    for path in (ROOT / "crawler").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "get_item_pipeline":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
