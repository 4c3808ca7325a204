"""A process pool that keeps CPU-heavy page work off Scrapy's event loop.

Calls that wait for a worker go to it together. Each round trip costs the crawl process
CPU of its own (a pickled call, a future, the pool's queue and result threads waking,
the loop woken from another thread): an import of the 884 real pages made 114 round
trips instead of 884, and the pool's threads spent ~0.5 ms a page less. With a worker
free a call goes alone at once, so a live crawl never waits for a batch to fill; when
every worker has a batch running and one queued, the calls made meanwhile go in the
next round trip, up to MAX_BATCH of them.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import importlib
import logging
import multiprocessing
import os
import pickle
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future as PoolFuture
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

logger = logging.getLogger(__name__)
T = TypeVar("T")


WORKERS_ENV = "NEWSDEDUP_EXTRACT_WORKERS"
# Calls in one round trip at most: enough that an import's round trips cost the crawl
# process next to nothing, few enough that a batch's pages are not held up behind a slow
# one for long.
MAX_BATCH = 8
# Batches sent and not yet back, per worker: one running and one queued behind it, so a
# worker finishing a batch finds the next one there.
BATCHES_PER_WORKER = 2
# Calls a worker makes before settle_long_lived(): by then dateparser has compiled the
# locales its pages date in and trafilatura and htmldate have filled their caches.
WARM_CALLS = 100


def default_workers() -> int:
    """$NEWSDEDUP_EXTRACT_WORKERS when set (the test suite runs its small imports with one),
    else one per CPU."""
    if os.environ.get(WORKERS_ENV, "").strip():
        return int(os.environ[WORKERS_ENV])
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _exit_with_parent(parent: int) -> None:
    """Worker side: quit as soon as the crawl process is gone.

    A crawl killed with SIGKILL (or a power-cut container) cannot shut its pool down;
    without this its workers would linger, ~140 MB each, one set per killed run.
    """
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _init_worker(parent: int, preload: tuple[str, ...]) -> None:
    # Workers yield the CPU to the crawl process: with as many workers as cores the event
    # loop otherwise waits for a time slice (300-page crawl, 2 workers: loop-lag p99
    # 200-246 ms at nice 0, 20-29 ms at nice 10, pages/s unchanged; docs/benchmarks.md).
    os.nice(10)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True, name="parent-watch").start()
    for module in preload:
        importlib.import_module(module)


def _ready() -> bool:
    return True


def settle_long_lived() -> None:
    """Leave what is alive now out of every later garbage collection (``gc.freeze``).

    A warm worker holds ~210,000 objects that live as long as it does (its modules,
    dateparser's compiled locales, trafilatura's caches), and each full collection, which
    a page's allocations set off every few pages, walked them all: 2.0 ms of collection
    a real page in analyze_page, 0.3 ms once they are left out (docs/benchmarks.md). A
    settled object is still freed when nothing refers to it any more; only a settled
    cycle that later becomes garbage stays, so the garbage cycles of the moment are
    collected first.
    """
    gc.collect()
    gc.freeze()


class _WarmUp:
    """Worker side: the calls made so far; settles the worker once they reach WARM_CALLS."""

    calls = 0

    @classmethod
    def before(cls, batch: int) -> None:
        if cls.calls < WARM_CALLS <= cls.calls + batch:
            settle_long_lived()  # before the batch: its pages are not long-lived
        cls.calls += batch


def _call_each(fn: Callable[..., Any], calls: list[tuple[Any, ...]]) -> list[tuple[bool, Any]]:
    """Worker side: ``fn`` over a batch of argument tuples; each call's result, or the
    exception it raised (one page's failure is not its batch's)."""
    _WarmUp.before(len(calls))
    results: list[tuple[bool, Any]] = []
    for args in calls:
        try:
            results.append((True, fn(*args)))
        except Exception as exc:
            try:
                pickle.dumps(exc)
            except Exception:  # an exception that cannot travel back would fail the batch
                exc = RuntimeError(f"{type(exc).__name__}: {exc}")
            results.append((False, exc))
    return results


def _on_loop(loop: asyncio.AbstractEventLoop, callback: Callable[..., None], *args: Any) -> None:
    if not loop.is_closed():  # a pool shut down after its loop: nobody awaits the batch
        loop.call_soon_threadsafe(callback, *args)


_Call = tuple[Callable[..., Any], tuple[Any, ...], "asyncio.Future[Any]"]


class WorkerPool:
    """Runs a picklable function in worker processes and awaits it on the event loop.

    ``workers=0`` runs the function inline (on the loop): only for debugging and
    profiling, since it stalls downloads while a page is parsed.
    """

    def __init__(self, workers: int, preload: tuple[str, ...] = ()) -> None:
        self.workers = workers
        self.preload = preload
        self._executor: ProcessPoolExecutor | None = None
        # start() and shutdown() run in threads (off the loop); one at a time.
        self._starting = threading.Lock()
        # Calls not yet sent, and batches sent and not yet back (both on the loop).
        self._waiting: deque[_Call] = deque()
        self._sent = 0
        self.round_trips = 0  # batches sent (the crawl's stats: extract/round_trips)

    def start(self) -> None:
        """Start the worker processes; blocking, so call it in a thread from async code."""
        with self._starting:
            self._start()

    def _start(self) -> None:
        if self.workers <= 0 or self._executor is not None:
            return
        # spawn: workers start clean (not a fork of a process running the Twisted reactor
        # and threads) and are this process's children, so they can tell when it dies.
        self._executor = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(os.getpid(), self.preload),
        )
        # Workers are spawned on first submit, which blocks the caller (imports): do it
        # here, where callers run it off the event loop.
        for future in [self._executor.submit(_ready) for _ in range(self.workers)]:
            future.result()
        logger.info("started %d extraction worker processes", self.workers)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in a worker process, sent alone or with the calls waiting beside it."""
        if self._executor is None:
            return fn(*args)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._waiting.append((fn, args, future))
        self._send(loop)
        return await future

    def _send(self, loop: asyncio.AbstractEventLoop) -> None:
        while self._executor is not None and self._waiting and self._sent < self.workers * BATCHES_PER_WORKER:
            fn = self._waiting[0][0]
            batch: list[_Call] = []
            while self._waiting and len(batch) < MAX_BATCH and self._waiting[0][0] is fn:
                call = self._waiting.popleft()
                if not call[2].cancelled():
                    batch.append(call)
            if not batch:
                continue
            self._sent += 1
            self.round_trips += 1
            sent = self._executor.submit(_call_each, fn, [args for _, args, _ in batch])
            # Called on the pool's result thread: the batch's futures belong to the loop.
            sent.add_done_callback(functools.partial(_on_loop, loop, self._returned, batch))

    def _returned(self, batch: list[_Call], done: PoolFuture[Any]) -> None:
        self._sent -= 1
        if done.cancelled():
            for _, _, future in batch:
                future.cancel()
        elif (error := done.exception()) is not None:  # a worker died, the pool is shutting down
            for _, _, future in batch:
                if not future.done():
                    future.set_exception(error)
        else:
            for (_, _, future), (ok, value) in zip(batch, done.result(), strict=True):
                if future.done():
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)
        self._send(asyncio.get_running_loop())

    async def close(self) -> None:
        """shutdown() off the event loop: workers take ~0.5 s to exit, a stall on the loop."""
        for _, _, future in self._waiting:
            future.cancel()
        self._waiting.clear()
        await asyncio.to_thread(self.shutdown)

    def shutdown(self) -> None:
        """Stop the workers and wait for them; blocking (async code awaits close())."""
        with self._starting:
            if self._executor is not None:
                self._executor.shutdown(wait=True, cancel_futures=True)
                self._executor = None


def crawl_pool(crawler: Any) -> WorkerPool:
    """The crawl's pool of worker processes: EXTRACT_WORKERS of them (-1: the default, see default_workers)."""
    workers = crawler.settings.getint("EXTRACT_WORKERS")
    return WorkerPool(default_workers() if workers < 0 else workers, preload=("pipelines.extract",))
