"""Fleet-wide politeness (crawler/fleet_politeness.py) with a shared frontier (scrapy-redis):
three real `scrapy crawl` processes against one host of the fixture server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.fixture_server import FixtureServer

PAGES = 15
# Clock and scheduling noise between the server's "response written" and the next start.
SLACK = 0.03
# Fleet mode needs a run name and a PostgreSQL URL (crawler/fleet.py); the fleet spider
# stores nothing, so the database is never connected to.
FLEET_ENV = {
    "NEWSDEDUP_DATABASE_URL": "postgresql+psycopg://unused@127.0.0.1/not-stored",
    "NEWSDEDUP_FLEET_RUN": "politeness",
}


def write_site(root: Path, pages: int = PAGES, robots: str | None = None) -> None:
    links = "".join(f'<li><a href="p{i}.html">page {i}</a></li>' for i in range(pages))
    (root / "index.html").write_text(f"<html><body><ul>{links}</ul></body></html>", encoding="utf-8")
    for i in range(pages):
        follow = f'<a href="index.html">home</a> <a href="p{(i + 1) % pages}.html">next</a>'
        (root / f"p{i}.html").write_text(f"<html><body><p>Page {i}.</p>{follow}</body></html>", encoding="utf-8")
    if robots is not None:
        (root / "robots.txt").write_text(robots, encoding="utf-8")


def run_fleet(base_url: str, redis_url: str, workers: int, *settings: str) -> list[subprocess.CompletedProcess[str]]:
    """`workers` `scrapy crawl fleet` processes started together, sharing one frontier."""
    args = [
        sys.executable, "-m", "scrapy", "crawl", "fleet",
        "-a", f"base_urls={base_url}",
        "-s", "SPIDER_MODULES=tests.fleet_spider",
        # Fleet mode as the project will switch it on: the add-on and the frontier URL.
        "-s", 'ADDONS={"crawler.fleet.FleetMode": 0}',
        "-s", f"NEWSDEDUP_FRONTIER={redis_url}",
        "-s", "FLEET_IDLE_GRACE=2",
        # Only the fleet limits apply: no per-process delay, two requests per host per worker allowed.
        "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "DOWNLOAD_DELAY=0",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2",
        # A worker takes up to CONCURRENT_REQUESTS from the shared queue; keep it low so
        # that the three share the host's pages.
        "-s", "CONCURRENT_REQUESTS=2",
        "-s", "LOG_LEVEL=INFO",
        *[arg for setting in settings for arg in ("-s", setting)],
    ]  # fmt: skip
    env = {**os.environ, **FLEET_ENV}
    procs = [
        subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(workers)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(args, proc.returncode, out, err))
    return results


def gaps(spans: list[tuple[str, str, float, float]]) -> list[tuple[str, str, float]]:
    """(previous path, next path, seconds from the end of one response to the next start)."""
    ordered = sorted(spans, key=lambda span: span[2])
    return [(a[1], b[1], b[2] - a[3]) for a, b in pairwise(ordered)]


@pytest.mark.slow
@pytest.mark.redis
def test_three_workers_share_one_host_politely(tmp_path: Path, redis_url: str) -> None:
    write_site(tmp_path)
    with FixtureServer(tmp_path) as server:
        results = run_fleet(server.base_url, redis_url, 3, "FLEET_HOST_DELAY=0.3")
        spans = list(server.request_spans)
    for result in results:
        assert result.returncode == 0, result.stderr[-2000:]
        assert "Traceback" not in result.stderr, result.stderr[-2000:]
    pages = [path for _, path, _, _ in spans if path != "/robots.txt"]
    # The shared frontier: every page fetched once across the workers…
    assert sorted(pages) == sorted(["/index.html"] + [f"/p{i}.html" for i in range(PAGES)])
    # …and at least two workers did some of it.
    fetched = [int(line.split(":")[-1].strip(" ,")) for r in results for line in r.stderr.splitlines()
               if "'downloader/response_count'" in line]  # fmt: skip
    assert len([n for n in fetched if n > 0]) >= 2, fetched
    # Never two requests at once on the host, and 0.3 s from each response to the next start.
    between = gaps(spans)
    assert min(gap for _, _, gap in between) >= 0.3 - SLACK, between


@pytest.mark.slow
@pytest.mark.redis
def test_robots_crawl_delay_wins_when_larger(tmp_path: Path, redis_url: str) -> None:
    write_site(tmp_path, pages=6, robots="User-agent: *\nCrawl-delay: 0.5\nDisallow: /private/\n")
    with FixtureServer(tmp_path) as server:
        results = run_fleet(server.base_url, redis_url, 2, "FLEET_HOST_DELAY=0.1")
        spans = list(server.request_spans)
    for result in results:
        assert result.returncode == 0, result.stderr[-2000:]
    between = gaps(spans)
    # No overlap anywhere; after a page (robots.txt is read by then) the robots delay holds.
    # After robots.txt itself the parser is not known yet when the host is released.
    assert min(gap for _, _, gap in between) >= 0.1 - SLACK, between
    after_pages = [gap for before, _, gap in between if before != "/robots.txt"]
    assert after_pages and min(after_pages) >= 0.5 - SLACK, between


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server (apt-get install redis-server)")
def test_worker_stops_cleanly_when_redis_goes_away(tmp_path: Path) -> None:
    """A Redis of its own, stopped mid-run: the worker says so once and exits, not hangs."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    redis_proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""], stdout=subprocess.DEVNULL
    )
    write_site(tmp_path, pages=40)
    try:
        with FixtureServer(tmp_path) as server:
            url = f"redis://127.0.0.1:{port}/0"
            args = [
                sys.executable, "-m", "scrapy", "crawl", "fleet", "-a", f"base_urls={server.base_url}",
                "-s", "SPIDER_MODULES=tests.fleet_spider", "-s", 'ADDONS={"crawler.fleet.FleetMode": 0}',
                "-s", f"NEWSDEDUP_FRONTIER={url}", "-s", "FLEET_HOST_DELAY=0.3", "-s", "CONCURRENT_REQUESTS=2",
                "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=INFO",
            ]  # fmt: skip
            env = {**os.environ, **FLEET_ENV}
            pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
            worker = subprocess.Popen(args, cwd=ROOT, env=env, **pipes)
            deadline = time.monotonic() + 60
            while len(server.requests) < 6 and time.monotonic() < deadline:
                time.sleep(0.1)
            redis_proc.terminate()
            _, err = worker.communicate(timeout=60)
    finally:
        redis_proc.kill()
        redis_proc.wait()
    assert "'finish_reason': 'frontier_unavailable'" in err, err[-3000:]
    assert err.count("is unreachable") == 1, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
