"""`scrapy crawl news`: a broken sources file or invalid DEDUP_* settings are one line on
stderr and exit status 2, before Scrapy starts (instead of a traceback from inside the
crawl). The database is checked once, by the crawl's store when it opens."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawl

from crawler.sources import SourcesError, load_sources
from pipelines.dedup import dedup_config
from pipelines.store import STORE_FAILED

if TYPE_CHECKING:
    import argparse

    from scrapy.crawler import Crawler


# The database refused the crawl (locked, index built otherwise) or went away; the fleet's
# Redis frontier went away: the crawl ended, but a scheduler should see it failed.
FAILED = (STORE_FAILED, "frontier_unavailable")


class Command(ScrapyCrawl):
    crawler: Crawler | None = None

    def _create_crawler(self, spname: str) -> Crawler:
        self.crawler = super()._create_crawler(spname)
        return self.crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args and args[0] == "news":
            assert self.settings is not None
            spargs = opts.spargs
            path = spargs.get("sources") or self.settings.get("NEWSDEDUP_SOURCES")
            try:
                load_sources(path, base_url=spargs.get("base_url"), only=spargs.get("source"))
                dedup_config(self.settings)
            except (SourcesError, ValueError) as exc:
                sys.stderr.write(f"error: {exc}\n")
                self.exitcode = 2
                return
        super().run(args, opts)
        if self.crawler is not None and self.crawler.stats.get_value("finish_reason") in FAILED:
            self.exitcode = 1
