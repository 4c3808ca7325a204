"""Shared fixtures: the truth file, databases (SQLite file and the real PostgreSQL), the
fixture HTTP server, and helpers that run the real CLI and `scrapy crawl` in subprocesses
(Twisted's reactor runs once per process)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from storage.db import create_postgres_database, make_engine
from tests.fixture_server import FixtureServer
from tests.redis_service import redis_url  # noqa: F401 - a fixture, shared by import
from tests.services import service_missing

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# pytest-xdist runs the suite in several processes (pyproject addopts): each has its own
# database, `test` for the first, `test_gw1`, … (created) for the others.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
PG_BASE_URL = os.environ.get("NEWSDEDUP_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PG_URL = PG_BASE_URL if XDIST_WORKER == "gw0" else f"{PG_BASE_URL}_{XDIST_WORKER}"

# The CLI and `scrapy crawl` subprocesses extract inline, not in one spawned worker per
# CPU: the fixture imports are ~20 pages, and each worker costs ~5 s of CPU to start
# (trafilatura, datasketch/scipy, py3langid's model): a fixture import took 19 s of CPU
# with 2 workers, 13.5 s with 1, 9.5 s inline. The pool itself is still exercised:
# tests/test_incremental.py kills a crawl with EXTRACT_WORKERS=1, tests/test_extract.py.
os.environ.setdefault("NEWSDEDUP_EXTRACT_WORKERS", "0")


def pytest_configure(config: pytest.Config) -> None:
    """Byte-compile the project once: with PYTHONDONTWRITEBYTECODE=1 (as in CI images and
    this sandbox) every CLI subprocess and each of its workers otherwise compiles the
    project's ~9,000 lines again (~0.35 s of CPU a process)."""
    import compileall

    for package in ("crawler", "pipelines", "storage", "bench", "tests"):
        compileall.compile_dir(ROOT / package, quiet=1)


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


SLOW_TESTS: set[str] = set()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    SLOW_TESTS.update(item.nodeid for item in items if item.get_closest_marker("slow"))


def require_slow_tier(what: str) -> None:
    """`pytest -m "not slow"` stays in-process: a subprocess in an unmarked test is a test bug."""
    current = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" ", 1)[0]
    if current and current not in SLOW_TESTS:
        pytest.fail(f"{current} runs {what} in a subprocess: mark it @pytest.mark.slow")


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`newsdedup ARGS…` as a user runs it."""
    require_slow_tier("the CLI")
    return subprocess.run(  # noqa: PLW1510 - callers assert on the exit code
        [sys.executable, "-m", "cli", *args],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        cwd=cwd or ROOT,
    )


# The test server is ours: crawls of it skip the 1 s per-host delay (test_politeness checks
# the defaults with polite=True). A test's runs follow each other within seconds, so each
# fetches every feed (POLL_ENABLED=False); tests/test_polling.py runs the schedule with a
# simulated hourly clock.
LOCAL_SERVER_SETTINGS = (
    "DOWNLOAD_DELAY=0",
    "CONCURRENT_REQUESTS_PER_DOMAIN=4",
    "AUTOTHROTTLE_TARGET_CONCURRENCY=2",
    "POLL_ENABLED=False",
)


def run_scrapy(*args: str, cwd: Path | None = None, polite: bool = False) -> subprocess.CompletedProcess[str]:
    """`scrapy crawl …` from the project folder, as cron would run it."""
    require_slow_tier("Scrapy")
    if args[:1] == ("crawl",) and not polite:
        # Before the test's own -s options, which win.
        args = (*args[:2], *(part for setting in LOCAL_SERVER_SETTINGS for part in ("-s", setting)), *args[2:])
    return subprocess.run(  # noqa: PLW1510 - callers assert on the exit code
        [sys.executable, "-m", "scrapy", *args],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=cwd or ROOT,
    )


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'news.db'}"


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The local PostgreSQL server's `test` database, emptied for each test."""
    yield empty_postgres()


def empty_postgres(suffix: str = "") -> str:
    """Empty the test database (or its sibling ``<name><suffix>``, created when missing)
    and return its URL; skip (fail under CI) when the server is unreachable."""
    url = PG_URL + suffix
    try:
        if url != PG_BASE_URL:
            create_postgres_database(url)
        _reset_postgres(url)
    except OperationalError as exc:
        reason = " ".join(str(exc.orig).split())[:200]
        service_missing(
            f"PostgreSQL not reachable at {url} ({reason}); start it, e.g. "
            "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, "
            "or point NEWSDEDUP_TEST_PG_URL at a server"
        )
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each test using it runs on both backends."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="session")
def fixture_server() -> Iterator[FixtureServer]:
    with FixtureServer(FIXTURES) as server:
        yield server


@pytest.fixture(scope="session")
def imported_fixtures(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One offline import of fixtures/ into SQLite, shared by the read-only tests."""
    url = f"sqlite:///{tmp_path_factory.mktemp('imported') / 'news.db'}"
    result = run_cli("import", "fixtures/", "--db", url)
    assert result.returncode == 0, result.stderr
    # Quiet on a fresh install: no Python warning from the project's settings or code.
    assert "Warning" not in result.stderr, result.stderr
    return url


@pytest.fixture
def imported_copy(imported_fixtures: str, tmp_path: Path) -> str:
    """A writable copy of the session's fixture import, for tests whose subject is what
    comes after a first import (a copy of the file costs ms, an import ~10 s of CPU)."""
    import shutil

    target = tmp_path / "imported.db"
    shutil.copy(imported_fixtures.removeprefix("sqlite:///"), target)
    return f"sqlite:///{target}"


def stored_articles(url: str) -> list[dict]:
    """Everything stored, as plain dicts, through the same query the CLI uses."""
    from storage.articles import article_documents
    from storage.db import session_for_url

    with session_for_url(url) as session:
        return list(article_documents(session))


def comparable(documents: list[dict], *, drop: tuple[str, ...] = ("id", "url")) -> list[dict]:
    """Rows minus what legitimately differs between two imports (fetch URL, …)."""
    return sorted(
        ({k: v for k, v in d.items() if k not in drop} for d in documents),
        key=lambda d: (d["source"], d["title"] or ""),
    )


async def close_store(pipeline: object) -> None:
    """What the engine does at the end of a crawl to the store stage: close_spider, then the
    spider_closed signal (which finishes the run and releases the database)."""
    await pipeline.close_spider()  # type: ignore[attr-defined]
    await pipeline.spider_closed(None, "finished")  # type: ignore[attr-defined]


def store_items(url: str, items: list[Any], settings: dict[str, Any] | None = None) -> Any:
    """The items through a crawl's store stage (StorePipeline), from open to the end of its
    run; returns the pipeline (its stats)."""
    from scrapy.utils.test import get_crawler

    from pipelines.store import StorePipeline

    pipeline = StorePipeline.from_crawler(
        get_crawler(settings_dict={"NEWSDEDUP_DATABASE_URL": url, **(settings or {})})
    )

    async def crawl() -> None:
        await pipeline.open_spider()
        for each in items:
            await pipeline.process_item(each)
        await close_store(pipeline)

    asyncio.run(crawl())
    return pipeline
