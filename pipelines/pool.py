"""A process pool that keeps CPU-heavy page work off Scrapy's event loop."""

from __future__ import annotations

import asyncio
import importlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

logger = logging.getLogger(__name__)
T = TypeVar("T")


WORKERS_ENV = "NEWSDEDUP_EXTRACT_WORKERS"


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
        if self._executor is None:
            return fn(*args)
        return await asyncio.wrap_future(self._executor.submit(fn, *args))

    async def close(self) -> None:
        """shutdown() off the event loop: workers take ~0.5 s to exit, a stall on the loop."""
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
