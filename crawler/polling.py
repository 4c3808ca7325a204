"""EntryPolling: which feeds, sitemaps and section pages a run fetches, and what each gave.

A crawl-scoped service (an extension, as crawler/fleet.py's): the news spider asks it for
the run's entry points when it starts and tells it what each poll gave; it writes each
entry point's row through the crawl's store (storage/polling.py has the rules). An entry
URL listed twice (under two sources, as http and https, with tracking parameters) is one
entry point, fetched once, its links offered to every source that lists it.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from crawler.source_stats import page_kind
from crawler.spiders import crawl_store
from storage.polling import (
    FEED,
    OK,
    SECTION,
    SITEMAP,
    SUCCESSES,
    PollConfig,
    PollResult,
    load_entry_states,
    poll_key,
    record_poll,
)
from storage.polling import is_due as state_is_due
from storage.runs import cut_short_windows

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from sqlalchemy.orm import Session

    from crawler.sources import Source
    from storage.polling import EntryState

logger = logging.getLogger(__name__)

# Request meta: the entry point (an Entry) a feed page, child sitemap or section page was
# reached from, so what it gives is counted as that entry point's poll; POLL_ROOT marks
# the entry URL's own request.
POLL_ENTRY = "newsdedup_entry"
POLL_ROOT = "newsdedup_entry_root"
_TITLE = re.compile(rb"<title[^>]*>([^<]{1,120})", re.IGNORECASE)


def crawl_now(settings: Any) -> datetime:
    """The run's clock: CRAWL_NOW (ISO 8601, UTC when no offset is given) or the real time.

    One value for the whole run: entries are due, and next due, from when the run started.
    """
    value = settings.get("CRAWL_NOW")
    if not value:
        return datetime.now(UTC)
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry point of the run: the URL requested, and every (source, URL) listing it."""

    kind: str
    url: str
    sources: tuple[Source, ...]
    listed: tuple[tuple[str, str], ...]
    due: bool = True
    headers: dict[str, str] | None = None

    @property
    def key(self) -> str:
        return f"{self.kind} {self.url}"


def entry_points(sources: list[Source]) -> list[Entry]:
    """The sources' feeds, sitemaps and sections, each URL once (storage.polling.poll_key)."""
    groups: dict[tuple[str, str], list[tuple[Source, str]]] = defaultdict(list)
    for source in sources:
        for kind, urls in ((FEED, source.feeds), (SITEMAP, source.sitemaps), (SECTION, source.sections)):
            for url in urls:
                groups[kind, poll_key(url)].append((source, url))
    entries = []
    for (kind, _), listed in groups.items():
        names = tuple(dict.fromkeys(source.name for source, _ in listed))
        if len(listed) > 1:
            logger.warning(
                "%s listed %d times (%s): fetched once per run",
                listed[0][1],
                len(listed),
                ", ".join(f"{source.name}: {url}" for source, url in listed),
            )
        by_name = {source.name: source for source, _ in listed}
        entries.append(
            Entry(kind, listed[0][1], tuple(by_name[n] for n in names), tuple((s.name, u) for s, u in listed))
        )
    return entries


