"""What spiders hand the pipelines: the ArticleItem that flows analyze → store, and the
``fetch_outcome`` signal for fetches that give no item."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pipelines.page import Extraction, ExtractRules, FetchedPage
from storage.records import CommentFields, WarcLocation


@dataclass(slots=True)
class ArticleItem:
    """A fetched page, filled in by each pipeline stage."""

    url: str
    body: bytes = field(repr=False)
    fetched_at: datetime
    # Source name from the sources file; None for saved pages (named after their host).
    source: str | None = None
    source_home: str | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    rules: ExtractRules = field(default_factory=ExtractRules, repr=False)
    # A paginated comment thread: this page's number in it, and the other pages.
    comment_page: int = 1
    comment_pages: list[FetchedPage] = field(default_factory=list, repr=False)
    extraction: Extraction | None = field(default=None, repr=False)
    comments: list[CommentFields] = field(default_factory=list, repr=False)
    # The dedup signature (pipelines.dedup.Signature), linked by the store.
    signature: object | None = field(default=None, repr=False)
    # The URLs that redirected to ``url`` (Scrapy's redirect_urls): the frontier knows them too.
    redirected_from: list[str] = field(default_factory=list, repr=False)
    # Where the response is archived (WARC_DIR, or the WARC file it was imported from).
    warc: WarcLocation | None = None
    # What the store did with it ("new", "updated: text, title", …), for reports.
    stored: str | None = None


# Sent by a spider for a fetch that yields no item (304 not modified, a failed fetch), with
# the arguments source, url, outcome and http_status: the store records it in the source's
# frontier (storage.frontier outcome names), so the next run knows the URL.
fetch_outcome = object()
