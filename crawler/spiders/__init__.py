"""Spiders only fetch: they find article URLs and yield ArticleItems, nothing more."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from crawler.warc_archive import WARC_META
from pipelines.items import ArticleItem
from pipelines.page import ExtractRules, FetchedPage

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from pipelines.crawl_store import CrawlStore
    from pipelines.warc_read import ArchivedResponse


LOCAL_FILES_SLOT = "local-files"
# Request meta: the URL a page linked when the crawl requested it without its tracking
# parameters or fragment (storage.urls.request_url). The frontier records it as seen too.
LINKED_AS = "newsdedup_linked_as"


def crawl_store(crawler: Crawler) -> CrawlStore | None:
    """The crawl's open store, from the StoreAccess extension (None without it, or when the
    store stage is switched off or closed): the one way a spider reads the database."""
    from crawler.store_access import StoreAccess

    access = crawler.get_extension(StoreAccess)
    return access.store if access is not None else None


def local_file_meta(url: str) -> dict[str, Any]:
    """file:// requests share one download slot with no politeness delay (DOWNLOAD_SLOTS)."""
    if url.startswith("file:"):
        return {"download_slot": LOCAL_FILES_SLOT, "autothrottle_dont_adjust_delay": True}
    return {}


def linked_as(meta: dict[str, Any]) -> list[str]:
    """The form a request's URL was linked as, when that was another (a request's meta)."""
    return [meta[LINKED_AS]] if meta.get(LINKED_AS) else []


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def article_item(
    response: Response, *, source: str | None = None, home: str | None = None, rules: ExtractRules | None = None
) -> ArticleItem:
    """The item for a fetched page: raw bytes and the headers later stages need."""
    meta = response.meta if response.request is not None else {}  # (a response made in a test has none)
    return ArticleItem(
        url=response.url,
        body=response.body,
        fetched_at=datetime.now(UTC),
        source=source,
        source_home=home,
        content_type=_header(response, "Content-Type"),
        etag=_header(response, "ETag"),
        last_modified=_header(response, "Last-Modified"),
        rules=rules or ExtractRules(),
        # The other URLs that led here (the frontier records them): the link with its
        # tracking parameters, and the redirects.
        redirected_from=[*linked_as(meta), *meta.get("redirect_urls", [])],
        # Set by WarcArchiveMiddleware when the crawl archives (WARC_DIR).
        warc=meta.get(WARC_META),
    )


def archived_item(
    archived: ArchivedResponse, *, source: str | None = None, home: str | None = None, rules: ExtractRules | None = None
) -> ArticleItem:
    """The item for a response read from a WARC file: fetched when the archive says."""
    return ArticleItem(
        url=archived.url,
        body=archived.body,
        fetched_at=archived.fetched_at,
        source=source,
        source_home=home,
        content_type=archived.header("Content-Type"),
        etag=archived.header("ETag"),
        last_modified=archived.header("Last-Modified"),
        rules=rules or ExtractRules(),
        warc=archived.location,
    )


def comment_page(response: Response, number: int) -> FetchedPage:
    """Another page of an article's comment thread, carried on the article's item."""
    return FetchedPage(response.url, response.body, _header(response, "Content-Type"), datetime.now(UTC), number)
