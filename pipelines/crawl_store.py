"""CrawlStore: a crawl's one door to the database.

It holds the crawl's lock, its one session, its run record and its pending writes, and
does all of it on one dedicated thread: the Scrapy event loop keeps downloading while a
commit waits on disk or network, and the session never crosses threads. The store stage
writes through it and the spiders read the frontier through it (StorePipeline hands it to
the StoreAccess extension, crawler/store_access.py); no other part of a crawl opens a
session. No Scrapy here: StorePipeline adapts it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from time import perf_counter
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from pipelines.boilerplate import BoilerplateConfig
from pipelines.dedup import DedupConfig, IndexMismatch, StoryLinker, check_index
from pipelines.settings_reader import setting
from pipelines.store_steps import COMMIT, LOCK, LOCK_WAIT, StepTimes
from pipelines.write import StoredArticle, WritePlan, plan_write, store_article
from storage.boilerplate import learn_paragraphs
from storage.db import SchemaOutOfDate, make_engine, prepare_database, session_factory
from storage.frontier import Outcome, record_outcome
from storage.key_locks import LockConflict, begin_article, end_article, try_article
from storage.locks import CrawlLocked, crawl_lock, write_lock
from storage.queries import get_or_create_source
from storage.runs import finish_run, join_run, leave_run, start_run, worker_lock_name
from storage.versions import DEFAULT_HISTORY, HistoryConfig

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from pipelines.items import ArticleItem

logger = logging.getLogger(__name__)
T = TypeVar("T")


# An article's write is tried under its known keys, then with the keys it found it needed,
# then with the database alone (which cannot conflict).
LOCK_ATTEMPTS = 3
DEADLOCK = "40P01"
# Counted per crawl (store/lock/<name>): writes set aside because another writer held one
# of their locks, writes rolled back and redone for a lock another writer held, and writes
# made with the database alone.
LOCK_SET_ASIDE = "set_aside"
LOCK_REDONE = "redone"
LOCK_ALONE = "alone"


class StoreFailed(RuntimeError):
    """The database refused a write or went away; the crawl stops instead of losing items."""


@dataclass(frozen=True, slots=True)
class StoreConfig:
    """How a crawl writes (STORE_<FIELD>, plus the dedup and boilerplate settings it links with)."""

    SETTINGS_PREFIX: ClassVar[str] = "STORE"

    # NEWSDEDUP_DATABASE_URL (its default is crawler/settings.py's: the environment's).
    database_url: str = field(metadata=setting(None))
    # Articles per transaction; each article and its comments share one savepoint.
    commit_every: int = 20
    dedup: DedupConfig = field(default_factory=DedupConfig)
    boilerplate: BoilerplateConfig = field(default_factory=BoilerplateConfig)
    # PostgreSQL: how often an article whose locks another writer holds is set aside, to
    # be tried again after the other articles waiting for the store, before it waits for them.
    set_aside: int = 3
    # Every write is made (so the report says what would change) and rolled back; no run is recorded.
    dry_run: bool = False
    # Fleet mode (NEWSDEDUP_FRONTIER, checked by crawler/fleet.py): one of many workers of
    # the run named FLEET_RUN. None: a crawl of its own.
    fleet_run: str | None = field(default=None, metadata=setting(None))
    # HISTORY_*: whether and how many earlier versions are kept, and this run's origin.
    history: HistoryConfig = DEFAULT_HISTORY


@dataclass(slots=True, eq=False)
class PendingWrite:
    """An article's write as planned (kept while the article is set aside because another
    writer held one of its locks): its plan, the locks it is known to need, how it fared."""

    item: ArticleItem
    plan: WritePlan
    keys: set[int]
    arrival: int  # the store's count of articles when it came: one URL's are written in this order
    set_aside: int = 0
    redone: int = 0
    alone: bool = False


class CrawlStore:
    """Open with ``open()``, then ``write``/``record``/``read``, then ``close()`` (each on the
    store thread: ``await store.call(store.write, item)``; ``await store.store(item)``
    writes from the event loop, setting aside an article whose locks are held)."""

    def __init__(self, config: StoreConfig) -> None:
        self.config = config
        self.linker = StoryLinker(config.dedup) if config.dedup.enabled else None
        self.run_id: int | None = None
        self.steps = StepTimes()  # what each of the store's steps cost this crawl (store thread only)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdedup-store")
        self._session: Session | None = None
        self._pending = 0
        self._write_locked = False
        self._key_locks = False  # PostgreSQL: an article a transaction, under its key locks
        self.lock_counts = dict.fromkeys((LOCK_SET_ASIDE, LOCK_REDONE, LOCK_ALONE), 0)
        self._held = ExitStack()
        self._arrivals = 0  # articles planned (store thread)
        self._aside: dict[str, set[int]] = {}  # url_key -> arrivals of its articles set aside (store thread)
        self._in_flight = 0  # articles in ``store`` (event loop)

    # -- the store thread ---------------------------------------------------------

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(*args)`` on the store thread and wait for it without blocking the loop."""
        return await asyncio.get_running_loop().run_in_executor(self._thread, fn, *args)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """Queue ``fn(*args)`` on the store thread from synchronous code; a failure is logged."""
        future = self._thread.submit(fn, *args)
        future.add_done_callback(_log_failure)
        return future

    async def store(self, item: ArticleItem) -> StoredArticle:
        """Store the article from the event loop (``write``, on the store thread). On
        PostgreSQL an article whose locks another writer holds is set aside behind the other
        articles waiting for the store and tried again after them, at most ``set_aside``
        times; then, or when no other article waits, its locks are waited for."""
        self._in_flight += 1
        try:
            result = await self.call(self.write_or_set_aside, item, False)
            while isinstance(result, PendingWrite):
                wait = result.set_aside >= self.config.set_aside or self._in_flight == 1
                result = await self.call(self.write_or_set_aside, result, wait)
            return result
        finally:
            self._in_flight -= 1

    def shutdown(self) -> None:
        self._thread.shutdown(wait=True)

    # -- on the store thread ------------------------------------------------------

    @property
    def where(self) -> str:
        url = self.config.database_url
        return url.split("@")[-1] if "@" in url else url

    @property
    def is_open(self) -> bool:
        return self._session is not None

    def open(self, lock_names: list[str], spider: str) -> None:
        """Lock the crawl's sources, bring up the schema, check the dedup index, open the run.

        StoreFailed, with one line saying why, when any of it cannot be done.
        """
        try:
            self._open(lock_names, spider)
        except (IndexMismatch, CrawlLocked, SchemaOutOfDate) as exc:
            raise StoreFailed(str(exc)) from None
        except (SQLAlchemyError, OSError) as exc:
            raise StoreFailed(f"{self.where}: cannot open database: {_one_line(exc)}") from None

    def _open(self, lock_names: list[str], spider: str) -> None:
        engine = make_engine(self.config.database_url, writer=True)
        self._held.callback(engine.dispose)
        # A dry run's writes are rolled back every commit_every articles, seen by the next ones till then.
        self._key_locks = engine.dialect.name == "postgresql" and not self.config.dry_run
        if self.config.fleet_run:
            # A fleet's workers all crawl every source (write_lock orders their writes), so
            # none holds a source lock; each holds one of its own, which tells the others
            # and `newsdedup runs` whether it is still alive (storage/runs.py).
            lock_names = [worker_lock_name(self.config.fleet_run)]
        # Held for the whole crawl (the OS releases it if this process is killed): one run
        # per source at a time; other sources' crawls may write alongside. Released after
        # the run's end is recorded, so a free lock and a running row mean a dead crawl.
        self._held.enter_context(crawl_lock(engine, lock_names))
        try:
            prepare_database(engine)
            self._session = session_factory(engine)()
            self._held.callback(self._session.close)
            check_index(self._session, self.config.dedup, self.where)
            if not self.config.dry_run:
                run = self.config.fleet_run
                self.run_id = (
                    join_run(self._session, spider, run, lock_names)
                    if run
                    else start_run(self._session, spider, lock_names)
                )
            self._session.commit()
        except BaseException:
            self._release()
            raise
        logger.info("storing into %s", engine.url.render_as_string(hide_password=True))

    def read(self, query: Callable[[Session], T]) -> T:
        """``query(session)`` on the crawl's session (the frontier, archived articles)."""
        assert self._session is not None
        try:
            result = query(self._session)
            if not self._pending and not self._write_locked:
                # Nothing written in this transaction: end it. On SQLite it began with BEGIN
                # IMMEDIATE and holds the file's write lock, so a crawl of another source
                # starting while this one waits on its first responses failed "database is locked".
                self._session.rollback()
            return result
        except SQLAlchemyError as exc:
            raise StoreFailed(f"{self.where}: could not read: {_one_line(exc)}") from exc

    def write(self, item: ArticleItem) -> StoredArticle:
        """Store one article (its savepoint). On PostgreSQL it is a transaction of its own
        under the locks of what it reads (storage/key_locks.py), waited for when another
        writer holds one; elsewhere the transaction is committed every ``commit_every``
        articles."""
        if self._key_locks:
            stored = self._write_alone(self._plan(item), wait=True)
            assert stored is not None, "a write that waits is made"
            return stored
        try:
            self._begin_write()
        except SQLAlchemyError as exc:
            raise StoreFailed(f"{self.where}: could not store {item.url}: {_one_line(exc)}") from exc
        stored = self._store(item, self.steps)
        self._pending += 1
        if self._pending >= self.config.commit_every:
            self.commit()
        return stored

    def write_or_set_aside(self, write: ArticleItem | PendingWrite, wait: bool) -> StoredArticle | PendingWrite:
        """``write``, except that on PostgreSQL, unless ``wait``, an article whose locks
        another writer holds comes back unwritten, and one that came after an unwritten
        article of its URL comes back in any case (its versions are stored in the order
        they came): the caller tries it again later (``store``)."""
        if not self._key_locks:
            return self.write(write.item if isinstance(write, PendingWrite) else write)
        assert self._session is not None
        pending = write if isinstance(write, PendingWrite) else self._plan(write)
        if not pending.plan.is_current(self._session):
            self._plan_again(pending)
        if not any(arrival < pending.arrival for arrival in self._aside.get(pending.plan.url_key, ())):
            try:
                stored = self._write_alone(pending, wait)
                if stored is None:
                    self._learn(pending.plan)
            except BaseException:
                self._set_back(pending)  # a failed write holds no later one of its URL back
                raise
            if stored is not None:
                self._set_back(pending)
                return stored
            pending.set_aside += 1
            self.lock_counts[LOCK_SET_ASIDE] += 1
        self._aside.setdefault(pending.plan.url_key, set()).add(pending.arrival)
        return pending

    def _set_back(self, pending: PendingWrite) -> None:
        """The article is no longer set aside (written, or failed)."""
        aside = self._aside.get(pending.plan.url_key, set())
        aside.discard(pending.arrival)
        if not aside:
            self._aside.pop(pending.plan.url_key, None)

    def _plan(self, item: ArticleItem) -> PendingWrite:
        plan = self._write_plan(item)
        self._arrivals += 1
        return PendingWrite(item, plan, set(plan.keys), self._arrivals)

    def _write_plan(self, item: ArticleItem) -> WritePlan:
        assert self._session is not None
        dedup = self.linker.config if self.linker is not None else None
        return plan_write(self._session, item, self.config.boilerplate, dedup, self.steps)

    def _learn(self, plan: WritePlan) -> None:
        """Read which of a set-aside article's paragraphs and title affixes other writers
        have made its source's boilerplate: its next try is planned without them
        (``_plan_again``), as those writers no longer lock their counts."""
        assert self._session is not None
        if plan.source is not None:
            try:
                learn_paragraphs(self._session, plan.source, plan.counted, self.config.boilerplate.min_articles)
                self._session.rollback()
            except SQLAlchemyError as exc:
                raise StoreFailed(
                    f"{self.where}: could not read the boilerplate of {plan.source}: {_one_line(exc)}"
                ) from exc

    def _plan_again(self, pending: PendingWrite) -> None:
        """The source learned boilerplate since the article was planned (set aside meanwhile):
        its text, signature and locks as the source now is, before its transaction, and
        without the counts' locks of what is now boilerplate, which other writers of the
        source, knowing it, no longer take."""
        plan = self._write_plan(pending.item)
        pending.keys = plan.keys | (pending.keys - pending.plan.keys)
        pending.plan = plan

    def _write_alone(self, pending: PendingWrite, wait: bool) -> StoredArticle | None:
        """The article in its own transaction, redone when it finds it needs a lock another
        writer holds: with that lock among its keys, and at last with the database alone.
        None, nothing written, when another writer holds one of its keys and not ``wait``."""
        assert self._session is not None
        if self._write_locked:
            self.commit()  # a fetch's frontier rows first: a redo must not roll them back
        item = pending.item
        while True:
            alone = pending.alone or pending.redone >= LOCK_ATTEMPTS - 1
            started = perf_counter()
            try:
                if alone or wait:
                    free = begin_article(self._session, pending.keys, exclusive=alone)
                elif not (free := try_article(self._session, pending.keys)):
                    self.steps.lap(LOCK_WAIT, started)
                    return None
            except SQLAlchemyError as exc:
                raise StoreFailed(f"{self.where}: could not store {item.url}: {_one_line(exc)}") from exc
            self._write_locked = True
            began = self.steps.lap(LOCK if free else LOCK_WAIT, started)
            # Steps timed apart, kept only if the write is: a redone write's time is the lock's.
            steps = StepTimes()
            try:
                stored = self._store(item, steps, pending.plan)
            except LockConflict as conflict:
                if alone:  # nothing else writes: not a lock (a row that breaks a constraint)
                    raise StoreFailed(
                        f"{self.where}: could not store {item.url}: {_one_line(conflict.__cause__ or conflict)}"
                    ) from conflict
                self._session.rollback()
                self._write_locked = False
                end_article(self._session)
                self.steps.lap(LOCK_WAIT, began, 0)
                self.lock_counts[LOCK_REDONE] += 1
                pending.keys |= conflict.keys
                pending.alone |= conflict.exclusive
                pending.redone += 1
                continue
            self.steps.add(steps)
            self.lock_counts[LOCK_ALONE] += alone
            self._pending += 1
            self.commit()
            return stored

    def _store(self, item: ArticleItem, steps: StepTimes, plan: WritePlan | None = None) -> StoredArticle:
        assert self._session is not None
        for attempt in (1, 2):
            try:
                return store_article(
                    self._session, item, self.linker, self.config.boilerplate, self.config.history, steps, plan
                )
            except IntegrityError as exc:
                # Another process inserted the same URL (or source) between our select and insert.
                if plan is not None:
                    raise LockConflict(why="another writer inserted the same row") from exc
                if attempt == 2:
                    raise
            except SQLAlchemyError as exc:
                if self._key_locks and getattr(getattr(exc, "orig", None), "sqlstate", None) == DEADLOCK:
                    # Row locks, outside the key locks' order (PostgreSQL chose this one to fail).
                    raise LockConflict(exclusive=True, why="deadlock") from exc
                raise StoreFailed(f"{self.where}: could not store {item.url}: {_one_line(exc)}") from exc
        raise AssertionError("unreachable")

    def record(self, outcome: Outcome) -> None:
        """Remember what came of a fetch in the source's frontier (seen_urls)."""
        if self._session is None:
            return
        try:
            self._begin_write()
            with self._session.begin_nested():
                record_outcome(self._session, outcome, get_or_create_source(self._session, outcome.source))
        except SQLAlchemyError as exc:
            raise StoreFailed(f"{self.where}: could not record {outcome.url}: {_one_line(exc)}") from exc

    def update(self, change: Callable[[Session], None]) -> None:
        """Another of the crawl's records (an entry point's poll), in the crawl's transaction."""
        if self._session is None:
            return
        try:
            self._begin_write()
            with self._session.begin_nested():
                change(self._session)
        except SQLAlchemyError as exc:
            raise StoreFailed(f"{self.where}: could not record the crawl: {_one_line(exc)}") from exc

    def commit(self) -> None:
        if self._session is None:
            return
        wrote, self._write_locked = self._write_locked, False
        end_article(self._session)
        started = perf_counter()
        if self.config.dry_run:
            self._session.rollback()
            self._pending = 0
            self.steps.lap(COMMIT, started, wrote)
            return
        try:
            self._session.commit()
        except SQLAlchemyError as exc:
            self._session.rollback()
            lost = (
                f"last {self._pending} articles not stored"
                if self._pending
                else "frontier rows of the last fetches not stored"
            )
            raise StoreFailed(f"{self.where}: commit failed, {lost}: {_one_line(exc)}") from exc
        self.steps.lap(COMMIT, started, wrote)  # counted: the commits that ended a write transaction
        self._pending = 0

    def close(self, status: str, per_source: dict[str, Any]) -> None:
        """Commit what is pending, close the run with its counts, release the database."""
        if self._session is None:
            return
        try:
            self.commit()
        finally:
            try:
                if self.run_id is not None:
                    self._finish_run(status, per_source)
            finally:
                self._release()

    def _finish_run(self, status: str, per_source: dict[str, Any]) -> None:
        assert self._session is not None and self.run_id is not None
        try:
            if self.config.fleet_run:
                leave_run(self._session, self.run_id, status, per_source, self.steps.document())
            else:
                finish_run(self._session, self.run_id, status, per_source, self.steps.document())
            self._session.commit()
        except SQLAlchemyError as exc:
            logger.error("%s: could not record the end of crawl run %s: %s", self.where, self.run_id, _one_line(exc))

    def _begin_write(self) -> None:
        """The first write of a transaction waits for other writers' transactions to end."""
        assert self._session is not None
        if not self._write_locked:
            started = perf_counter()
            # Beside other writers' articles (ordered by row locks), not alone, where articles
            # take key locks; alone where they do not (storage.locks.write_lock).
            write_lock(self._session, shared=self._key_locks)
            # The transaction begins here, not at the store's first statement: SQLite's
            # BEGIN IMMEDIATE waits for the other writers then, and the wait is lock_wait's.
            self._session.connection()
            self.steps.lap(LOCK_WAIT, started)
            self._write_locked = True

    def _release(self) -> None:
        self._session = None
        self._held.close()


def _one_line(exc: BaseException) -> str:
    return " ".join(str(getattr(exc, "orig", None) or exc).split())


def _log_failure(future: Future[Any]) -> None:
    """Work queued from a signal (a dropped page's frontier row) that failed: said, not swallowed.

    The commit that follows fails loudly anyway; this names the page.
    """
    if (exc := future.exception()) is not None:
        logger.error("%s", exc)
