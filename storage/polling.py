"""Entry points polled at their own pace: each feed, sitemap and section page has a next-due
time learned from how often its polls bring article links the frontier does not know.

A poll that brings new links sets the interval to half the time each new link took to
appear (two polls per publishing gap, so a story is at most half a gap late); a quiet
poll lets it grow to the time the entry has been quiet. Both are bounded by the
POLL_MIN_INTERVAL / POLL_MAX_INTERVAL settings (PollConfig). No Scrapy here: the crawl's
crawler/polling.py decides what a run fetches, the CLI reads the rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import EntryPoint, Source
from storage.queries import get_or_create_source
from storage.types import iso
from storage.urls import request_url, url_key

FEED, SITEMAP, SECTION = "feed", "sitemap", "section"
OK, NOT_MODIFIED, EMPTY, MAX_PAGES = "ok", "not_modified", "empty", "max_pages"
# Outcomes of a poll that did its job; an empty feed is judged against its past by
# storage/health.py. Anything else (http_404, html, loop, trap, error:…) is a failure.
SUCCESSES = frozenset({OK, NOT_MODIFIED, EMPTY, MAX_PAGES})
# A run polls an entry this much of its interval early: cron and systemd start runs
# seconds to minutes late or early (RandomizedDelaySec), and a feed due 40 s after a run
# started would otherwise wait a whole extra run.
EARLY = 0.1


@dataclass(frozen=True, slots=True)
class PollConfig:
    """POLL_MIN_INTERVAL / POLL_MAX_INTERVAL (crawler/settings.py holds the defaults)."""

    min_interval: timedelta
    max_interval: timedelta


@dataclass(frozen=True, slots=True)
class EntryState:
    """An entry point's row as a crawl reads it when it starts."""

    url: str
    kind: str
    first_polled_at: datetime
    last_polled_at: datetime
    next_due_at: datetime
    interval: timedelta
    last_new_at: datetime | None
    outcome: str
    failures: int
    max_links: int
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one run's poll of an entry point gave, its pages and child sitemaps included."""

    polled_at: datetime
    outcome: str = OK
    detail: str | None = None
    http_status: int | None = None
    links: int = 0
    new_links: int = 0
    etag: str | None = None
    last_modified: str | None = None

    def worse(self, outcome: str, detail: str | None, http_status: int | None = None) -> PollResult:
        """This result with another outcome of one of its pages (a failure, a 304, the page
        limit); the first failure is kept."""
        if self.outcome not in SUCCESSES:
            return self
        return replace(self, outcome=outcome, detail=detail, http_status=http_status or self.http_status)

    @property
    def final_outcome(self) -> str:
        """A poll that did its job but listed no link at all is ``empty``."""
        return EMPTY if self.outcome == OK and not self.links else self.outcome


def next_interval(prior: EntryState | None, result: PollResult, config: PollConfig) -> timedelta:
    """How long after this poll the entry is due again."""
    if prior is None:
        interval = config.min_interval  # learn quickly
    elif result.new_links:
        since = result.polled_at - (prior.last_new_at or prior.first_polled_at)
        interval = since / result.new_links / 2
    else:
        quiet = result.polled_at - (prior.last_new_at or prior.first_polled_at)
        interval = max(prior.interval, quiet)
    return min(config.max_interval, max(config.min_interval, interval))


def is_due(state: EntryState | None, now: datetime) -> bool:
    return state is None or now >= state.next_due_at - state.interval * EARLY


def load_entry_states(session: Session, sources: list[str]) -> dict[str, dict[str, EntryState]]:
    """The sources' entry points, by source name and URL."""
    stmt = (
        select(Source.name, EntryPoint).join(Source, EntryPoint.source_id == Source.id).where(Source.name.in_(sources))
    )
    states: dict[str, dict[str, EntryState]] = defaultdict(dict)
    for name, row in session.execute(stmt):
        states[name][row.url] = EntryState(
            row.url,
            row.kind,
            row.first_polled_at,
            row.last_polled_at,
            row.next_due_at,
            timedelta(seconds=row.interval_seconds),
            row.last_new_at,
            row.outcome,
            row.failures,
            row.max_links,
            row.http_etag,
            row.http_last_modified,
        )
    return dict(states)


