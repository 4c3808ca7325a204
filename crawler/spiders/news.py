"""The `news` spider: from each source's feeds, sitemaps and section pages to its articles."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import SitemapSpider
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawler.sources import load_sources
from crawler.spiders import LINKED_AS, article_item, crawl_store, linked_as, local_file_meta
from crawler.spiders.comment_pages import CommentThreadMixin, comment_pages, own_page_number
from crawler.spiders.feeds import read_feed
from pipelines.items import fetch_outcome
from storage.frontier import NOT_MODIFIED, Frontier
from storage.locks import source_lock_names
from storage.urls import request_url

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

    from crawler.sources import Source
    from pipelines.items import ArticleItem

logger = logging.getLogger(__name__)


class NewsSpider(CommentThreadMixin, SitemapSpider):
    """``scrapy crawl news -a sources=PATH [-a source=NAME] [-a base_url=URL]``.

    Sitemaps go through SitemapSpider's own body handling (gzip, size caps, no entity
    expansion); feeds through feedparser (RSS 0.9x/1.0/2.0 and Atom, relative links);
    section pages through a LinkExtractor limited to the source's article pattern.
    """

    name = "news"

    def __init__(self, sources: str | None = None, source: str | None = None, base_url: str | None = None, **kw: Any):
        super().__init__(**kw)
        self.sources_path = sources
        self.only_source = source
        self.base_url = base_url
        self.source_list: list[Source] = []
        self.frontier: Frontier | None = None
        # Read by SafeDestinationMiddleware: where local sources live.
        self.local_origins: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        path = spider.sources_path or crawler.settings.get("NEWSDEDUP_SOURCES")
        # A broken sources file stops the crawl before it starts, with SourcesError's one line.
        spider.source_list = load_sources(path, base_url=spider.base_url, only=spider.only_source)
        spider.local_origins = {origin for s in spider.source_list if s.is_local for origin in s.origins}
        return spider

    @property
    def lock_names(self) -> list[str]:
        """Locked for the crawl's duration (storage.locks.crawl_lock): one run per source."""
        return source_lock_names(s.name for s in self.source_list)

    async def start(self) -> AsyncIterator[Any]:
        settings = self.crawler.settings
        store = crawl_store(self.crawler)
        if store is not None and settings.getbool("INCREMENTAL_ENABLED", True):
            names = [source.name for source in self.source_list]
            window = timedelta(days=settings.getfloat("REFRESH_WINDOW_DAYS", 3))
            backoff = timedelta(hours=settings.getfloat("FRONTIER_ERROR_BACKOFF_HOURS", 1))
            self.frontier = await store.call(
                store.read, partial(Frontier.load, sources=names, refresh_window=window, error_backoff=backoff)
            )
        # Entry points are fetched on every run, even when a previous one saw them. In a
        # fleet every worker yields them and the run's shared dupefilter (fresh for each
        # FLEET_RUN) lets one copy through: seeded once per run.
        again = not settings.get("NEWSDEDUP_FRONTIER")
        for source in self.source_list:
            for url in source.feeds:
                yield self.request(url, self.parse_feed, source, dont_filter=again)
            for url in source.sitemaps:
                yield self.request(url, self.parse_sitemap, source, dont_filter=again)
            for url in source.sections:
                yield self.request(url, self.parse_section, source, dont_filter=again)

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

    def fetch_failed(self, failure: Failure) -> None:
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
            if request.callback == self.parse_article:
                status = getattr(getattr(failure.value, "response", None), "status", None)
                self.fetch_outcome(source, request.url, f"error:{kind}", status, request.meta)

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

    def parse_feed(self, response: Response, source: Source, page: int = 1) -> Iterable[Request]:
        self.count_fetch(source)
        feed = read_feed(response)
        if feed.problem:
            logger.log(logging.WARNING if feed.links else logging.ERROR, "%s: %s: %s", response.url, *feed.problem)
            self.crawler.stats.inc_value("newsdedup/feed_malformed" if feed.links else "newsdedup/feed_errors")
        self.crawler.stats.inc_value("newsdedup/feed_entries", len(feed.links))
        yield from self._requests(feed.links, source)
        if feed.older and page < self.crawler.settings.getint("FEED_MAX_PAGES", 5):
            yield self.request(feed.older, self.parse_feed, source, cb_kwargs={"page": page + 1})

    def parse_sitemap(self, response: Response, source: Source) -> Iterable[Request]:
        self.count_fetch(source)
        if response.url.endswith("/robots.txt"):
            for url in sitemap_urls_from_robots(response.body, base_url=response.url):
                yield self.request(url, self.parse_sitemap, source)
            return
        body = self._get_sitemap_body(response)
        if not body:
            logger.error("%s: not a sitemap (or over DOWNLOAD_MAXSIZE once decompressed)", response.url)
            self.crawler.stats.inc_value("newsdedup/sitemap_errors")
            return
        sitemap = Sitemap(body)
        # Locs should be absolute, but mirrors and sloppy generators use relative ones.
        locs = [response.urljoin(entry["loc"]) for entry in self.sitemap_filter(sitemap) if entry.get("loc")]
        if sitemap.type == "sitemapindex":
            for url in locs:
                yield self.request(url, self.parse_sitemap, source)
        elif sitemap.type == "urlset":
            yield from self._requests(locs, source)

    def parse_section(self, response: Response, source: Source) -> Iterable[Request]:
        self.count_fetch(source)
        extractor = LinkExtractor(allow=source.article_pattern or ())
        yield from self._requests((link.url for link in extractor.extract_links(response)), source)

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
