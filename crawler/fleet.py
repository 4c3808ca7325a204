"""Fleet mode as a Scrapy add-on: ``NEWSDEDUP_FRONTIER=redis://…`` turns a crawl into one
worker of a fleet sharing that Redis (docs/distributed.md).

An add-on sees the final settings (the project's, the environment's and ``-s``), so the
one setting switches everything for ``scrapy crawl news``: the scrapy-redis queue and
dupefilter (crawler/fleet_scheduler.py) and the fleet-wide per-host limits
(crawler/fleet_politeness.py). Without it nothing changes.

A fleet needs two more things, checked here before anything starts (``scrapy crawl``
calls ``check_fleet`` itself first, to say it in one line with exit status 2):

* ``FLEET_RUN`` names the run: its queue and fingerprints get their own keys
  (``news:<run>:requests``), so the next run starts fresh instead of finding every URL
  already seen. Every worker of one run must be given the same name;
* a PostgreSQL database: a SQLite file has one writer at a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

POLITENESS = "crawler.fleet_politeness.FleetPolitenessMiddleware"
POLITENESS_ORDER = 950  # after RobotsTxtMiddleware (100), next to the downloader


class FleetMisconfigured(ValueError):
    """Fleet mode without what it needs; ``str()`` is one line saying what to set."""


def check_fleet(settings: BaseSettings) -> None:
    """Raise FleetMisconfigured when NEWSDEDUP_FRONTIER is set without a FLEET_RUN or with a
    database other than PostgreSQL; nothing when it is not set."""
    if not settings.get("NEWSDEDUP_FRONTIER"):
        return
    if not settings.get("FLEET_RUN"):
        raise FleetMisconfigured(
            "fleet mode (NEWSDEDUP_FRONTIER) needs FLEET_RUN, the name every worker of a run shares "
            "(e.g. -s FLEET_RUN=$(date -u +%Y%m%dT%H), or $NEWSDEDUP_FLEET_RUN)"
        )
    url = settings.get("NEWSDEDUP_DATABASE_URL") or ""
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        backend = None
    if backend != "postgresql":
        raise FleetMisconfigured(
            "fleet mode (NEWSDEDUP_FRONTIER) needs a PostgreSQL NEWSDEDUP_DATABASE_URL: "
            "a SQLite file has one writer at a time"
        )


class FleetMode:
    """``ADDONS = {"crawler.fleet.FleetMode": 0}``."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls()

    def update_settings(self, settings: BaseSettings) -> None:
        url = settings.get("NEWSDEDUP_FRONTIER")
        if not url:
            return
        check_fleet(settings)
        from crawler.fleet_politeness import FleetPolitenessMiddleware

        run = settings.get("FLEET_RUN")
        settings.set("SCHEDULER", "crawler.fleet_scheduler.FleetScheduler", "addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", "addon")
        settings.set("REDIS_URL", url, "addon")
        settings.set("SCHEDULER_QUEUE_KEY", f"%(spider)s:{run}:requests", "addon")
        settings.set("SCHEDULER_DUPEFILTER_KEY", f"%(spider)s:{run}:dupefilter", "addon")
        settings.set_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", FleetPolitenessMiddleware, POLITENESS_ORDER)