def record_poll(
    session: Session,
    source: str,
    url: str,
    kind: str,
    result: PollResult,
    prior: EntryState | None,
    config: PollConfig,
) -> None:
    """Write the entry point's row from its state before the run and this run's result.

    Computed from both each time, so a poll whose pages report one by one (a sitemap
    index, a paged feed) can be written after each: the last write holds the whole poll.
    """
    source_id = get_or_create_source(session, source).id
    row = session.scalar(select(EntryPoint).where(EntryPoint.source_id == source_id, EntryPoint.url == url))
    if row is None:
        row = EntryPoint(
            source_id=source_id, url=url, first_polled_at=prior.first_polled_at if prior else result.polled_at
        )
        session.add(row)
    interval = next_interval(prior, result, config)
    outcome = result.final_outcome
    row.kind = kind
    row.last_polled_at = result.polled_at
    row.interval_seconds = interval.total_seconds()
    row.next_due_at = result.polled_at + interval
    row.last_new_at = result.polled_at if result.new_links else (prior.last_new_at if prior else None)
    row.outcome, row.detail, row.http_status = outcome, result.detail, result.http_status
    row.links, row.new_links = result.links, result.new_links
    row.max_links = max(result.links, prior.max_links if prior else 0)
    row.failures = 0 if outcome in SUCCESSES else (prior.failures if prior else 0) + 1
    # A 304 or a failure keeps the validators of the last full response.
    row.http_etag = result.etag or (prior.etag if prior else None)
    row.http_last_modified = result.last_modified or (prior.last_modified if prior else None)
    session.flush()


def entry_rows(session: Session, source: str | None = None) -> list[tuple[str, EntryPoint]]:
    """(source name, row) of every entry point, or of one source's, by source and URL."""
    stmt = select(Source.name, EntryPoint).join(Source, EntryPoint.source_id == Source.id)
    if source is not None:
        stmt = stmt.where(Source.name == source)
    return [(name, row) for name, row in session.execute(stmt.order_by(Source.name, EntryPoint.url))]


def entry_document(source: str, row: EntryPoint) -> dict[str, Any]:
    return {
        "source": source,
        "url": row.url,
        "kind": row.kind,
        "outcome": row.outcome,
        "detail": row.detail,
        "http_status": row.http_status,
        "links": row.links,
        "new_links": row.new_links,
        "max_links": row.max_links,
        "failures": row.failures,
        "first_polled_at": iso(row.first_polled_at),
        "last_polled_at": iso(row.last_polled_at),
        "last_new_at": iso(row.last_new_at),
        "interval_seconds": row.interval_seconds,
        "next_due_at": iso(row.next_due_at),
    }


def next_polls(session: Session) -> dict[str, datetime]:
    """Per source, when its earliest entry point is next due."""
    due: dict[str, datetime] = {}
    for source, row in entry_rows(session):
        due[source] = min(due.get(source, row.next_due_at), row.next_due_at)
    return due


def poll_key(url: str) -> str:
    """What makes two listed entry URLs one: no scheme, ``www.``, tracking parameters or
    trailing slash (storage.urls), so a crawl fetches them once."""
    return url_key(request_url(url))


def duplicate_entries(session: Session) -> list[dict[str, Any]]:
    """Entry points listed more than once (under two sources, http and https, with
    tracking parameters): one crawl fetches each once, and the sources file should too."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for source, row in entry_rows(session):
        groups[poll_key(row.url)].append((source, row.url))
    return [
        {"url": listed[0][1], "listed": [{"source": s, "url": u} for s, u in listed]}
        for listed in groups.values()
        if len(listed) > 1
    ]
