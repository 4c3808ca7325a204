"""StorePipeline: one session per crawl, one savepoint per article, batched commits."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from typing import TYPE_CHECKING

from scrapy import signals
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from pipelines.boilerplate import BoilerplateConfig, boilerplate_config
from pipelines.dedup import DedupConfig, IndexMismatch, LinkReport, StoryLinker, check_index, dedup_config
from pipelines.items import ArticleItem
from pipelines.write import store_article
from storage.db import make_engine, prepare_database, session_factory
from storage.frontier import Outcome, record_outcome
from storage.locks import crawl_lock, write_lock
from storage.queries import ArticleChange, get_or_create_source

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector
    from sqlalchemy.orm import Session


logger = logging.getLogger(__name__)


def crawl_lock_names(spider: object) -> list[str]:
    """What a crawl locks: each of its sources, or the folder of saved pages it reads."""
    return list(getattr(spider, "lock_names", None) or [f"spider:{getattr(spider, 'name', '?')}"])


class StoreFailed(RuntimeError):
    """The database refused a write or went away; the crawl stops instead of losing items."""


class StorePipeline:
    """Writes articles and their comments; owns the crawl's only DB session.

    All DB work runs on one dedicated thread: the Scrapy event loop keeps downloading
    while a commit waits on disk or network, and the session never crosses threads.
    """

    def __init__(
        self,
        database_url: str,
        commit_every: int,
        crawler: Crawler,
        dedup: DedupConfig | None = None,
        boilerplate: BoilerplateConfig | None = None,
    ) -> None:
        self.database_url = database_url
        self.commit_every = max(1, commit_every)
        self.dedup = dedup or DedupConfig()
        self.boilerplate = boilerplate or BoilerplateConfig()
        self.linker = StoryLinker(self.dedup)
        self._write_locked = False
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats  # type: ignore[assignment]
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdedup-store")
        self._session: Session | None = None
        self._pending = 0
        self._closing: asyncio.Future[None] | None = None
        self._lock = ExitStack()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        s = crawler.settings
        pipeline = cls(
            s.get("NEWSDEDUP_DATABASE_URL"),
            s.getint("STORE_COMMIT_EVERY", 20),
            crawler,
            dedup_config(s),
            boilerplate_config(s),
        )
        # Pages dropped on the way (listings, non-HTML) are recorded too, so the next run skips them.
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        return pipeline

    async def _on_thread(self, fn, *args):  # type: ignore[no-untyped-def]
        return await asyncio.get_running_loop().run_in_executor(self._thread, fn, *args)

    async def open_spider(self) -> None:
        await self._on_thread(self._open)

    def _open(self) -> None:
        engine = make_engine(self.database_url, writer=True)
        # Held for the whole crawl (the OS releases it if this process is killed): one
        # run per source at a time; other sources' crawls may write alongside.
        self._lock.enter_context(crawl_lock(engine, crawl_lock_names(self.crawler.spider)))
        try:
            prepare_database(engine)
        except BaseException:
            self._lock.close()
            raise
        self._session = session_factory(engine)()
        try:
            check_index(self._session, self.dedup, self._where())
        except IndexMismatch as exc:
            self._session.close()
            self._lock.close()
            raise StoreFailed(str(exc)) from None
        self._session.rollback()
        logger.info("storing into %s", engine.url.render_as_string(hide_password=True))

    async def close_spider(self) -> None:
        try:
            await self._on_thread(self._close)
        finally:
            self._thread.shutdown(wait=True)

    def _close(self) -> None:
        if self._session is None:
            return
        try:
            self._commit()
        finally:
            bind = self._session.get_bind()
            self._session.close()
            self._lock.close()
            bind.dispose()  # type: ignore[union-attr]

    async def process_item(self, item: ArticleItem | Outcome) -> ArticleItem | Outcome:
        try:
            await self._on_thread(self._store if isinstance(item, ArticleItem) else self._record, item)
        except StoreFailed as exc:
            logger.error("%s", exc)
            self.stats.set_value("store/failed", str(exc))
            if self.crawler.crawling and self._closing is None:
                self._closing = asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="store_failed"))
            raise
        return item

    def _store(self, item: ArticleItem) -> None:
        assert self._session is not None
        linker = self.linker if self.dedup.enabled else None
        for attempt in (1, 2):
            try:
                self._begin_write()
                stored = store_article(self._session, item, linker, self.boilerplate)
                break
            except IntegrityError:
                # Another process inserted the same URL between our select and insert.
                if attempt == 2:
                    raise
            except SQLAlchemyError as exc:
                raise StoreFailed(f"{self._where()}: could not store {item.url}: {_one_line(exc)}") from exc
        change, merged = stored.change, stored.comments
        self._count(stored.source, change, merged.added)
        if stored.links is not None:
            self._count_links(stored.source, change, stored.links)
        self.stats.inc_value(f"store/articles_{change.value}")
        self.stats.inc_value("store/comments_new", merged.added)
        self.stats.inc_value("store/comments_edited", merged.edited)
        if stored.recleaned:
            self.stats.inc_value("boilerplate/articles_recleaned", stored.recleaned)
        if change is not ArticleChange.UNCHANGED or merged.added or merged.edited:
            logger.debug("%s %s (%d new comments)", change.value, stored.article.canonical_url, merged.added)
        self._pending += 1
        if self._pending >= self.commit_every:
            self._commit()

    def _count(self, source: str, change: ArticleChange, new_comments: int) -> None:
        if change is not ArticleChange.UNCHANGED:
            self.stats.inc_value(f"source/{source}/articles_{change.value}")
        if new_comments:
            self.stats.inc_value(f"source/{source}/comments_new", new_comments)

    def _begin_write(self) -> None:
        """The first write of a transaction waits for other writers' transactions to end."""
        assert self._session is not None
        if not self._write_locked:
            write_lock(self._session)
            self._write_locked = True

    def _count_links(self, source: str, change: ArticleChange, linked: LinkReport) -> None:
        for method, n in linked.copies.items():
            self.stats.inc_value(f"dedup/copy_links/{method}", n)
        if linked.quotes:
            self.stats.inc_value("dedup/quote_links", linked.quotes)
        if change is ArticleChange.NEW and linked.is_copy:
            self.stats.inc_value(f"source/{source}/duplicates")
            self.stats.inc_value("dedup/copies")

    def _record(self, outcome: Outcome) -> None:
        """Remember what came of a fetch in the source's frontier (seen_urls)."""
        assert self._session is not None
        try:
            self._begin_write()
            with self._session.begin_nested():
                record_outcome(self._session, outcome, get_or_create_source(self._session, outcome.source))
        except SQLAlchemyError as exc:
            raise StoreFailed(f"{self._where()}: could not record {outcome.url}: {_one_line(exc)}") from exc

    def item_dropped(self, item: object, exception: BaseException, **_: object) -> None:
        if isinstance(item, ArticleItem) and item.source and self._session is not None:
            outcome = Outcome(item.source, item.url, f"skipped:{type(exception).__name__}", fetched_at=item.fetched_at)
            self._thread.submit(self._record, outcome).add_done_callback(_log_failure)

    def _commit(self) -> None:
        assert self._session is not None
        try:
            self._session.commit()
        except SQLAlchemyError as exc:
            self._session.rollback()
            self._write_locked = False
            raise StoreFailed(
                f"{self._where()}: commit failed, last {self._pending} articles not stored: {_one_line(exc)}"
            ) from exc
        self._pending = 0
        self._write_locked = False

    def _where(self) -> str:
        return self.database_url.split("@")[-1] if "@" in self.database_url else self.database_url


def _one_line(exc: BaseException) -> str:
    return " ".join(str(getattr(exc, "orig", None) or exc).split())


def _log_failure(future: Future[None]) -> None:
    """A frontier row for a dropped page that could not be written: said, not swallowed.

    The commit that follows fails loudly anyway; this names the page.
    """
    if (exc := future.exception()) is not None:
        logger.error("%s", exc)
