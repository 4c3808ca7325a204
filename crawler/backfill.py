"""Backfill (``-a since=YYYY-MM-DD``): a source's past, from its paginated sections and its
sitemap indexes, back to a date.

A regular run reads one page of each section; a backfill follows each section's
pagination (rel=next, ``/page/N/``, ``?page=N``) until its links are mostly older than
``since``, SECTION_MAX_PAGES is reached, or the pagination turns out endless (a calendar
page that links a next month forever brings no article link the earlier pages did not).
Dates come from sitemaps (``lastmod``, a news sitemap's ``publication_date``) and from
article URLs (``/2024/05/03/``); a link with no date is kept.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml import etree

from storage.polling import MAX_PAGES
from storage.urls import request_url

if TYPE_CHECKING:
    from scrapy.http import Response

TRAP = "trap"
_URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[/-](0[1-9]|1[0-2])(?:[/-](0[1-9]|[12]\d|3[01]))?(?!\d)")
_PAGE_SEGMENT = re.compile(r"/page/(\d+)/?$")
_PAGE_PARAMS = ("page", "paged", "p")
_REL_NEXT = (
    "//link[contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
    " | //a[contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
)


def parse_since(value: str | None) -> datetime | None:
    """``-a since=YYYY-MM-DD`` (or a full ISO time) as an aware UTC time; ValueError if malformed."""
    if not value:
        return None
    if (since := parse_date(value)) is None:
        raise ValueError(f"since={value!r}: expected a date, YYYY-MM-DD")
    return since


def parse_date(value: str | None) -> datetime | None:
    """A W3C datetime as sitemaps write it (``2024-05-03``, ``2024-05-03T10:00:00+02:00``)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def url_date(url: str) -> datetime | None:
    """The date an article URL's path carries; a month alone counts as its last day, so a
    link is never judged older than it may be."""
    match = _URL_DATE.search(urlsplit(url).path)
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if match.group(3):
        return datetime(year, month, int(match.group(3)), tzinfo=UTC)
    return datetime(year, month, monthrange(year, month)[1], 23, 59, 59, tzinfo=UTC)


def sitemap_dates(body: bytes) -> dict[str, datetime]:
    """Each ``<loc>``'s newest date in a sitemap or sitemap index: its ``lastmod`` or a news
    sitemap's ``publication_date`` (which Scrapy's Sitemap does not read: it is nested).

    Parsed as Scrapy's Sitemap parses: no entities expanded, nothing fetched.
    """
    parser = etree.XMLParser(recover=True, remove_comments=True, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError:
        return {}
    dates: dict[str, datetime] = {}
    for element in root if root is not None else ():
        loc = element.findtext("{*}loc")
        found = [parse_date(element.findtext("{*}lastmod")), parse_date(element.findtext(".//{*}publication_date"))]
        if loc and (known := [d for d in found if d is not None]):
            dates[loc.strip()] = max(known)
    return dates


def next_page_url(response: Response, page: int) -> str | None:
    """The section's next page: its rel=next link, else a link to page ``page + 1`` in the
    site's numbering (``/page/N/``, ``?page=N``, ``?paged=N``)."""
    rel = response.xpath(_REL_NEXT).get()
    if rel:
        return response.urljoin(rel.strip())
    hrefs = {request_url(response.urljoin(href.strip())) for href in response.xpath("//a/@href").getall()}
    return next((url for url in numbered(response.url, page + 1) if request_url(url) in hrefs), None)


def numbered(url: str, number: int) -> list[str]:
    """The URLs page ``number`` of the section at ``url`` may have."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    for name in _PAGE_PARAMS:
        if any(key == name for key, _ in query):
            paged = urlencode([(k, str(number) if k == name else v) for k, v in query])
            return [urlunsplit(parts._replace(query=paged))]
    if _PAGE_SEGMENT.search(parts.path):
        return [urlunsplit(parts._replace(path=_PAGE_SEGMENT.sub(f"/page/{number}/", parts.path)))]
    path = parts.path.rstrip("/")
    with_param = [
        urlunsplit(parts._replace(query=urlencode([*query, (name, str(number))]))) for name in ("page", "paged")
    ]
    return [urlunsplit(parts._replace(path=f"{path}/page/{number}/")), *with_param]


@dataclass(frozen=True, slots=True)
class SectionStep:
    """What a backfill does after one section page: the links it requests, the next page
    to read (None: the walk ends), and why it ended early."""

    links: list[str]
    next_url: str | None = None
    outcome: str | None = None
    detail: str | None = None


@dataclass
class _Walk:
    seen: set[str] = field(default_factory=set)
    pages: set[str] = field(default_factory=set)


class Backfill:
    """One run's backfill: the date it goes back to, and each section's walk so far."""

    def __init__(self, since: datetime, max_pages: int) -> None:
        self.since = since
        self.max_pages = max(1, max_pages)
        self._walks: dict[str, _Walk] = {}

    def keeps(self, url: str, date: datetime | None = None) -> bool:
        """A link to request: not known to be older than ``since``."""
        date = date or url_date(url)
        return date is None or date >= self.since

    def section_page(self, walk_key: str, url: str, page: int, links: list[str], next_url: str | None) -> SectionStep:
        walk = self._walks.setdefault(walk_key, _Walk())
        fresh = [link for link in links if link not in walk.seen]
        walk.seen.update(links)
        walk.pages.add(request_url(url))
        kept = [link for link in links if self.keeps(link)]
        if next_url is None:
            return SectionStep(kept)
        if (page > 1 and not fresh) or request_url(next_url) in walk.pages:
            detail = (
                f"pagination of {url} (page {page}) brings no article link the earlier pages did not, "
                "yet links a next page: an endless (calendar) pagination, not followed further"
            )
            return SectionStep(kept, None, TRAP, detail)
        dated = [date for link in links if (date := url_date(link)) is not None]
        if dated and 2 * sum(date < self.since for date in dated) >= len(dated):
            return SectionStep(kept)  # a newest-first listing: the next pages are older still
        if page >= self.max_pages:
            detail = f"stopped at page {page} of {walk_key} (SECTION_MAX_PAGES) before reaching {self.since:%Y-%m-%d}"
            return SectionStep(kept, None, MAX_PAGES, detail)
        return SectionStep(kept, next_url)
