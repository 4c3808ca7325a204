"""Runs tell the truth: a run is `interrupted` only when its own process is gone (its crawl
locks are free), never because a crawl of another source started beside it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import datetime

import pytest
from sqlalchemy import Engine, text

from storage import runs
from storage.db import make_engine, prepare_database, session_for_url, session_scope
from storage.locks import crawl_lock, locks_held
from storage.models import CrawlRun
from storage.runs import finish_run, join_run, leave_run, recent_runs, run_document, start_run, worker_lock_name
from tests.conftest import FIXTURES, LOCAL_SERVER_SETTINGS, ROOT, require_slow_tier, run_cli, run_scrapy
from tests.fixture_server import FixtureHandler, FixtureServer


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url, writer=True)
    prepare_database(engine)
    yield engine
    engine.dispose()


def open_run(engine: Engine, locks: list[str]) -> int:
    with session_scope(engine) as session:
        return start_run(session, "news", locks)


def end_run(engine: Engine, run_id: int) -> None:
    with session_scope(engine) as session:
        finish_run(session, run_id, "finished", {})


def shown(url: str) -> dict[int, tuple[str, str | None]]:
    """{run: (status, finished_at)} as `newsdedup runs` shows them."""
    with session_for_url(url) as session:
        return {d["id"]: (d["status"], d["finished_at"]) for d in map(run_document, recent_runs(session))}


def recorded(url: str) -> dict[int, tuple[str, datetime | None]]:
    """{run: (status, finished_at)} as the rows hold them."""
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, status, finished_at FROM crawl_runs")).all()
    engine.dispose()
    return {run_id: (status, finished) for run_id, status, finished in rows}


# -- in-process: the rules ------------------------------------------------------------


def test_locks_held_is_seen_without_taking_the_lock(engine: Engine) -> None:
    with crawl_lock(engine, ["source:a"]), session_scope(engine) as session:
        assert locks_held(session, ["source:a", "source:b"]) == {"source:a"}
    with session_scope(engine) as session:
        assert locks_held(session, ["source:a"]) == set()


def test_a_run_of_another_source_leaves_a_live_run_running(engine: Engine, db_url: str) -> None:
    with crawl_lock(engine, ["source:a"]):
        a = open_run(engine, ["source:a"])
        with crawl_lock(engine, ["source:b"]):
            b = open_run(engine, ["source:b"])
            assert shown(db_url) == {a: ("running", None), b: ("running", None)}
            assert recorded(db_url) == {a: ("running", None), b: ("running", None)}
            end_run(engine, b)
        assert shown(db_url)[a] == ("running", None)
        end_run(engine, a)
    assert {status for status, _ in recorded(db_url).values()} == {"finished"}


def test_a_dead_run_is_shown_dead_and_recorded_by_its_own_source(engine: Engine, db_url: str) -> None:
    with crawl_lock(engine, ["source:a"]):
        a = open_run(engine, ["source:a"])
    # The lock is free and no end was recorded: what a killed process leaves.
    assert shown(db_url)[a] == ("interrupted", None)
    assert recorded(db_url)[a] == ("running", None), "reading records nothing"
    with crawl_lock(engine, ["source:b"]):
        end_run(engine, open_run(engine, ["source:b"]))
    assert recorded(db_url)[a] == ("running", None), "another source's run leaves it to its own"
    with crawl_lock(engine, ["source:a", "source:c"]):
        later = open_run(engine, ["source:a", "source:c"])
        status, finished_at = recorded(db_url)[a]
        assert status == "interrupted" and finished_at is not None
        end_run(engine, later)


def test_a_row_without_locks_is_ended_by_the_next_run(engine: Engine, db_url: str) -> None:
    """Rows written before runs recorded their locks cannot be probed: the old rule."""
    with session_scope(engine) as session:
        session.add(CrawlRun(spider="news", workers=[]))
    assert [status for status, _ in shown(db_url).values()] == ["running"]
    with crawl_lock(engine, ["source:b"]):
        open_run(engine, ["source:b"])
    assert sorted(status for status, _ in recorded(db_url).values()) == ["interrupted", "running"]


def worker(engine: Engine, monkeypatch: pytest.MonkeyPatch, name: str, fleet_run: str) -> tuple[ExitStack, int]:
    """A fleet worker joined to ``fleet_run``, alive until the stack is closed."""
    monkeypatch.setattr(runs, "this_worker", lambda: name)
    alive = ExitStack()
    lock = worker_lock_name(fleet_run)
    alive.enter_context(crawl_lock(engine, [lock]))
    with session_scope(engine) as session:
        return alive, join_run(session, "news", fleet_run, [lock])


@pytest.mark.postgres
def test_a_fleet_run_ends_interrupted_when_its_last_live_worker_leaves(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(pg_url, writer=True)
    prepare_database(engine)
    first, run_id = worker(engine, monkeypatch, "host:1", "f1")
    second, _ = worker(engine, monkeypatch, "host:2", "f1")
    first.close()  # killed
    assert shown(pg_url)[run_id] == ("running", None), "one worker is alive"
    with crawl_lock(engine, ["source:x"]):
        end_run(engine, open_run(engine, ["source:x"]))
    assert recorded(pg_url)[run_id][0] == "running"
    monkeypatch.setattr(runs, "this_worker", lambda: "host:2")
    with session_scope(engine) as session:
        leave_run(session, run_id, "finished", {"a": {"pages_fetched": 1}})
    second.close()
    with session_scope(engine) as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None and run.status == "interrupted" and run.finished_at is not None
        assert {w["worker"]: w["status"] for w in run.workers} == {"host:1": "interrupted", "host:2": "finished"}
        assert run.per_source == {"a": {"pages_fetched": 1, "errors": {}}}
    engine.dispose()


@pytest.mark.postgres
def test_a_fleet_run_with_no_live_worker_is_ended_by_the_next_run(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(pg_url, writer=True)
    prepare_database(engine)
    for name in ("host:1", "host:2"):
        alive, run_id = worker(engine, monkeypatch, name, "f2")
        alive.close()
    assert shown(pg_url)[run_id] == ("interrupted", None)
    with crawl_lock(engine, ["source:x"]):
        open_run(engine, ["source:x"])
    assert recorded(pg_url)[run_id][0] == "interrupted"
    engine.dispose()


# -- real processes ------------------------------------------------------------------------


class GatedHandler(FixtureHandler):
    """Holds every request until the test opens the gate: a crawl stays running meanwhile."""

    def _get(self) -> None:
        self.server.gate.wait(timeout=120)  # type: ignore[attr-defined]
        super()._get()


@pytest.fixture
def gated_server() -> Iterator[FixtureServer]:
    with FixtureServer(FIXTURES) as server:
        server.gate = threading.Event()  # type: ignore[attr-defined]
        server.RequestHandlerClass = lambda *a: GatedHandler(*a, directory=str(FIXTURES))  # type: ignore[assignment]
        yield server
        server.gate.set()  # type: ignore[attr-defined]


def crawl_args(server: FixtureServer, db: str, source: str) -> list[str]:
    settings = [*LOCAL_SERVER_SETTINGS, f"NEWSDEDUP_DATABASE_URL={db}", "AUTOTHROTTLE_ENABLED=False"]
    args = ["crawl", "news", "-a", f"sources={FIXTURES / 'sources.toml'}", "-a", f"source={source}"]
    args += ["-a", f"base_url={server.base_url}"]
    return args + [part for setting in settings for part in ("-s", setting)]


def start_crawl(server: FixtureServer, db: str, source: str) -> subprocess.Popen[str]:
    require_slow_tier("Scrapy")
    command = [sys.executable, "-m", "scrapy", *crawl_args(server, db, source)]
    # The log goes to a file: a pipe nobody reads while the crawl runs could fill and stall it.
    log = tempfile.TemporaryFile("w+")  # noqa: SIM115 - read and closed by crawl_log()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log, text=True)
    process.log = log  # type: ignore[attr-defined]
    return process


def crawl_log(process: subprocess.Popen[str]) -> str:
    process.log.seek(0)  # type: ignore[attr-defined]
    return process.log.read()[-3000:]  # type: ignore[attr-defined]


def wait_for(
    check: Callable[[], bool], what: str, timeout: float = 90.0, crawl: subprocess.Popen | None = None
) -> None:
    """Poll ``check``; on a timeout, say what was awaited (and how the crawl ended, if it did)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}" + (f"; the crawl's log:\n{crawl_log(crawl)}" if crawl else ""))


