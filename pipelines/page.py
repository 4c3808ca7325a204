"""The data the extract stage works on: a fetched page, a source's rules, what was found."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ExtractRules:
    """Per-source settings from the sources file (where the generic extractor needs help)."""

    timezone: str = "UTC"
    body_xpath: str | None = None
    title_xpath: str | None = None
    author_xpath: str | None = None
    date_xpath: str | None = None
    prune_xpath: tuple[str, ...] = ()


@dataclass(slots=True)
class Extraction:
    """What the extractor found on an article page."""

    text: str
    # What the page declares as its URL: <link rel=canonical>, and og:url.
    canonical_url: str | None = None
    og_url: str | None = None
    title: str | None = None
    title_source: str | None = None  # what the title was read from (pipelines.titles)
    # The page's <title> as written: its source's other pages tell its site name from it.
    html_title: str | None = None
    authors: list[str] = field(default_factory=list)
    authors_source: str | None = None  # what the authors were read from (pipelines.authors)
    published_at: datetime | None = None
    published_source: str | None = None  # what published_at was read from (pipelines.published)
    language: str | None = None
    sitename: str | None = None
    description: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FetchedPage:
    url: str
    body: bytes
    content_type: str | None
    fetched_at: datetime
    # Where a thread spread over pages (WordPress comment-page-N) puts this one.
    comment_page: int = 1
