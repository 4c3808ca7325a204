"""The news spider's entry points: feeds, sitemaps and section pages, each read when it
is due (crawler/polling.py), each telling the schedule what its poll gave, and, in a
backfill, read on through its pages back to a date (crawler/backfill.py)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.http import TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawler.backfill import next_page_url, sitemap_dates
from crawler.compat import sitemap_body
from crawler.polling import POLL_ENTRY, POLL_ROOT, EntryPolling, page_outcome
from crawler.spiders.feeds import read_feed
from storage.frontier import ARTICLE, NOT_MODIFIED
from storage.polling import OK, poll_key

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from scrapy import Request
    from scrapy.http import Response

    from crawler.backfill import Backfill
    from crawler.polling import Entry
    from crawler.sources import Source
    from storage.frontier import Frontier

logger = logging.getLogger(__name__)


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class EntryPointsMixin:
    """For NewsSpider (a SitemapSpider): the callbacks of its entry points and their pages.

    Every callback takes the other sources listing the same entry URL (``also``): it is
    fetched once, and its links are offered to each of them.
    """

    crawler: Any
    frontier: Frontier | None
    backfill: Backfill | None
    _refreshed: set[str]
    _polling: EntryPolling | None = None

    if TYPE_CHECKING:  # NewsSpider's and SitemapSpider's

        def request(self, url: str, callback: Callable[..., Any], source: Source, **kwargs: Any) -> Request: ...
        def _requests(self, urls: Iterable[str], source: Source) -> Iterable[Request]: ...
        def count_fetch(self, source: Source) -> None: ...
        def sitemap_filter(self, entries: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]: ...

    @property
    def polling(self) -> EntryPolling:
        """The crawl's entry point schedule: the extension, or (when EXTENSIONS leaves it out)
        one of the spider's own."""
        if self._polling is None:
            self._polling = self.crawler.get_extension(EntryPolling) or EntryPolling.from_crawler(self.crawler)
        return self._polling

    def polled(
        self,
        response: Response,
        sources: tuple[Source, ...],
        links: Sequence[str] = (),
        /,
        *,
        outcome: str = OK,
        detail: str | None = None,
    ) -> None:
        """Tell the schedule what this response of an entry point's poll gave: its links,
        and how many of them no source listing it knew (crawler/polling.py)."""
        entry: Entry | None = response.meta.get(POLL_ENTRY)
        if entry is None:
            return
        frontier = self.frontier
        new = sum(
            1 for link in set(links) if frontier is None or all(frontier.lookup(s.name, link) is None for s in sources)
        )
        root = POLL_ROOT in response.meta
        # The validators of the entry's own full response, for its next conditional GET.
        full = root and response.status == 200
        self.polling.report(
            entry,
            outcome=outcome,
            detail=detail,
            http_status=response.status,
            links=len(links),
            new_links=new,
            etag=_header(response, "ETag") if full else None,
            last_modified=_header(response, "Last-Modified") if full else None,
            root=root,
        )

    def entry_meta(self, response: Response) -> dict[str, Any]:
        """A feed's next page, a child sitemap, a section's next page: part of the same poll."""
        return {POLL_ENTRY: response.meta[POLL_ENTRY]} if POLL_ENTRY in response.meta else {}

    def not_modified(self, response: Response, sources: tuple[Source, ...]) -> Iterable[Request]:
        """A 304 for a due entry point: nothing new, but its articles in the refresh window
        are checked as if it had listed them again."""
        self.polled(response, sources, outcome=NOT_MODIFIED)
        yield from self.refresh_known(sources)

    def refresh_known(self, sources: tuple[Source, ...]) -> Iterable[Request]:
        """The sources' stored articles still in the refresh window, once a run, when one of
        their entry points was not read (not due, 304, failed): their comments and
        corrections are not held up by the schedule or a broken feed."""
        for source in sources:
            if self.frontier is None or source.name in self._refreshed:
                continue
            self._refreshed.add(source.name)
            known = self.frontier.known.get(source.name, {})
            urls = [url for url, row in known.items() if row.outcome in (ARTICLE, NOT_MODIFIED) and url == row.url]
            yield from self._requests(urls, source)

    def parse_feed(
        self, response: Response, source: Source, page: int = 1, also: tuple[Source, ...] = ()
    ) -> Iterable[Request]:
        sources = (source, *also)
        for each in sources:
            self.count_fetch(each)
        if response.status == 304:
            yield from self.not_modified(response, sources)
            return
        feed = read_feed(response)
        if feed.problem:
            logger.log(logging.WARNING if feed.links else logging.ERROR, "%s: %s: %s", response.url, *feed.problem)
            self.crawler.stats.inc_value("newsdedup/feed_malformed" if feed.links else "newsdedup/feed_errors")
        self.crawler.stats.inc_value("newsdedup/feed_entries", len(feed.links))
        links = [link for link in feed.links if self.backfill.keeps(link)] if self.backfill else feed.links
        problem = None if feed.usable else feed.problem
        outcome = page_outcome(response, "feed", problem, feed.problem)
        self.polled(response, sources, links, **outcome)
        if "outcome" in outcome:
            yield from self.refresh_known(sources)
        for each in sources:
            yield from self._requests(links, each)
        if feed.older and page < self.crawler.settings.getint("FEED_MAX_PAGES"):
            kwargs = {"page": page + 1, "also": also}
            yield self.request(
                feed.older, self.parse_feed, source, cb_kwargs=kwargs, meta_extra=self.entry_meta(response)
            )

    def parse_sitemap(
        self, response: Response, source: Source, also: tuple[Source, ...] = (), parents: tuple[str, ...] = ()
    ) -> Iterable[Request]:
        sources = (source, *also)
        for each in sources:
            self.count_fetch(each)
        if response.status == 304:
            yield from self.not_modified(response, sources)
            return
        child = {
            "cb_kwargs": {"also": also, "parents": (*parents, response.url)},
            "meta_extra": self.entry_meta(response),
        }
        if response.url.endswith("/robots.txt"):
            for url in sitemap_urls_from_robots(response.body, base_url=response.url):
                yield self.request(url, self.parse_sitemap, source, **child)
            self.polled(response, sources)
            return
        body = sitemap_body(self, response)  # type: ignore[arg-type]  # self is a NewsSpider
        if not body:
            logger.error("%s: not a sitemap (or over DOWNLOAD_MAXSIZE once decompressed)", response.url)
            self.crawler.stats.inc_value("newsdedup/sitemap_errors")
            self.polled(response, sources, **page_outcome(response, "sitemap", ("not a sitemap", "")))
            yield from self.refresh_known(sources)
            return
        sitemap = Sitemap(body)
        # Locs should be absolute, but mirrors and sloppy generators use relative ones.
        locs = [response.urljoin(entry["loc"]) for entry in self.sitemap_filter(sitemap) if entry.get("loc")]
        dates = {response.urljoin(loc): date for loc, date in sitemap_dates(body).items()} if self.backfill else {}
        if self.backfill:
            # Older than `since` by its lastmod or publication date: a child sitemap or an article not read.
            locs = [loc for loc in locs if self.backfill.keeps(loc, dates.get(loc))]
        if sitemap.type == "sitemapindex":
            # A sitemap index listing itself (or one above it): read once, recorded as a loop.
            chain = {poll_key(url) for url in (*parents, response.url)}
            loops = [url for url in locs if poll_key(url) in chain]
            for url in locs:
                if url not in loops:
                    yield self.request(url, self.parse_sitemap, source, **child)
            loop = {"outcome": "loop", "detail": f"sitemap index {response.url} links to {loops[0]}"} if loops else {}
            self.polled(response, sources, **loop)
        elif sitemap.type == "urlset":
            self.polled(response, sources, locs)
            for each in sources:
                yield from self._requests(locs, each)
        else:
            self.polled(response, sources, outcome="unusable", detail=f"{response.url}: <{sitemap.type}> is no sitemap")

    def parse_section(
        self, response: Response, source: Source, page: int = 1, also: tuple[Source, ...] = ()
    ) -> Iterable[Request]:
        sources = (source, *also)
        for each in sources:
            self.count_fetch(each)
        if response.status == 304:
            yield from self.not_modified(response, sources)
            return
        if not isinstance(response, TextResponse):
            self.polled(response, sources, outcome="unusable", detail=f"{response.url}: not a web page")
            return
        extractor = LinkExtractor(allow=source.article_pattern or ())
        links = [link.url for link in extractor.extract_links(response)]
        next_url, outcome, detail = None, OK, None
        if self.backfill is not None:
            # A backfill reads on through the section's pages, back to `since`.
            walk = response.meta.get(POLL_ENTRY)
            found = next_page_url(response, page)
            step = self.backfill.section_page(walk.url if walk else response.url, response.url, page, links, found)
            links, next_url, outcome, detail = step.links, step.next_url, step.outcome or OK, step.detail
        self.polled(response, sources, links, outcome=outcome, detail=detail)
        for each in sources:
            yield from self._requests(links, each)
        if next_url:
            kwargs = {"page": page + 1, "also": also}
            yield self.request(
                next_url, self.parse_section, source, cb_kwargs=kwargs, meta_extra=self.entry_meta(response)
            )