def with_schema(url: str) -> str:
    """The schema made before the crawls start: a reader polling a SQLite file while the
    first crawl creates it could make that crawl's migration fail as locked."""
    engine = make_engine(url)
    prepare_database(engine)
    engine.dispose()
    return url


def run_rows(url: str) -> int:
    return len(recorded(url))


@pytest.mark.slow
def test_two_sources_crawled_side_by_side_both_finish(gated_server: FixtureServer, db_url: str) -> None:
    with_schema(db_url)
    seen: set[str] = set()

    def statuses() -> set[str]:
        now = {status for status, _ in shown(db_url).values()} | {s for s, _ in recorded(db_url).values()}
        seen.update(now)
        return now

    first = start_crawl(gated_server, db_url, "antiwar")
    wait_for(lambda: run_rows(db_url) == 1, "the first run", crawl=first)
    second = start_crawl(gated_server, db_url, "newswire")
    wait_for(lambda: run_rows(db_url) == 2, "the second run", crawl=second)
    for _ in range(5):  # both are waiting on the gated server: both running, as every reader sees them
        assert statuses() == {"running"}
        time.sleep(0.2)
    listed = run_cli("runs", "--json", "--db", db_url)
    assert [json.loads(line)["status"] for line in listed.stdout.splitlines()] == ["running", "running"]
    gated_server.gate.set()  # type: ignore[attr-defined]
    while first.poll() is None or second.poll() is None:
        statuses()
        time.sleep(0.2)
    assert first.returncode == 0, crawl_log(first)
    assert second.returncode == 0, crawl_log(second)
    listed = run_cli("runs", "--json", "--db", db_url)
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(row["status"], set(row["per_source"])) for row in rows] == [
        ("finished", {"newswire"}),
        ("finished", {"antiwar"}),
    ]
    assert "interrupted" not in seen


