"""Plain records handed to storage.queries by the pipelines and the importer."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from storage.urls import url_key


class WarcLocation(NamedTuple):
    """Where a fetched response is archived: a WARC file and its record's byte offset."""

    file: str
    offset: int


def normalize_for_hash(text: str) -> str:
    """Case-fold, NFKC and collapse whitespace so cosmetic changes keep the same hash."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def content_hash(text: str) -> str:
    return hashlib.sha256(normalize_for_hash(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class CommentFields:
    """One reader comment as parsed from a page.

    ``parent`` is the ``position`` of the comment this one replies to.
    """

    position: int
    text: str
    markup: str
    author: str | None = None
    author_url: str | None = None
    posted_at: datetime | None = None
    parent: int | None = None
    site_id: str | None = None

    @property
    def key(self) -> str:
        """Identity for the unique constraint: the site's id, else author + text.

        The time is left out: relative times ("3 days ago") shift between crawls.
        """
        if self.site_id:
            return f"id:{self.site_id}"[:200]
        digest = hashlib.sha1(f"{self.author or ''}\x1f{normalize_for_hash(self.text)}".encode()).hexdigest()
        return f"h:{digest}"


@dataclass(slots=True)
class ArticleFields:
    """Everything stored about one article page."""

    url: str
    canonical_url: str
    text: str
    title: str | None = None
    title_source: str | None = None
    authors: list[str] = field(default_factory=list)
    authors_source: str | None = None
    published_at: datetime | None = None
    published_source: str | None = None
    fetched_at: datetime | None = None
    language: str | None = None
    sitename: str | None = None
    description: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    http_etag: str | None = None
    http_last_modified: str | None = None
    # Another site's URL the page declares as its canonical (storage.urls.url_key form).
    declared_url_key: str | None = None
    # The archived response this was extracted from (None: not archived).
    warc: WarcLocation | None = None

    @property
    def url_key(self) -> str:
        return url_key(self.canonical_url)

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)

    @property
    def word_count(self) -> int:
        return len(self.text.split())
