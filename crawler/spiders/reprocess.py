"""The `reprocess` spider: stored articles again, from their archived responses.

Each article's WARC record is read at its offset and goes through the same pipelines as
a crawl (extract, comments, dedup, store), with today's code and sources file: the store
updates the row in place, merges comments and re-links the story, as on a re-crawl.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from crawler.progress import ARCHIVE_PROGRESS
from crawler.sources import load_sources
from crawler.spiders import archived_item, crawl_store
from crawler.spiders.local import ArchiveSpider
from pipelines.warc_read import WarcError, read_response_at
from storage.archive import ArchivedArticle, archived_articles
from storage.search import NO_FILTER, ArticleFilter

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from pipelines.items import ArticleItem

logger = logging.getLogger(__name__)


class ReprocessSpider(ArchiveSpider):
    """``newsdedup reprocess [--sources FILE] [filters]`` (cli/warcs.py)."""

    name = "reprocess"

    def __init__(
        self,
        sources: str | None = None,
        filters: ArticleFilter = NO_FILTER,
        lock_names: list[str] | None = None,
        total: int = 0,
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.total = total  # archived articles selected, for the progress bar
        self.done = 0
        self.filters = filters
        self.sources = {s.name: s for s in load_sources(sources)} if sources else {}
        self.lock_names = lock_names or ["reprocess"]

    async def start(self) -> AsyncIterator[Any]:
        store = crawl_store(self.crawler)
        if store is None:
            raise RuntimeError("reprocess reads the stored articles through the store stage (StorePipeline)")
        after = 0
        while page := await store.call(store.read, partial(self._page, after=after)):
            async for item in self.throttled(self._items(page)):
                yield item
            after = page[-1].id
        await self.drained()

    def _page(self, session: Session, *, after: int) -> list[ArchivedArticle]:
        return archived_articles(session, self.filters, after_id=after)

    def _items(self, page: list[ArchivedArticle]) -> Iterator[ArticleItem | None]:
        for article in page:
            self.done += 1
            self.crawler.signals.send_catch_log(ARCHIVE_PROGRESS, done=self.done, total=self.total)
            try:
                archived = read_response_at(article.location)
            except WarcError as exc:
                logger.error("%s: not reprocessed: %s", article.url, exc)
                self.crawler.stats.inc_value("reprocess/unreadable")
                yield None
                continue
            self.crawler.stats.inc_value("reprocess/read")
            source = self.sources.get(article.source)
            if source is None:
                yield archived_item(archived)
            else:
                yield archived_item(archived, source=source.name, home=source.home, rules=source.rules)
