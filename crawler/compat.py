"""The private Scrapy internals newsdedup still leans on, and only here.

Everything else in the crawler uses Scrapy's public API: the retry middleware is built on
``get_retry_request``, the robots.txt Crawl-delay reaches a host's download slot through
the ``request_reached_downloader`` signal and ``Downloader.slots``, ``scrapy crawl`` keeps
its crawler through ``CrawlerProcess.create_crawler``. What has no public form is wrapped
below, and tests/test_compat.py checks each against the installed Scrapy: an upgrade that
renames or changes one of them fails there, loudly, instead of quietly changing a crawl.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.core.engine import ExecutionEngine
    from scrapy.http import Response
    from scrapy.spiders import SitemapSpider


def wake_engine(engine: ExecutionEngine, delay: float) -> bool:
    """Have the engine ask its scheduler for requests again in ``delay`` seconds.

    An idle engine asks only on its heartbeat (every 5 s); a fleet worker waiting for the
    others' new links asks more often (crawler/fleet_scheduler.py). Scrapy 2.19 has no
    public call for it: ``ExecutionEngine._slot.nextcall`` is the engine's own trigger.
    False when no spider is open.
    """
    slot = engine._slot
    if slot is None:
        return False
    slot.nextcall.schedule(delay)
    return True


def sitemap_body(spider: SitemapSpider, response: Response) -> bytes | None:
    """A sitemap response's XML, or None when the response is no sitemap: SitemapSpider's
    own reading (gunzipped within DOWNLOAD_MAXSIZE, a warning past DOWNLOAD_WARNSIZE),
    which Scrapy 2.19 keeps private (``SitemapSpider._get_sitemap_body``)."""
    return spider._get_sitemap_body(response)
