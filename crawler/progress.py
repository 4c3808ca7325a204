"""A Rich progress display and end-of-run summary for crawls started by the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from scrapy import signals

from pipelines.items import ArticleItem

if TYPE_CHECKING:
    from rich.console import Console
    from scrapy.crawler import Crawler

# Sent by spiders that read archives (crawler.spiders.warc, .reprocess) with done= and
# total= in their ``progress_unit`` (bytes of WARC files, articles).
ARCHIVE_PROGRESS = object()


@dataclass
class CrawlTally:
    """What the user wants to know at the end: what was stored and what was skipped, and why."""

    stored: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    # Articles the store changed, with what changed (reprocess reports them).
    changed: list[tuple[str, str]] = field(default_factory=list)


class ImportProgress:
    """Listens to a crawler's signals and drives a progress bar: fetched of scheduled pages,
    or what an archive-reading spider reports (``unit``: "bytes" of WARC files, "articles")."""

    def __init__(self, console: Console, unit: str = "pages") -> None:
        self.unit = unit
        by_bytes = unit == "bytes"
        counts = (DownloadColumn(), TransferSpeedColumn()) if by_bytes else (MofNCompleteColumn(),)
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            *counts,
            TextColumn("stored {task.fields[stored]}  skipped {task.fields[skipped]}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self.task = self.progress.add_task("fetching" if unit == "pages" else "reading", total=0, stored=0, skipped=0)
        self.tally = CrawlTally()
        self._in_flight: set[int] = set()

    def attach(self, crawler: Crawler) -> None:
        connect = crawler.signals.connect
        if self.unit != "pages":
            connect(self._reported, signal=ARCHIVE_PROGRESS)
        else:
            connect(self._scheduled, signal=signals.request_scheduled)
        # Fires whatever the outcome (response, HTTP error, dead host), so the bar completes.
        connect(self._done, signal=signals.request_left_downloader)
        connect(self._done, signal=signals.request_dropped)
        connect(self._failed, signal=signals.spider_error)
        connect(self._stored, signal=signals.item_scraped)
        connect(self._dropped, signal=signals.item_dropped)

    def __enter__(self) -> ImportProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.update(self.task, description="done")
        self.progress.stop()

    def _scheduled(self, request: Any, **_: Any) -> None:
        self._in_flight.add(id(request))
        task = self.progress.tasks[self.task]
        self.progress.update(self.task, total=(task.total or 0) + 1)

    def _reported(self, done: int, total: int, **_: Any) -> None:
        self.progress.update(self.task, completed=done, total=total)

    def _done(self, request: Any, **_: Any) -> None:
        # robots.txt and other engine-internal downloads were never scheduled: not counted.
        if id(request) in self._in_flight:
            self._in_flight.discard(id(request))
            self.progress.advance(self.task)

    def _stored(self, item: Any, **_: Any) -> None:
        if not isinstance(item, ArticleItem):
            return  # a fetch outcome recorded in the frontier, not an article
        self.tally.stored += 1
        if item.stored and not item.stored.startswith("unchanged"):
            self.tally.changed.append((item.url, item.stored))
        self.progress.update(self.task, stored=self.tally.stored)

    def _dropped(self, item: Any, exception: BaseException, **_: Any) -> None:
        self.tally.skipped.append(
            (getattr(item, "url", "?"), str(exception).rpartition(": ")[2] or type(exception).__name__)
        )
        self.progress.update(self.task, skipped=len(self.tally.skipped))

    def _failed(self, failure: Any, response: Any, **_: Any) -> None:
        self.tally.failed.append((response.url, failure.getErrorMessage()))
