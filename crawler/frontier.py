"""What a scheduled run fetches again: the stored frontier, read once at the start of a crawl."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from storage.db import session_for_url
from storage.frontier import KnownUrl, known_urls, needs_fetch


@dataclass
class Frontier:
    """Known URLs per source and the refresh window; decides fetch, refetch or skip."""

    refresh_window: timedelta
    known: dict[str, dict[str, KnownUrl]] = field(default_factory=dict)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    @classmethod
    def load(cls, database_url: str, sources: list[str], refresh_window: timedelta) -> Frontier:
        """Read the sources' frontier (blocking: call it off the event loop)."""
        with session_for_url(database_url) as session:
            known = {name: known_urls(session, name) for name in sources}
        return cls(refresh_window, known)

    def lookup(self, source: str, url: str) -> KnownUrl | None:
        return self.known.get(source, {}).get(url)

    def should_fetch(self, source: str, url: str) -> bool:
        return needs_fetch(self.lookup(source, url), self.now, self.refresh_window)

    def conditional_headers(self, source: str, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since from the last fetch: a 304 costs no extraction."""
        known = self.lookup(source, url)
        headers = {}
        if known is not None and known.etag:
            headers["If-None-Match"] = known.etag
        if known is not None and known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        return headers
