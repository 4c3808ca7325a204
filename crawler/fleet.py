"""Fleet mode as a Scrapy add-on: ``NEWSDEDUP_FRONTIER=redis://…`` turns a crawl into one
worker of a fleet sharing that Redis (docs/distributed.md).

An add-on sees the final settings (the project's, the environment's and ``-s``), so the
one setting switches everything, for ``scrapy crawl news`` and ``newsdedup crawl`` alike:
the scrapy-redis queue and dupefilter (crawler/fleet_scheduler.py) and the fleet-wide
per-host limits (crawler/fleet_politeness.py). Without it nothing changes.

``FLEET_RUN`` names a run: its queue and fingerprints get their own keys
(``news:<run>:requests``), so the next run starts fresh instead of finding every URL
already seen. Every worker of one run must be given the same name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

POLITENESS = "crawler.fleet_politeness.FleetPolitenessMiddleware"
POLITENESS_ORDER = 950  # after RobotsTxtMiddleware (100), next to the downloader


class FleetMode:
    """``ADDONS = {"crawler.fleet.FleetMode": 0}``."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls()

    def update_settings(self, settings: BaseSettings) -> None:
        url = settings.get("NEWSDEDUP_FRONTIER")
        if not url:
            return
        settings.set("SCHEDULER", "crawler.fleet_scheduler.FleetScheduler", "addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", "addon")
        settings.set("REDIS_URL", url, "addon")
        if run := settings.get("FLEET_RUN"):
            settings.set("SCHEDULER_QUEUE_KEY", f"%(spider)s:{run}:requests", "addon")
            settings.set("SCHEDULER_DUPEFILTER_KEY", f"%(spider)s:{run}:dupefilter", "addon")
        settings.set_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", POLITENESS, POLITENESS_ORDER)
