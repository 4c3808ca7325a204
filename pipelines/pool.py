"""A process pool that keeps CPU-heavy page work off Scrapy's event loop."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

logger = logging.getLogger(__name__)
T = TypeVar("T")


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


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

    def start(self) -> None:
        """Start the worker processes; blocking, so call it in a thread from async code."""
        if self.workers <= 0 or self._executor is not None:
            return
        # forkserver: workers fork from a clean process, not from the one running the
        # Twisted reactor and its threads; preloading imports trafilatura once.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(self.preload))
        self._executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        # Workers are spawned on first submit, which blocks the caller ~0.3 s (forkserver
        # start, imports): do it here, where callers run it off the event loop.
        for future in [self._executor.submit(_ready) for _ in range(self.workers)]:
            future.result()
        logger.info("started %d extraction worker processes", self.workers)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._executor is None:
            return fn(*args)
        return await asyncio.wrap_future(self._executor.submit(fn, *args))

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
