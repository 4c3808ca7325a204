"""The `news` spider: from each source's feeds, sitemaps and section pages to its articles."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.spiders import SitemapSpider

from crawler.backfill import Backfill, parse_since
from crawler.polling import POLL_ENTRY, POLL_ROOT
from crawler.sources import load_sources
from crawler.spiders import LINKED_AS, article_item, crawl_store, linked_as, local_file_meta
from crawler.spiders.comment_pages import CommentThreadMixin, comment_pages, own_page_number
from crawler.spiders.entries import EntryPointsMixin
from pipelines.items import fetch_outcome
from storage.frontier import NOT_MODIFIED, Frontier
from storage.locks import source_lock_names
from storage.polling import FEED, SECTION, SITEMAP
from storage.urls import request_url

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

    from crawler.sources import Source
    from pipelines.items import ArticleItem

logger = logging.getLogger(__name__)


class NewsSpider(EntryPointsMixin, CommentThreadMixin, SitemapSpider):
    """``scrapy crawl news -a sources=PATH [-a source=NAME] [-a base_url=URL] [-a force=1]
    [-a since=YYYY-MM-DD]``.

    Sitemaps go through SitemapSpider's own body handling (gzip, size caps, no entity
    expansion); feeds through feedparser (RSS 0.9x/1.0/2.0 and Atom, relative links);
    section pages through a LinkExtractor limited to the source's article pattern. The
    entry points that are due (crawler/polling.py; ``force`` polls all) are fetched; a
    backfill (``since``) follows section pagination (crawler/backfill.py).
    """

    name = "news"

    def __init__(
        self,
        sources: str | None = None,
        source: str | None = None,
        base_url: str | None = None,
        force: str | None = None,
        since: str | None = None,
        **kw: Any,
    ):
        super().__init__(**kw)
        self.sources_path = sources
        self.only_source = source
        self.base_url = base_url
        self.force = str(force or "").lower() in ("1", "true", "yes")
        self.since = parse_since(since)
        self.backfill: Backfill | None = None
        self.source_list: list[Source] = []
        self.frontier: Frontier | None = None
        self._refreshed: set[str] = set()
        # Read by SafeDestinationMiddleware: where local sources live.
        self.local_origins: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        path = spider.sources_path or crawler.settings.get("NEWSDEDUP_SOURCES")
        # A broken sources file stops the crawl before it starts, with SourcesError's one line.
        spider.source_list = load_sources(path, base_url=spider.base_url, only=spider.only_source)
        spider.local_origins = {origin for s in spider.source_list if s.is_local for origin in s.origins}
        if spider.since is not None:
            spider.backfill = Backfill(spider.since, crawler.settings.getint("SECTION_MAX_PAGES"))
        return spider

    @property
    def lock_names(self) -> list[str]:
        """Locked for the crawl's duration (storage.locks.crawl_lock): one run per source."""
        return source_lock_names(s.name for s in self.source_list)

    async def start(self) -> AsyncIterator[Any]:
        settings = self.crawler.settings
        store = crawl_store(self.crawler)
        if store is not None and settings.getbool("INCREMENTAL_ENABLED"):
            names = [source.name for source in self.source_list]
            # A backfill fetches no stored article again: its refresh window is empty.
            window = timedelta(days=0 if self.backfill else settings.getfloat("REFRESH_WINDOW_DAYS"))
            backoff = timedelta(hours=settings.getfloat("FRONTIER_ERROR_BACKOFF_HOURS"))
            frontier = await store.call(
                store.read, partial(Frontier.load, sources=names, refresh_window=window, error_backoff=backoff)
            )
            frontier.now = self.polling.now  # the run's clock (CRAWL_NOW)
            self.frontier = frontier
        # Entry points that are due are fetched, even when a previous run saw them. In a
        # fleet every worker yields them and the run's shared dupefilter (fresh for each
        # FLEET_RUN) lets one copy through: seeded once per run.
        again = not settings.get("NEWSDEDUP_FRONTIER")
        callbacks: dict[str, Callable[..., Any]] = {
            FEED: self.parse_feed,
            SITEMAP: self.parse_sitemap,
            SECTION: self.parse_section,
        }
        # Without incremental runs there is no "not due": every run fetches everything.
        poll_all = self.force or self.backfill is not None or not settings.getbool("INCREMENTAL_ENABLED")
        for entry in await self.polling.plan(self.source_list, force=poll_all):
            if not entry.due:
                # Its articles still in the refresh window are checked all the same.
                for request in self.refresh_known(entry.sources):
                    yield request
                continue
            yield self.request(
                entry.url,
                callbacks[entry.kind],
                entry.sources[0],
                cb_kwargs={"also": entry.sources[1:]} if len(entry.sources) > 1 else None,
                headers=entry.headers,
                meta_extra={POLL_ENTRY: entry, POLL_ROOT: True, "handle_httpstatus_list": [304]},
                dont_filter=again,
            )

    def request(
        self,
        url: str,
        callback: Callable[..., Any],
        source: Source,
        *,
        cb_kwargs: dict[str, Any] | None = None,
        errback: Callable[..., Any] | None = None,
        meta_extra: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Request:
        """Every request of this spider: for the URL without tracking parameters or fragment,
        errors reported per URL, local files unthrottled.

        A page is requested once per run however it was linked (``?utm_source=rss`` in the
        feed, the clean URL in the sitemap) because the request itself carries the clean
        URL: Scrapy's RFPDupeFilter and the fleet's scrapy-redis RFPDupeFilter both
        fingerprint ``canonicalize_url(request.url)``, and the latter never asks
        REQUEST_FINGERPRINTER_CLASS, so a custom fingerprinter would dedupe one process but
        not a fleet; a downloader middleware runs after both dupefilters. It also keeps the
        frontier's lookups (article_request) on the form that is fetched, and the site's
        analytics free of our visits. storage.urls.request_url holds the rules, url_key's.
        """
        fetch = request_url(url)
        linked = {LINKED_AS: url} if fetch != url else {}
        return Request(
            fetch,
            callback=callback,
            errback=errback or self.fetch_failed,
            cb_kwargs={"source": source, **(cb_kwargs or {})},
            meta={**local_file_meta(fetch), **linked, **(meta_extra or {})},
            **kwargs,
        )

    def count_fetch(self, source: Source) -> None:
        """Per-source page count, for crawl_runs."""
        self.crawler.stats.inc_value(f"source/{source.name}/pages_fetched")

    def fetch_failed(self, failure: Failure) -> list[Request] | None:
        """Dead host, timeout, HTTP error: one line with the URL and the reason; the crawl goes on.

        A failed article is recorded so the next run tries it again.
        """
        request = failure.request  # type: ignore[attr-defined]
        kind = failure.type.__name__
        logger.error("%s: fetch failed: %s", request.url, failure.getErrorMessage())
        self.crawler.stats.inc_value(f"newsdedup/fetch_failed/{kind}")
        source = request.cb_kwargs.get("source")
        if source is not None:
            self.crawler.stats.inc_value(f"source/{source.name}/errors/{kind}")
            status = getattr(getattr(failure.value, "response", None), "status", None)
            robots = isinstance(failure.value, IgnoreRequest) and "robots.txt" in str(failure.value)
            if robots:
                # Counted apart: robots.txt newly disallowing the articles is a blocked source.
                self.crawler.stats.inc_value(f"source/{source.name}/robots_disallowed")
            if request.callback == self.parse_article:
                self.fetch_outcome(source, request.url, f"error:{kind}", status, request.meta)
            elif (entry := request.meta.get(POLL_ENTRY)) is not None:
                outcome = f"http_{status}" if status else "robots" if robots else f"error:{kind}"
                detail = f"{request.url}: {failure.getErrorMessage()}"
                self.polling.report(
                    entry, outcome=outcome, detail=detail, http_status=status, root=POLL_ROOT in request.meta
                )
                return list(self.refresh_known((source, *request.cb_kwargs.get("also", ()))))
        return None

    def fetch_outcome(
        self, source: Source, url: str, outcome: str, http_status: int | None, meta: dict[str, Any]
    ) -> None:
        """Tell the store what came of a fetch that gives no item (pipelines.items.fetch_outcome),
        for the URL and for the form it was linked as: the next run knows either."""
        for seen in (url, *linked_as(meta)):
            self.crawler.signals.send_catch_log(
                fetch_outcome, source=source.name, url=seen, outcome=outcome, http_status=http_status
            )

    def article_request(self, url: str, source: Source) -> Request | None:
        """A request for an article page, or None (counted) when the URL is outside the source.

        Decided on the URL to be fetched (request_url), so a link with trackers and its
        clean form get the same answer.
        """
        linked, url = url, request_url(url)
        if not source.allows(url):
            self.crawler.stats.inc_value("newsdedup/links_offsite")
            logger.debug("%s: outside source %s, not followed", url, source.name)
            return None
        if not source.is_article_url(url):
            self.crawler.stats.inc_value("newsdedup/links_not_article")
            return None
        if self.frontier is None:
            return self.request(linked, self.parse_article, source)
        if not self.frontier.should_fetch(source.name, url):
            self.crawler.stats.inc_value("newsdedup/known_not_refetched")
            return None
        headers = self.frontier.conditional_headers(source.name, url)
        return self.request(
            linked, self.parse_article, source, headers=headers, meta_extra={"handle_httpstatus_list": [304]}
        )

    def _requests(self, urls: Iterable[str], source: Source) -> Iterable[Request]:
        for url in urls:
            if request := self.article_request(url, source):
                yield request

    def parse_article(self, response: Response, source: Source) -> Iterable[ArticleItem | Request]:
        if not source.allows(response.url):
            # Redirected out of the source: not this source's article.
            logger.warning("%s: redirected outside source %s, not stored", response.url, source.name)
            self.crawler.stats.inc_value("newsdedup/redirect_offsite")
            return
        self.count_fetch(source)
        if response.status == 304:
            self.crawler.stats.inc_value("newsdedup/not_modified")
            self.fetch_outcome(source, response.url, NOT_MODIFIED, 304, response.meta)
            return
        item = article_item(response, source=source.name, home=source.home, rules=source.rules)
        linked = comment_pages(response)
        if not linked:
            yield item
            return
        item.comment_page = own_page_number(response, linked)
        yield from self._next_comment_page(item, linked, source)
