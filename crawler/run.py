"""Run one crawl in this process with the project settings (used by the CLI)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.progress import CrawlTally, ImportProgress

if TYPE_CHECKING:
    from rich.console import Console
    from scrapy import Spider


@dataclass
class CrawlResult:
    stats: dict[str, Any]
    tally: CrawlTally

    @property
    def finish_reason(self) -> str:
        return str(self.stats.get("finish_reason", "unknown"))

    @property
    def ok(self) -> bool:
        return self.finish_reason == "finished"


class ConsoleLogHandler(logging.Handler):
    """Log lines printed through the Rich console, above the progress bar, unwrapped."""

    STYLES: ClassVar[dict[str, str]] = {"ERROR": "red", "CRITICAL": "bold red", "WARNING": "yellow"}

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console
        self.setFormatter(logging.Formatter("%(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        style = self.STYLES.get(record.levelname)
        self.console.print(self.format(record), style=style, soft_wrap=True, highlight=False, markup=False)


def _without_traceback(record: logging.LogRecord) -> bool:
    """Keep error lines to their one-line message; --verbose shows tracebacks."""
    record.exc_info = None
    record.exc_text = None
    return True


def project_settings(database_url: str, overrides: dict[str, Any] | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("NEWSDEDUP_DATABASE_URL", database_url, priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(
    spider_cls: type[Spider], spider_args: dict[str, Any], settings: Settings, console: Console, log_level: str
) -> CrawlResult:
    """Crawl with a progress bar; Scrapy's log lines print above it through Rich."""
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = CrawlerProcess(settings)
    handler = ConsoleLogHandler(console)
    handler.setLevel(log_level)
    if log_level != "DEBUG":
        handler.addFilter(_without_traceback)
    logging.basicConfig(level=log_level, handlers=[handler], force=True, format="%(message)s")
    crawler = process.create_crawler(spider_cls)
    with ImportProgress(console, getattr(spider_cls, "progress_unit", "pages")) as progress:
        progress.attach(crawler)
        process.crawl(crawler, **spider_args)
        process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return CrawlResult(stats=stats, tally=progress.tally)
