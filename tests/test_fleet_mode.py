"""crawler/fleet.py: one setting, NEWSDEDUP_FRONTIER, switches a crawl into fleet mode."""

from __future__ import annotations

from scrapy.utils.test import get_crawler

from crawler.fleet import POLITENESS, FleetMode

ADDON = {"ADDONS": {FleetMode: 0}}


def test_without_a_frontier_nothing_changes() -> None:
    settings = get_crawler(settings_dict=ADDON).settings
    assert "scrapy_redis" not in settings["SCHEDULER"]
    assert POLITENESS not in settings.getdict("DOWNLOADER_MIDDLEWARES")


def test_a_frontier_url_turns_on_the_shared_queue_and_fleet_politeness() -> None:
    url = "redis://127.0.0.1:6379/1"
    settings = get_crawler(settings_dict={**ADDON, "NEWSDEDUP_FRONTIER": url, "FLEET_RUN": "r7"}).settings
    assert settings["SCHEDULER"] == "crawler.fleet_scheduler.FleetScheduler"
    assert settings["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert settings["REDIS_URL"] == url
    assert settings["SCHEDULER_QUEUE_KEY"] == "%(spider)s:r7:requests"
    assert settings["SCHEDULER_DUPEFILTER_KEY"] == "%(spider)s:r7:dupefilter"
    assert settings.getdict("DOWNLOADER_MIDDLEWARES")[POLITENESS] == 950