@pytest.mark.slow
def test_a_killed_crawl_is_ended_by_the_next_run_of_its_source(gated_server: FixtureServer, db_url: str) -> None:
    with_schema(db_url)
    killed = start_crawl(gated_server, db_url, "antiwar")
    wait_for(lambda: run_rows(db_url) == 1, "the run", crawl=killed)
    (run_id,) = recorded(db_url)
    assert shown(db_url)[run_id] == ("running", None)
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait()
    # Dead at once for a reader (the OS freed its lock), with no finish time: nobody saw it end.
    wait_for(lambda: shown(db_url)[run_id] == ("interrupted", None), "the dead run shown dead", timeout=10)
    listed = [json.loads(line) for line in run_cli("runs", "--json", "--db", db_url).stdout.splitlines()]
    assert [(row["status"], row["finished_at"]) for row in listed] == [("interrupted", None)]
    gated_server.gate.set()  # type: ignore[attr-defined]
    other = run_scrapy(*crawl_args(gated_server, db_url, "newswire"))
    assert other.returncode == 0, other.stderr[-2000:]
    assert recorded(db_url)[run_id] == ("running", None), "a run of another source leaves it as it is"
    assert shown(db_url)[run_id] == ("interrupted", None)
    again = run_scrapy(*crawl_args(gated_server, db_url, "antiwar"))
    assert again.returncode == 0, again.stderr[-2000:]
    rows = recorded(db_url)
    assert rows[run_id][0] == "interrupted" and rows[run_id][1] is not None
    assert [status for _, (status, _) in sorted(rows.items())] == ["interrupted", "finished", "finished"]


FLEET_WORKER = """
import sys, time
from storage import runs
from storage.db import make_engine, session_scope
from storage.locks import crawl_lock

engine = make_engine(sys.argv[1], writer=True)
lock = runs.worker_lock_name("f1")
with crawl_lock(engine, [lock]):
    with session_scope(engine) as session:
        runs.join_run(session, "news", "f1", [lock])
    print("joined", flush=True)
    time.sleep(300)
"""


@pytest.mark.slow
@pytest.mark.postgres
def test_a_fleet_run_is_interrupted_only_when_no_worker_is_alive(pg_url: str) -> None:
    require_slow_tier("fleet workers")
    engine = make_engine(pg_url, writer=True)
    prepare_database(engine)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [
        subprocess.Popen([sys.executable, "-c", FLEET_WORKER, pg_url], cwd=ROOT, env=env, stdout=subprocess.PIPE)
        for _ in range(2)
    ]
    try:
        for process in workers:
            assert process.stdout is not None and process.stdout.readline().strip() == b"joined"
        (run_id,) = recorded(pg_url)
        os.kill(workers[0].pid, signal.SIGKILL)
        workers[0].wait()
        time.sleep(1)
        assert shown(pg_url)[run_id] == ("running", None), "its other worker is alive"
        with crawl_lock(engine, ["source:x"]):
            end_run(engine, open_run(engine, ["source:x"]))
        assert recorded(pg_url)[run_id][0] == "running"
        os.kill(workers[1].pid, signal.SIGKILL)
        workers[1].wait()
        wait_for(lambda: shown(pg_url)[run_id] == ("interrupted", None), "the dead fleet run shown dead", timeout=10)
        with crawl_lock(engine, ["source:y"]):
            open_run(engine, ["source:y"])
        assert recorded(pg_url)[run_id][0] == "interrupted"
    finally:
        for process in workers:
            if process.poll() is None:
                process.kill()
                process.wait()
        engine.dispose()
