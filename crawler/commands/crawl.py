"""`scrapy crawl news`: a broken sources file, invalid DEDUP_* settings or a fleet without
what it needs (crawler/fleet.py) are one line on stderr and exit status 2, before Scrapy
starts (instead of a traceback from inside the crawl). The database is checked once, by
the crawl's store when it opens; a crawl that ended failed (FAILED) exits with status 1."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawl

from crawler.backfill import parse_since
from crawler.fleet import FleetMisconfigured, check_fleet
from crawler.sources import SourcesError, load_sources
from pipelines.dedup import dedup_config
from pipelines.store import STORE_FAILED

if TYPE_CHECKING:
    import argparse


# The database refused the crawl (locked, index built otherwise) or went away; the fleet's
# Redis frontier went away: the crawl ended, but a scheduler should see it failed.
FAILED = (STORE_FAILED, "frontier_unavailable")


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args and args[0] == "news":
            assert self.settings is not None
            spargs = opts.spargs
            path = spargs.get("sources") or self.settings.get("NEWSDEDUP_SOURCES")
            try:
                load_sources(path, base_url=spargs.get("base_url"), only=spargs.get("source"))
                parse_since(spargs.get("since"))
                dedup_config(self.settings)
            except (SourcesError, ValueError) as exc:
                sys.stderr.write(f"error: {exc}\n")
                self.exitcode = 2
                return
        assert self.settings is not None and self.crawler_process is not None
        try:
            check_fleet(self.settings)
        except FleetMisconfigured as exc:
            sys.stderr.write(f"error: {exc}\n")
            self.exitcode = 2
            return
        if len(args) != 1:
            super().run(args, opts)  # Scrapy's usage errors
            return
        # Scrapy's crawl command, with the public API, keeping the crawler to read its end.
        crawler = self.crawler_process.create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed or crawler.stats.get_value("finish_reason") in FAILED:
            self.exitcode = 1
