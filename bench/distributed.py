"""Fleet mode on one machine: pages/s with 1, 2 and 3 `scrapy crawl news` workers sharing
the Redis frontier, against one plain process (no Redis) crawling the same site, and the
Redis round trips each page costs.

The site is bench/big_site.py (a few hundred pages over three loopback hosts), served by
three FixtureServers in this process; each run stores into a freshly emptied PostgreSQL
database. Politeness delays are off (DOWNLOAD_DELAY=0, FLEET_HOST_DELAY=0): this measures
the machinery, not the per-host limits (at the default 1 s a host, three hosts give at
most ~3 pages/s whatever the number of workers).

    .venv/bin/python -m bench.distributed [--stories 60] [--workers 1 2 3]
    NEWSDEDUP_BENCH_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/newsdedup_bench (default; created)
    NEWSDEDUP_BENCH_REDIS_URL=redis://127.0.0.1:6379/2                       (default)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import redis
from rich.console import Console
from rich.table import Table
from sqlalchemy import text

from bench.big_site import HOSTS, build, write_sources
from bench.procmem import tree_rss_mb
from storage.db import create_postgres_database, make_engine
from tests.fixture_server import FixtureServer

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG_URL = os.environ.get("NEWSDEDUP_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/newsdedup_bench")
REDIS_URL = os.environ.get("NEWSDEDUP_BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
SETTINGS = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "FLEET_HOST_DELAY=0", "FLEET_IDLE_GRACE=3")


def empty_database(url: str) -> None:
    create_postgres_database(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def redis_calls(client: redis.Redis) -> int:
    """Commands the Redis server has run so far (all clients)."""
    return sum(int(stats["calls"]) for stats in client.info("commandstats").values())


def crawl(sources: Path, workers: int) -> dict:
    """``workers`` fleet processes (0: one plain process without Redis) over the site."""
    empty_database(PG_URL)
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sources={sources}"]
    settings = [f"NEWSDEDUP_DATABASE_URL={PG_URL}", "LOG_LEVEL=WARNING", *SETTINGS]
    if workers:
        settings += [f"NEWSDEDUP_FRONTIER={REDIS_URL}", f"FLEET_RUN=bench-{uuid.uuid4().hex[:8]}"]
    command += [part for setting in settings for part in ("-s", setting)]
    client = redis.Redis.from_url(REDIS_URL)
    calls_before = redis_calls(client)
    started = time.perf_counter()
    processes = [
        subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(max(1, workers))
    ]
    peak = 0.0
    while any(p.poll() is None for p in processes):
        peak = max(peak, sum(tree_rss_mb(p.pid) for p in processes if p.poll() is None))
        time.sleep(0.2)
    wall = time.perf_counter() - started
    if failed := [p.returncode for p in processes if p.returncode]:
        raise SystemExit(f"a worker failed with status {failed}")
    calls = redis_calls(client) - calls_before - 2  # the two INFO calls
    client.close()
    engine = make_engine(PG_URL)
    with engine.connect() as conn:
        pages = int(conn.execute(text("SELECT count(*) FROM seen_urls")).scalar() or 0)
        articles = int(conn.execute(text("SELECT count(*) FROM articles")).scalar() or 0)
    engine.dispose()
    return {
        "workers": workers,
        "pages": pages,
        "articles": articles,
        "wall_s": round(wall, 1),
        "pages_per_s": round(pages / wall, 2),
        "ms_per_page": round(1000 * wall / pages, 1),
        "peak_rss_mb": round(peak),
        "redis_calls_per_page": round(calls / pages, 1) if workers else 0.0,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=60)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(site, args.stories)
        servers = [FixtureServer(site, host=host) for host in HOSTS]
        for server in servers:
            server.__enter__()
        try:
            sources = write_sources(site, [server.base_url for server in servers])
            rows = [crawl(sources, 0)] + [crawl(sources, n) for n in args.workers]
        finally:
            for server in servers:
                server.__exit__(None, None, None)
    table = Table("run", "pages", "articles", "wall s", "pages/s", "ms/page", "peak RSS MB", "Redis calls/page")
    for row in rows:
        name = f"{row['workers']} fleet worker(s)" if row["workers"] else "1 plain process (no Redis)"
        table.add_row(name, *(str(row[k]) for k in list(row)[1:]))
    Console().print(table)
    OUT.mkdir(exist_ok=True)
    (OUT / "distributed.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