class EntryPolling:
    """POLL_ENABLED: a run fetches the entry points that are due (all with ``force``), with
    the validators of their last response; every poll's outcome is recorded either way."""

    def __init__(self, crawler: Crawler, config: PollConfig, enabled: bool, now: datetime) -> None:
        self.crawler = crawler
        self.config = config
        self.enabled = enabled
        self.now = now
        self.states: dict[str, dict[str, EntryState]] = {}
        self.polls: dict[str, tuple[Entry, PollResult]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        s = crawler.settings
        config = PollConfig(
            min_interval=timedelta(seconds=s.getfloat("POLL_MIN_INTERVAL")),
            max_interval=timedelta(seconds=s.getfloat("POLL_MAX_INTERVAL")),
        )
        return cls(crawler, config, s.getbool("POLL_ENABLED"), crawl_now(s))

    async def plan(self, sources: list[Source], force: bool = False) -> list[Entry]:
        """The run's entry points, each marked due or not, with its conditional headers."""
        store = crawl_store(self.crawler)
        cut_short: list[tuple[datetime, datetime]] = []
        if store is not None:
            names = [source.name for source in sources]
            self.states = await store.call(store.read, partial(load_entry_states, sources=names))
            if polled := [state.last_polled_at for by_url in self.states.values() for state in by_url.values()]:
                cut_short = await store.call(store.read, partial(cut_short_windows, since=min(polled)))
        planned = []
        for entry in entry_points(sources):
            states = [self.states.get(name, {}).get(url) for name, url in entry.listed]
            # A file has no pace (an offline import reads everything), and a run
            # without polling fetches every entry point as before.
            scheduled = self.enabled and not force and not entry.url.startswith("file:")
            # A poll by a run that was cut short: the links it gave may never have been
            # fetched, so the entry is read again in full (no validators, no 304).
            redo = any(start <= state.last_polled_at <= end for state in states if state for start, end in cut_short)
            due = not scheduled or redo or any(state_is_due(state, self.now) for state in states)
            planned.append(replace(entry, due=due, headers=_validators(states) if scheduled and not redo else None))
            if not due:
                self.crawler.stats.inc_value("newsdedup/entries_not_due")
                for source in entry.sources:
                    self.crawler.stats.inc_value(f"source/{source.name}/feeds_not_due")
        return planned

    def report(
        self,
        entry: Entry,
        *,
        outcome: str = OK,
        detail: str | None = None,
        http_status: int | None = None,
        links: int = 0,
        new_links: int = 0,
        etag: str | None = None,
        last_modified: str | None = None,
        root: bool = False,
    ) -> None:
        """What one response of the entry's poll gave (its first, or a page or child);
        the entry's rows are written with the poll so far."""
        _, result = self.polls.get(entry.key, (entry, PollResult(self.now)))
        if root:
            result = replace(result, http_status=http_status, etag=etag, last_modified=last_modified)
        result = replace(result, links=result.links + links, new_links=result.new_links + new_links)
        if outcome != OK:
            result = result.worse(outcome, detail, http_status)
        elif detail and not result.detail:
            result = replace(result, detail=detail)
        self.polls[entry.key] = (entry, result)
        stats = self.crawler.stats
        for source in entry.sources:
            if root:
                stats.inc_value(f"source/{source.name}/feeds_polled")
            if outcome not in SUCCESSES:
                stats.inc_value(f"source/{source.name}/feeds_failed")
            if links:
                stats.inc_value(f"source/{source.name}/feed_links", links)
        if entry.url.startswith("file:") or (store := crawl_store(self.crawler)) is None:
            return
        store.submit(store.update, partial(self._write, entry, result))

    def _write(self, entry: Entry, result: PollResult, session: Session) -> None:
        for name, url in entry.listed:
            prior = self.states.get(name, {}).get(url)
            record_poll(session, name, url, entry.kind, result, prior, self.config)


def _validators(states: list[EntryState | None]) -> dict[str, str] | None:
    """If-None-Match / If-Modified-Since from the entry's last full response, if it had any."""
    for state in states:
        if state is not None and (state.etag or state.last_modified):
            headers = {"If-None-Match": state.etag} if state.etag else {}
            if state.last_modified:
                headers["If-Modified-Since"] = state.last_modified
            return headers
    return None


def page_outcome(
    response: Response, kind: str, problem: tuple[str, str] | None, lenient: tuple[str, str] | None = None
) -> dict[str, str]:
    """The outcome and detail of a feed or sitemap response its parser could not use
    (``problem``), or read leniently: an HTML page (a login or consent page, a feed
    replaced by the site's front page) is named as such, with its title."""
    if problem is None:
        return {"detail": f"{response.url}: {lenient[0]}"} if lenient else {}
    body = response.body[:4096]
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
    if "html" in content_type or body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        title = _TITLE.search(body)
        named = f" ({title.group(1).decode('utf-8', 'replace').strip()!r})" if title else ""
        # A login, consent or bot challenge page in its place: the site turns the crawler away.
        if page := page_kind(response.body):
            return {"outcome": page, "detail": f"{response.url}: a {page} page{named}, not a {kind}"}
        return {"outcome": "html", "detail": f"{response.url}: an HTML page{named}, not a {kind}"}
    return {"outcome": "unusable", "detail": f"{response.url}: {problem[0]}: {problem[1]}".rstrip(": ")}
