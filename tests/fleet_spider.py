"""A test-only spider for fleet tests: follows every link from each base URL's index page.

It does not depend on the news spider (whose code is being rewritten): it only fetches,
so the tests of the shared frontier (scrapy-redis) and of fleet-wide politeness look at
requests, not at extraction. Run it as
``scrapy crawl fleet -s SPIDER_MODULES=tests.fleet_spider -a base_urls=URL[,URL…]``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response, TextResponse


class FleetSpider(Spider):
    name = "fleet"
    custom_settings = {  # noqa: RUF012 - Scrapy reads it as a class attribute
        "ITEM_PIPELINES": {},
        "DOWNLOADER_MIDDLEWARES": {
            # The fixture server is on loopback, which SafeDestinationMiddleware refuses
            # for live sources; this spider has no sources.
            "crawler.middlewares.SafeDestinationMiddleware": None,
            # (These settings replace the project's dict: the robots.txt Crawl-delay reader stays.)
            "crawler.middlewares.CrawlDelayMiddleware": 110,
        },
    }

    def __init__(self, base_urls: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_urls = [url for url in base_urls.split(",") if url]

    async def start(self) -> AsyncIterator[Any]:
        for base in self.base_urls:
            # Filtered like any request: with a shared dupefilter only one worker seeds it.
            yield Request(base + "index.html")

    def parse(self, response: Response) -> Iterator[Any]:
        yield {"url": response.url}
        if isinstance(response, TextResponse):
            for href in response.css("a::attr(href)").getall():
                yield response.follow(href)
