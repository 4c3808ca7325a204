"""pipelines/pool.py with real worker processes: calls waiting for a worker share a round
trip, each caller still gets its own result or its own error, and a call made while a
worker is free goes at once."""

from __future__ import annotations

import asyncio
import gc
import os
import threading
import time
from collections.abc import Iterator

import pytest

from pipelines.errors import NotHtml
from pipelines.pool import BATCHES_PER_WORKER, MAX_BATCH, WARM_CALLS, WorkerPool


def page_length(url: str, body: bytes) -> tuple[str, int, int]:
    """Stands in for analyze_page: which page, its size, and the worker that read it."""
    if body.startswith(b"%PDF"):
        raise NotHtml(f"{url}: not an HTML page (application/pdf)")
    if body == b"lock":
        raise ValueError(threading.Lock())  # an error that cannot be pickled back as it is
    return url, len(body), os.getpid()


def slow_page_length(url: str, body: bytes) -> tuple[str, int, int]:
    """page_length taking a few ms, as a real page does: a worker that finds nothing to do
    at once must be the other one's peer, not its spare (with instant calls one worker can
    empty the queue before the other wakes)."""
    time.sleep(0.005)
    return page_length(url, body)


@pytest.fixture
def pool() -> Iterator[WorkerPool]:
    workers = WorkerPool(2)
    workers.start()
    yield workers
    workers.shutdown()


def test_waiting_calls_share_round_trips_and_each_gets_its_own_result(pool: WorkerPool) -> None:
    pages = [(f"https://example.org/{n}", b"x" * n) for n in range(100)]

    async def analyse_all() -> list[tuple[str, int, int]]:
        return await asyncio.gather(*(pool.run(slow_page_length, url, body) for url, body in pages))

    results = asyncio.run(analyse_all())
    assert [(url, size) for url, size, _ in results] == [(url, len(body)) for url, body in pages]
    assert len({worker for _, _, worker in results}) == 2  # both workers had pages
    # The first calls go at once, one each; the rest wait and go MAX_BATCH at a time.
    alone = pool.workers * BATCHES_PER_WORKER
    assert pool.round_trips == alone + -(-(len(pages) - alone) // MAX_BATCH)


def test_one_pages_error_is_that_pages_alone(pool: WorkerPool) -> None:
    bodies = [b"<html>a</html>", b"%PDF-1.7", b"<html>b</html>", b"lock", b"<html>c</html>"] * 6

    async def analyse_all() -> list[object]:
        calls = [pool.run(page_length, f"https://example.org/{n}", body) for n, body in enumerate(bodies)]
        return await asyncio.gather(*calls, return_exceptions=True)

    results = asyncio.run(analyse_all())
    for n, (body, result) in enumerate(zip(bodies, results, strict=True)):
        if body.startswith(b"%PDF"):
            assert (
                isinstance(result, NotHtml)
                and str(result) == f"https://example.org/{n}: not an HTML page (application/pdf)"
            )
        elif body == b"lock":
            assert isinstance(result, RuntimeError) and str(result).startswith("ValueError: ")
        else:
            assert isinstance(result, tuple) and result[:2] == (f"https://example.org/{n}", len(body))


def test_a_call_with_a_worker_free_goes_alone(pool: WorkerPool) -> None:
    async def one() -> tuple[str, int, int]:
        return await pool.run(page_length, "https://example.org/only", b"<html></html>")

    assert asyncio.run(one())[:2] == ("https://example.org/only", 13)
    assert pool.round_trips == 1


def frozen_objects(url: str) -> tuple[str, int]:
    return url, gc.get_freeze_count()


def test_a_warm_worker_leaves_its_long_lived_objects_out_of_collections() -> None:
    """After its first WARM_CALLS pages a worker's modules and caches are settled
    (gc.freeze): later full collections no longer walk them."""
    workers = WorkerPool(1)
    workers.start()
    try:

        async def analyse_all() -> list[tuple[str, int]]:
            urls = [f"https://example.org/{n}" for n in range(WARM_CALLS + 3 * MAX_BATCH)]
            return await asyncio.gather(*(workers.run(frozen_objects, url) for url in urls))

        frozen = [count for _, count in asyncio.run(analyse_all())]
    finally:
        workers.shutdown()
    # A cold worker settles nothing; the batch that reaches WARM_CALLS settles first.
    assert set(frozen[: WARM_CALLS - MAX_BATCH]) == {0}
    assert min(frozen[WARM_CALLS:]) > 10_000  # the imported modules at least
