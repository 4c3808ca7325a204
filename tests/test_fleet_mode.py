"""crawler/fleet.py: one setting, NEWSDEDUP_FRONTIER, switches a crawl into fleet mode, and
the add-on refuses a fleet without a run name or without PostgreSQL before anything starts."""

from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler

from crawler.fleet import FleetMisconfigured, FleetMode
from crawler.fleet_politeness import FleetPolitenessMiddleware
from tests.conftest import run_scrapy

ADDON = {"ADDONS": {FleetMode: 0}}
FRONTIER = "redis://127.0.0.1:6379/1"
# Never connected to: the add-on only reads what kind of database it is.
POSTGRES = "postgresql+psycopg://crawler@db.example/news"


def test_without_a_frontier_nothing_changes() -> None:
    settings = get_crawler(settings_dict=ADDON).settings
    assert "scrapy_redis" not in settings["SCHEDULER"]
    assert FleetPolitenessMiddleware not in settings.getdict("DOWNLOADER_MIDDLEWARES")


def test_a_frontier_url_turns_on_the_shared_queue_and_fleet_politeness() -> None:
    fleet = {"NEWSDEDUP_FRONTIER": FRONTIER, "FLEET_RUN": "r7", "NEWSDEDUP_DATABASE_URL": POSTGRES}
    settings = get_crawler(settings_dict={**ADDON, **fleet}).settings
    assert settings["SCHEDULER"] == "crawler.fleet_scheduler.FleetScheduler"
    assert settings["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert settings["REDIS_URL"] == FRONTIER
    assert settings["SCHEDULER_QUEUE_KEY"] == "%(spider)s:r7:requests"
    assert settings["SCHEDULER_DUPEFILTER_KEY"] == "%(spider)s:r7:dupefilter"
    assert settings.getdict("DOWNLOADER_MIDDLEWARES")[FleetPolitenessMiddleware] == 950


@pytest.mark.parametrize(
    ("settings", "says"),
    [
        ({"NEWSDEDUP_DATABASE_URL": POSTGRES}, "needs FLEET_RUN"),
        ({"FLEET_RUN": "r7", "NEWSDEDUP_DATABASE_URL": "sqlite:///news.db"}, "needs a PostgreSQL"),
        ({"FLEET_RUN": "r7"}, "needs a PostgreSQL"),
    ],
)
def test_a_fleet_without_a_run_name_or_postgresql_is_refused(settings: dict[str, str], says: str) -> None:
    with pytest.raises(FleetMisconfigured, match=says):
        get_crawler(settings_dict={**ADDON, "NEWSDEDUP_FRONTIER": FRONTIER, **settings})


@pytest.mark.slow
def test_scrapy_crawl_says_it_in_one_line_before_starting() -> None:
    result = run_scrapy(
        "crawl", "news", "-s", f"NEWSDEDUP_FRONTIER={FRONTIER}", "-s", "NEWSDEDUP_DATABASE_URL=sqlite://"
    )
    assert result.returncode == 2, result.stderr[-2000:]
    # Scrapy's start-up banner, then our one line; no traceback, nothing crawled.
    assert result.stderr.strip().splitlines()[-1] == (
        "error: fleet mode (NEWSDEDUP_FRONTIER) needs FLEET_RUN, the name every worker of a run shares "
        "(e.g. -s FLEET_RUN=$(date -u +%Y%m%dT%H), or $NEWSDEDUP_FLEET_RUN)"
    )
    assert "Traceback" not in result.stderr and "Spider opened" not in result.stderr
