"""The real Redis server for the fleet tests (shared frontier, fleet-wide politeness).

``redis_url`` is ``$NEWSDEDUP_TEST_REDIS_URL`` (default db 1 of the local server, so a
developer's db 0 is left alone), emptied before and after each test. Unreachable: a skip
that says how to start it, a failure under ``CI=true`` (``.ci/run`` starts it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.services import service_missing

# One Redis database per pytest-xdist process: 1 for the first, 2, 3… for the others.
_BASE = os.environ.get("NEWSDEDUP_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = f"{_BASE.rsplit('/', 1)[0]}/{int(_BASE.rsplit('/', 1)[1]) + _WORKER}" if _WORKER else _BASE


def _flush(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.flushdb()
    finally:
        client.close()


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The test Redis database, emptied for each test."""
    import redis

    try:
        _flush(REDIS_URL)
    except redis.RedisError as exc:
        service_missing(
            f"Redis not reachable at {REDIS_URL} ({exc}); start it, e.g. "
            "`redis-server --daemonize yes` (apt-get install redis-server), "
            "or point NEWSDEDUP_TEST_REDIS_URL at a server"
        )
    yield REDIS_URL
    _flush(REDIS_URL)
