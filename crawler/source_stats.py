"""SourceStats: per-source counts that tell a blocked source from a broken one.

Scrapy's own stats count HTTP statuses and dropped items for the whole crawl; a run of
hundreds of sources needs them per source. This extension counts, under
``source/<name>/…`` (which the store keeps in the run's ``per_source`` record,
pipelines/store.py), from Scrapy's signals:

- ``http_<status>``: the final response of each request (after retries and redirects,
  so a 429 that a retry got past is not counted, one that stayed is);
- ``same_body`` (and ``same_body_login`` / ``_consent`` / ``_challenge``): 200 responses
  whose body another URL of the source also got in this run, the mark of a challenge,
  login or consent page served in place of every page;
- ``articles_extracted``, ``words``, ``no_title``, ``no_authors``, ``with_comments``: what
  extraction made of the pages stored, to compare with the source's history;
- ``dropped_<Reason>``: pages fetched as articles but not stored.

storage/health.py reads them back.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from scrapy import signals

from pipelines.items import ArticleItem

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

# Pages a site serves in place of its pages, told by their words (the first 64 KB).
_KINDS = (
    ("challenge", re.compile(rb"captcha|checking your browser|verify you are (?:a )?human|just a moment", re.I)),
    ("login", re.compile(rb"type=[\"']?password|\blog ?in\b|\bsign ?in\b", re.I)),
    ("consent", re.compile(rb"cookie|consent|gdpr|privacy choices", re.I)),
)
# Pages served in place of others are small; larger bodies are not compared (memory).
_SNIFF = 64 * 1024


def page_kind(body: bytes) -> str | None:
    """``login``, ``challenge`` or ``consent`` for a page that reads like one."""
    head = body[:_SNIFF]
    return next((kind for kind, pattern in _KINDS if pattern.search(head)), None)


class SourceStats:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        # Per source: body digest → the URLs that got it.
        self._bodies: dict[str, dict[bytes, set[str]]] = defaultdict(dict)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        return extension

    def _inc(self, source: str, name: str, count: int = 1) -> None:
        self.stats.inc_value(f"source/{source}/{name}", count)

    def response_received(self, response: Response, request: Request, **_: Any) -> None:
        source = request.cb_kwargs.get("source")
        if source is None:  # robots.txt, and what other spiders fetch
            return
        for each in (source, *request.cb_kwargs.get("also", ())):
            self._inc(each.name, f"http_{response.status}")
        if response.status == 200 and 0 < len(response.body) <= _SNIFF:
            self._count_same_body(source.name, response)

    def _count_same_body(self, source: str, response: Response) -> None:
        urls = self._bodies[source].setdefault(hashlib.blake2b(response.body, digest_size=16).digest(), set())
        if response.url in urls:
            return
        urls.add(response.url)
        if len(urls) > 1:
            # The first URL that got the body is counted with the second.
            count = 2 if len(urls) == 2 else 1
            self._inc(source, "same_body", count)
            if kind := page_kind(response.body):
                self._inc(source, f"same_body_{kind}", count)

    def item_scraped(self, item: Any, **_: Any) -> None:
        if not isinstance(item, ArticleItem) or not item.source or item.extraction is None:
            return
        extraction, source = item.extraction, item.source
        self._inc(source, "articles_extracted")
        self._inc(source, "words", len(extraction.text.split()))
        if not extraction.title:
            self._inc(source, "no_title")
        if not extraction.authors:
            self._inc(source, "no_authors")
        if item.comments:
            self._inc(source, "with_comments")

    def item_dropped(self, item: Any, exception: BaseException, **_: Any) -> None:
        if isinstance(item, ArticleItem) and item.source:
            self._inc(item.source, f"dropped_{type(exception).__name__}")
