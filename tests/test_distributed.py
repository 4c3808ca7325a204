"""Fleet mode for real: three `scrapy crawl news` workers sharing the Redis frontier and one
PostgreSQL, against a site served from three loopback hosts with syndicated copies across
them, compared with one process crawling the same site."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bench.big_site import HOSTS, build, write_sources
from storage.db import make_engine, session_scope
from storage.runs import recent_runs
from tests.conftest import ROOT, empty_postgres
from tests.fixture_server import FixtureServer

# One xdist process runs them all, so the site and the reference crawl are made once.
pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.xdist_group("distributed")]

STORIES = 24  # about 130 pages over 17 sites and three hosts
HOST_DELAY = 0.05  # the fleet's per-host rest in these tests (seconds)


# Session-scoped: xdist interleaves other modules' tests, and pytest tears a module's
# fixtures down whenever the next test is from another module.
@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[FixtureServer]]]:
    root = tmp_path_factory.mktemp("big-site")
    build(root, STORIES)
    servers = [FixtureServer(root, host=host) for host in HOSTS]
    for server in servers:
        server.__enter__()
    write_sources(root, [server.base_url for server in servers])
    yield root, servers
    for server in servers:
        server.__exit__(None, None, None)


def crawl_command(root: Path, db: str, *settings: str) -> list[str]:
    args = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sources={root / 'sources.toml'}"]
    for setting in (
        f"NEWSDEDUP_DATABASE_URL={db}",
        "DEDUP_WINDOW_DAYS=None",
        "EXTRACT_WORKERS=1",
        "DOWNLOAD_DELAY=0",
        "AUTOTHROTTLE_ENABLED=False",
        f"FLEET_HOST_DELAY={HOST_DELAY}",
        "FLEET_IDLE_GRACE=3",
        # A worker takes at most this many requests from the shared queue at a time.
        "CONCURRENT_REQUESTS=4",
        "LOG_LEVEL=INFO",
        *settings,
    ):
        args += ["-s", setting]
    return args


def start(command: list[str]) -> subprocess.Popen[str]:
    # The log goes to a file: a pipe nobody reads while the fleet runs could fill and stall it.
    log = tempfile.TemporaryFile("w+")  # noqa: SIM115 - closed with the process, in finish()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log, text=True)
    process.log = log  # type: ignore[attr-defined]
    return process


def finish(processes: list[subprocess.Popen[str]]) -> list[str]:
    logs = []
    for process in processes:
        process.wait(timeout=300)
        process.log.seek(0)  # type: ignore[attr-defined]
        log = process.log.read()  # type: ignore[attr-defined]
        process.log.close()  # type: ignore[attr-defined]
        assert process.returncode in (0, -signal.SIGKILL), log[-3000:]
        logs.append(log)
    return logs


def fleet(root: Path, db: str, redis_url: str, run: str, workers: int = 3) -> list[subprocess.Popen[str]]:
    command = crawl_command(root, db, f"NEWSDEDUP_FRONTIER={redis_url}", f"FLEET_RUN={run}")
    return [start(command) for _ in range(workers)]


def snapshot(url: str) -> dict:
    """What a user counts: articles, their comments, and which articles make one story."""
    engine = make_engine(url)
    with engine.connect() as conn:
        articles = conn.execute(
            text(
                "SELECT a.url_key, a.content_hash, coalesce(h.url_key, a.url_key)"
                " FROM articles a LEFT JOIN articles h ON h.id = a.story_id"
            )
        ).all()
        comments = conn.execute(
            text("SELECT a.url_key, c.comment_key, c.position FROM comments c JOIN articles a ON a.id = c.article_id")
        ).all()
        links = conn.execute(
            text(
                "SELECT l.kind, a.url_key, t.url_key FROM article_links l"
                " JOIN articles a ON a.id = l.article_id JOIN articles t ON t.id = l.target_id"
            )
        ).all()
    engine.dispose()
    heads = {key: head for key, _, head in articles}
    stories: dict[str, set[str]] = defaultdict(set)
    for key, head in heads.items():
        stories[head].add(key)
    story_of = {key: frozenset(stories[head]) for key, head in heads.items()}
    return {
        "articles": sorted((key, digest) for key, digest, _ in articles),
        "comments": sorted(comments),
        "stories": set(story_of.values()),
        # Which stories quote which: the copy a link starts from depends on arrival order.
        "quotes": {(story_of[post], story_of[quoted]) for kind, post, quoted in links if kind == "quote"},
    }


def article_requests(servers: list[FixtureServer]) -> Counter[tuple[str, str]]:
    """(host, path) of every page request, feeds, sitemaps and robots.txt left out."""
    return Counter(
        (host, path) for server in servers for host, path, _, _ in server.request_spans if path.endswith((".html", "/"))
    )


def clear_logs(servers: list[FixtureServer]) -> None:
    for server in servers:
        server.request_spans.clear()


def rests(servers: list[FixtureServer]) -> list[float]:
    """Per host: seconds from the end of each response to the start of the next request."""
    gaps = []
    for server in servers:
        spans = sorted(server.request_spans, key=lambda span: span[2])
        gaps += [later[2] - earlier[3] for earlier, later in itertools.pairwise(spans)]
    return gaps


@pytest.fixture(scope="session")
def single(site) -> dict:
    """What one plain process (no Redis) stores from the site: the reference."""
    root, _ = site
    alone = empty_postgres("_alone")
    finish([start(crawl_command(root, alone))])
    return snapshot(alone)


def test_three_workers_store_what_one_process_stores(site, single: dict, redis_url: str) -> None:
    root, servers = site
    assert len(single["articles"]) > 100

    clear_logs(servers)
    shared = empty_postgres()
    logs = finish(fleet(root, shared, redis_url, "r1"))
    requested = article_requests(servers)
    assert requested and max(requested.values()) == 1, [page for page, n in requested.items() if n > 1][:5]
    assert all("'store/articles_new'" in log for log in logs), "every worker stored articles"
    assert min(rests(servers)) >= HOST_DELAY - 0.01, "the fleet rests on each host between requests"
    together = snapshot(shared)
    assert together["articles"] == single["articles"]
    assert together["comments"] == single["comments"]
    assert together["stories"] == single["stories"]
    assert together["quotes"] == single["quotes"]
    engine = make_engine(shared)
    with session_scope(engine) as session:
        runs = recent_runs(session)
    engine.dispose()
    assert len(runs) == 1 and runs[0].fleet_run == "r1" and runs[0].status == "finished"
    assert len(runs[0].workers) == 3
    assert sum(c["articles_new"] for c in runs[0].per_source.values()) == len(single["articles"])


def test_a_killed_worker_loses_nothing_after_the_next_run(site, single: dict, redis_url: str) -> None:
    root, servers = site
    shared = empty_postgres()
    clear_logs(servers)
    workers = fleet(root, shared, redis_url, "k1")
    deadline = time.monotonic() + 120
    while sum(len(s.request_spans) for s in servers) < 60 and time.monotonic() < deadline:
        time.sleep(0.2)
    os.kill(workers[0].pid, signal.SIGKILL)
    finish(workers)
    # The next scheduled run, a normal one: what the killed worker had taken is fetched now.
    finish([start(crawl_command(root, shared))])
    after = snapshot(shared)
    assert after["articles"] == single["articles"]
    assert after["comments"] == single["comments"]
    assert after["stories"] == single["stories"]
