"""The crawl frontier (seen_urls): what each source's crawls fetched and what came of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import SeenUrl, Source, utcnow
from storage.queries import get_or_create_source
from storage.types import iso
from storage.urls import request_url

ARTICLE = "article"
NOT_MODIFIED = "not_modified"


@dataclass(frozen=True, slots=True)
class KnownUrl:
    """What a crawl needs to decide about a URL it meets again."""

    url: str
    outcome: str
    first_seen_at: datetime
    last_fetched_at: datetime
    published_at: datetime | None
    etag: str | None
    last_modified: str | None
    failures: int = 0


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of one fetch, as the store pipeline records it."""

    source: str
    url: str
    outcome: str
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    article_id: int | None = None
    published_at: datetime | None = None
    fetched_at: datetime | None = None


def record_outcome(session: Session, outcome: Outcome, source: Source | None = None) -> None:
    """Insert or update the source's row for the URL (pass ``source`` to save a lookup).

    A 304 or a failed refetch keeps what an earlier fetch learnt (validators, article).
    """
    source = source or get_or_create_source(session, outcome.source)
    row = session.scalar(select(SeenUrl).where(SeenUrl.source_id == source.id, SeenUrl.url == outcome.url))
    if row is None:
        row = SeenUrl(source_id=source.id, url=outcome.url, outcome=outcome.outcome)
        session.add(row)
    failed = outcome.outcome.startswith("error:")
    if not (failed and row.outcome in (ARTICLE, NOT_MODIFIED)) and outcome.outcome != NOT_MODIFIED:
        row.outcome = outcome.outcome
    row.failures = (row.failures or 0) + 1 if failed else 0
    row.last_fetched_at = outcome.fetched_at or utcnow()
    row.http_status = outcome.http_status or row.http_status
    row.http_etag = outcome.etag or row.http_etag
    row.http_last_modified = outcome.last_modified or row.http_last_modified
    row.article_id = outcome.article_id or row.article_id
    row.published_at = outcome.published_at or row.published_at
    session.flush()


def known_urls(session: Session, source: str) -> dict[str, KnownUrl]:
    """Every URL the source's crawls have fetched, with validators for conditional GET."""
    stmt = select(SeenUrl).join(Source, SeenUrl.source_id == Source.id).where(Source.name == source)
    return {
        row.url: KnownUrl(
            row.url,
            row.outcome,
            row.first_seen_at,
            row.last_fetched_at,
            row.published_at,
            row.http_etag,
            row.http_last_modified,
            row.failures,
        )
        for row in session.scalars(stmt)
    }


def forget(session: Session, source: str) -> int:
    """Clear a source's frontier so its next crawl fetches everything again; the number cleared."""
    source_id = session.scalar(select(Source.id).where(Source.name == source))
    if source_id is None:
        return 0
    result = session.execute(delete(SeenUrl).where(SeenUrl.source_id == source_id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# A URL that failed N times in a row waits ERROR_BACKOFF x 2^(N-1) before the next try, at
# most MAX_ERROR_BACKOFF: a dead host or a page that times out costs one attempt per
# backoff period, not a full set of retries on every scheduled run.
ERROR_BACKOFF = timedelta(hours=1)
MAX_ERROR_BACKOFF = timedelta(days=7)


def error_backoff(failures: int, base: timedelta = ERROR_BACKOFF) -> timedelta:
    """How long after its last failed fetch a URL is left alone."""
    return min(MAX_ERROR_BACKOFF, base * 2 ** max(0, failures - 1)) if failures else timedelta(0)


def needs_fetch(
    known: KnownUrl | None, now: datetime, refresh_window: timedelta, backoff: timedelta = ERROR_BACKOFF
) -> bool:
    """Fetch a URL never fetched, one whose failures have waited their backoff, or an
    article still in its refresh window.

    Listings and other skipped pages are not fetched again; an article is refreshed
    (with conditional GET) while it is younger than the window, counted from its
    publication, else from when it was first seen.
    """
    if known is None:
        return True
    if known.failures and now - known.last_fetched_at < error_backoff(known.failures, backoff):
        return False
    if known.outcome.startswith("error:"):
        return True
    if known.outcome not in (ARTICLE, NOT_MODIFIED):
        return False
    return now - (known.published_at or known.first_seen_at) <= refresh_window


@dataclass
class Frontier:
    """Known URLs per source and the refresh window: decides fetch, refetch or skip."""

    refresh_window: timedelta
    known: dict[str, dict[str, KnownUrl]] = field(default_factory=dict)
    error_backoff: timedelta = ERROR_BACKOFF
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    @classmethod
    def load(
        cls, session: Session, sources: list[str], refresh_window: timedelta, error_backoff: timedelta = ERROR_BACKOFF
    ) -> Frontier:
        """The sources' frontier, read once at the start of a crawl."""
        known = {name: with_request_forms(known_urls(session, name)) for name in sources}
        return cls(refresh_window, known, error_backoff)

    def lookup(self, source: str, url: str) -> KnownUrl | None:
        """What the source's crawls know of a URL, met in either form: as linked (with
        tracking parameters) or as fetched (request_url). The fetched form's row comes
        first: every fetch updates it, a tracked form's only when that link was followed."""
        known = self.known.get(source, {})
        return known.get(request_url(url)) or known.get(url)

    def should_fetch(self, source: str, url: str) -> bool:
        return needs_fetch(self.lookup(source, url), self.now, self.refresh_window, self.error_backoff)

    def conditional_headers(self, source: str, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since from the last fetch: a 304 costs no extraction."""
        known = self.lookup(source, url)
        headers = {}
        if known is not None and known.etag:
            headers["If-None-Match"] = known.etag
        if known is not None and known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        return headers


def with_request_forms(known: dict[str, KnownUrl]) -> dict[str, KnownUrl]:
    """Every known URL also under the form a crawl requests it as (request_url).

    A crawl records a page under the URL it fetched and the one it was linked as, but a
    row written before requests dropped tracking parameters, or after a redirect to a
    URL with them, names only the tracked form: the clean link must find it too.
    """
    aliases = {request_url(url): row for url, row in known.items()}
    return {**{url: row for url, row in aliases.items() if url not in known}, **known}


def known_document(known: KnownUrl) -> dict[str, Any]:
    return {
        "url": known.url,
        "outcome": known.outcome,
        "first_seen_at": known.first_seen_at.isoformat(),
        "last_fetched_at": known.last_fetched_at.isoformat(),
        "published_at": iso(known.published_at),
        "etag": known.etag,
        "last_modified": known.last_modified,
        "failures": known.failures,
    }
