"""`scrapy crawl news`: a broken sources file, or DEDUP_* settings that do not match the
stored index, is one line on stderr and exit status 2, before Scrapy starts (instead of
a traceback from inside the crawl)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawl

from crawler.sources import SourcesError, load_sources
from pipelines.dedup import IndexMismatch, check_index_at, dedup_config

if TYPE_CHECKING:
    import argparse


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args and args[0] == "news":
            assert self.settings is not None
            spargs = opts.spargs
            path = spargs.get("sources") or self.settings.get("NEWSDEDUP_SOURCES")
            try:
                load_sources(path, base_url=spargs.get("base_url"), only=spargs.get("source"))
                check_index_at(self.settings.get("NEWSDEDUP_DATABASE_URL"), dedup_config(self.settings))
            except (SourcesError, IndexMismatch, ValueError) as exc:
                sys.stderr.write(f"error: {exc}\n")
                self.exitcode = 2
                return
        super().run(args, opts)
