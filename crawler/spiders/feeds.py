"""Reading an RSS/Atom feed response: its article links and the next (older) page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import feedparser

if TYPE_CHECKING:
    from scrapy.http import Response


@dataclass(frozen=True, slots=True)
class FeedPage:
    links: list[str]
    # RFC 5005 rel="next": older entries of a paged feed.
    older: str | None = None
    # (what, why) when the feed was unusable or read leniently.
    problem: tuple[str, str] | None = None
    usable: bool = True


def read_feed(response: Response) -> FeedPage:
    """RSS 0.9x/1.0/2.0 or Atom through feedparser, links made absolute.

    No content-location is passed: feedparser mangles file:// bases, so links are joined
    to the response URL here.
    """
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
    # A file:// response has no Content-Type: feedparser would flag "" as not XML.
    feed = feedparser.parse(response.body, response_headers={"content-type": content_type} if content_type else None)
    if feed.bozo and not feed.entries:
        return FeedPage([], problem=("not a usable feed", str(feed.get("bozo_exception"))), usable=False)
    links = [response.urljoin(entry.link) for entry in feed.entries if entry.get("link")]
    older = [link["href"] for link in feed.feed.get("links", []) if link.get("rel") == "next" and link.get("href")]
    # feedparser refused the strict parse (bad XML, entity tricks) and read it leniently,
    # without expanding entities.
    problem = ("malformed feed, read leniently", str(feed.get("bozo_exception"))) if feed.bozo else None
    return FeedPage(links, response.urljoin(older[0]) if older else None, problem)
