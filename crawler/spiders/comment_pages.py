"""Finding the other pages of a paginated comment thread (WordPress comment-page-N, ?cpage=N)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from crawler.spiders import comment_page
from storage.urls import comment_page_number, comment_thread_base

if TYPE_CHECKING:
    from scrapy.http import Response
    from twisted.python.failure import Failure

    from crawler.sources import Source
    from pipelines.items import ArticleItem

# Bytes every link comment_page_number can read contains.
_PAGE_MARKERS = (b"comment-page-", b"cpage=")
# Links inside the comment area only: a "recent comments" widget links other posts' pages.
_THREAD_LINKS = (
    "//*[(contains(@id, 'comment') or contains(@class, 'comment') or contains(@class, 'navigation'))"
    " and not(contains(@id, 'recent') or contains(@class, 'recent') or contains(@class, 'widget'))]//a/@href"
)


def comment_pages(response: Response) -> dict[int, str]:
    """The thread's other comment pages linked from ``response``, by page number."""
    if not any(marker in response.body for marker in _PAGE_MARKERS):
        return {}  # most pages: no parse on the event loop (~1.5 ms for a 90 KB page)
    base = comment_thread_base(response.url)
    pages = {}
    for href in response.xpath(_THREAD_LINKS).getall():
        url = response.urljoin(href).split("#", 1)[0]
        number = comment_page_number(url)
        if number is not None and comment_thread_base(url) == base and url != response.url.split("#", 1)[0]:
            pages[number] = url
    return pages


def own_page_number(response: Response, linked: dict[int, str]) -> int:
    """This page's place in the thread.

    WordPress shows the newest comment page at the article URL when it links to page 1
    (setting "newest first"), else the first page.
    """
    if (number := comment_page_number(response.url)) is not None:
        return number
    return max(linked) + 1 if 1 in linked else 1


class CommentThreadMixin:
    """A spider's way through a paginated comment thread: each page fetched in turn, then
    the article yielded once with all of them (the analyze stage reads their comments).

    Needs the spider's ``request``, ``count_fetch`` and ``fetch_failed``.
    """

    def _next_comment_page(self, item: ArticleItem, pending: dict[int, str], source: Source) -> Iterable[Any]:
        fetched = {item.comment_page} | {page.comment_page for page in item.comment_pages}
        todo = {n: url for n, url in pending.items() if n not in fetched}
        if not todo:
            yield item
            return
        number = min(todo)
        yield self.request(  # type: ignore[attr-defined]
            todo[number],
            self.parse_comment_page,
            source,
            errback=self.comment_page_failed,
            cb_kwargs={"item": item, "pending": todo, "number": number},
            dont_filter=True,
        )

    def parse_comment_page(
        self, response: Response, source: Source, item: ArticleItem, pending: dict[int, str], number: int
    ) -> Iterable[Any]:
        self.count_fetch(source)  # type: ignore[attr-defined]
        self.crawler.stats.inc_value("newsdedup/comment_pages")  # type: ignore[attr-defined]
        item.comment_pages.append(comment_page(response, number))
        yield from self._next_comment_page(item, {**comment_pages(response), **pending}, source)

    def comment_page_failed(self, failure: Failure) -> Iterable[Any]:
        """A lost comment page costs its comments, not the article."""
        self.fetch_failed(failure)  # type: ignore[attr-defined]
        kwargs = failure.request.cb_kwargs  # type: ignore[attr-defined]
        pending = {n: url for n, url in kwargs["pending"].items() if n != kwargs["number"]}
        yield from self._next_comment_page(kwargs["item"], pending, kwargs["source"])
