"""Store scaling: 1, 2 and 4 processes writing analysed articles into one PostgreSQL.

    python -m bench.store_scaling --stories 150 --db postgresql+psycopg://postgres@127.0.0.1:5432/test

The syndication corpus (copies of each story on several sites, so stories form) is
analysed and signed once up front in a process pool, not timed. Then for each process
count the bench's own database is emptied and the processes store every article between
them through the crawl's store as StorePipeline hands articles to it
(pipelines.crawl_store.CrawlStore.store with its defaults, ARCHIVE_IN_FLIGHT articles
waiting as in an import: dedup linking and the sources' boilerplate; on PostgreSQL an
article a transaction under the locks of what it reads, storage/key_locks.py, set aside
behind the others while another writer holds one). Articles are dealt
round-robin, in one of two orders (--order): site by site, as the files sort (a
backfill: a site's articles reach the processes together, while its boilerplate is
being learned), or by publication time across sites (a live crawl: a story's copies
reach different processes at about the same moment). With --preload F, the first F of
the articles in that order are stored by one process before each timed run, and only
the rest is timed: an archive whose sources have learned their boilerplate, storing
the day's articles (in published order; in site order it preloads whole sites).
Printed: articles/s (all processes, wall clock), the share of the processes' time spent
waiting on other writers' locks (the store's ``lock_wait`` step: the waits, the tries
that found a lock held, and the work of writes rolled back and redone for a lock
another writer held) and taking locks no other writer held (its ``lock`` step: one
round trip an article), how often articles were set aside, how many writes were
redone and how many were made with the database alone, and whether the stories came
out the same as with one process. Writes bench/out/store_scaling.json; the
database is dropped at the end.

With --statements, one process first stores every article alone and prints where its
time under the lock goes: each kind of SQL statement (calls and ms per article, the
round trip included) and the rest (the linker's and SQLAlchemy's Python).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import pickle
import re
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url

from bench.db_write_rate import extracted
from bench.syndication_corpus import generate
from crawler.settings import ARCHIVE_IN_FLIGHT
from pipelines.crawl_store import CrawlStore, StoreConfig
from pipelines.items import ArticleItem
from pipelines.store_steps import LOCK, LOCK_WAIT
from storage.db import make_engine, migrate

OUT = Path(__file__).with_name("out")
WHEN0 = datetime(1970, 1, 1, tzinfo=UTC)
SCRATCH_DATABASE = "newsdedup_store_scaling"


def scratch_database(url: str) -> str:
    """A database of the bench's own on the server of ``url`` (dropped by ``drop_scratch``)."""
    engine = make_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {SCRATCH_DATABASE}"))
        conn.execute(text(f"CREATE DATABASE {SCRATCH_DATABASE}"))
    engine.dispose()
    return make_url(url).set(database=SCRATCH_DATABASE).render_as_string(hide_password=False)


def drop_scratch(url: str) -> None:
    engine = make_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {SCRATCH_DATABASE}"))
    engine.dispose()


def fresh_schema(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrate(engine)
    engine.dispose()


def writer(url: str, items_file: str, index: int, processes: int, sql: Timings | None = None) -> dict[str, float]:
    """One process's share of the articles, stored as an import stores them (at most
    ARCHIVE_IN_FLIGHT of them waiting for the store); its wall-clock span and its time
    waiting on other writers' locks (``sql``: filled with each statement's calls and seconds)."""
    items: list[ArticleItem] = pickle.loads(Path(items_file).read_bytes())[index::processes]
    if sql is not None:
        time_statements(sql)
    store = CrawlStore(StoreConfig(database_url=url))
    started, finished = asyncio.run(store_all(store, items, index))
    store.shutdown()
    return {
        "started": started,
        "finished": finished,
        "waited": store.steps.seconds[LOCK_WAIT],
        "locking": store.steps.seconds[LOCK],
        "articles": len(items),
        **store.lock_counts,
    }


async def store_all(store: CrawlStore, items: list[ArticleItem], index: int) -> tuple[float, float]:
    """The articles through ``CrawlStore.store`` as StorePipeline hands them over, with as
    many waiting for the store as an import lets through the pipelines."""
    await store.call(store.open, [f"store-scaling-{index}"], "store_scaling")
    slots = asyncio.Semaphore(ARCHIVE_IN_FLIGHT)

    async def one(item: ArticleItem) -> None:
        async with slots:
            await store.store(item)

    started = time.time()
    await asyncio.gather(*(one(item) for item in items))
    await store.call(store.commit)
    finished = time.time()
    await store.call(store.close, "finished", {})
    return started, finished


Timings = dict[str, list[float]]  # statement → [calls, seconds]


def time_statements(sql: Timings) -> None:
    started: dict[int, float] = {}

    @event.listens_for(Engine, "before_cursor_execute")
    def before(conn: object, cursor: object, *_: object) -> None:
        started[id(cursor)] = time.perf_counter()

    @event.listens_for(Engine, "after_cursor_execute")
    def after(conn: object, cursor: object, statement: str, *_: object) -> None:
        entry = sql.setdefault(statement_label(statement), [0, 0.0])
        entry[0] += 1
        entry[1] += time.perf_counter() - started.pop(id(cursor))


def statement_label(statement: str) -> str:
    """A statement, short: a SELECT from its FROM on, parameter casts and savepoint numbers left out."""
    words = re.sub(r"::[A-Z]+(?: WITH TIME ZONE)?|sa_savepoint_\d+", "", " ".join(statement.split()))
    words = re.sub(r"%\((\w+)_1\)s(?:, %\(\1_\d+\)s)*", r"%(\1)s…", words)
    if words.startswith("SELECT") and " FROM " in words:
        words = "SELECT … FROM " + words.split(" FROM ", 1)[1]
    return words[:78]


def statements_table(url: str, items_file: Path) -> Table:
    """One process storing every article: where its time goes, statement by statement."""
    fresh_schema(url)
    sql: Timings = {}
    part = writer(url, str(items_file), 0, 1, sql)
    n, total = part["articles"], part["finished"] - part["started"]
    title = f"one process, {total / n * 1000:.1f} ms / article"
    table = Table("statement", "calls / article", "ms / article", title=title)
    table.columns[0].no_wrap = True
    for label, (calls, seconds) in sorted(sql.items(), key=lambda kv: -kv[1][1])[:15]:
        table.add_row(label, f"{calls / n:.2f}", f"{seconds / n * 1000:.2f}")
    in_sql = sum(seconds for _, seconds in sql.values())
    table.add_row("all SQL", f"{sum(calls for calls, _ in sql.values()) / n:.1f}", f"{in_sql / n * 1000:.2f}")
    table.add_row("rest (Python: linker, SQLAlchemy)", "", f"{(total - in_sql) / n * 1000:.2f}")
    return table


def stories(url: str) -> set[frozenset[str]]:
    """The stories stored, each as the set of its members' URL identities (url_key: which URL
    variant a row keeps depends on the order they came in)."""
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT url_key, coalesce(story_id, id) FROM articles")).all()
    engine.dispose()
    groups: dict[int, set[str]] = defaultdict(set)
    for key, story in rows:
        groups[story].add(key)
    return {frozenset(group) for group in groups.values()}


def run(
    url: str, items_file: Path, processes: int, preload: Path | None = None
) -> tuple[dict[str, float], set[frozenset[str]]]:
    fresh_schema(url)
    if preload is not None:  # an archive already running: stored by one process, not timed
        with ProcessPoolExecutor(1) as pool:
            pool.submit(writer, url, str(preload), 0, 1).result()
    with ProcessPoolExecutor(processes) as pool:
        futures = [pool.submit(writer, url, str(items_file), i, processes) for i in range(processes)]
        parts = [future.result() for future in futures]
    wall = max(p["finished"] for p in parts) - min(p["started"] for p in parts)
    busy = sum(p["finished"] - p["started"] for p in parts)
    articles = sum(p["articles"] for p in parts)
    row = {
        "processes": processes,
        "articles": articles,
        "seconds": round(wall, 2),
        "articles_per_s": round(articles / wall, 1),
        "lock_wait_share": round(sum(p["waited"] for p in parts) / busy, 3),
        "lock_taking_share": round(sum(p.get("locking", 0.0) for p in parts) / busy, 3),
        "set_aside": sum(int(p.get("set_aside", 0)) for p in parts),
        "redone": sum(int(p.get("redone", 0)) for p in parts),
        "alone": sum(int(p.get("alone", 0)) for p in parts),
    }
    return row, stories(url)


def published_order(item: ArticleItem) -> tuple:
    published = item.extraction.published_at if item.extraction is not None else None
    return (published is None, published or WHEN0, item.url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=150)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--db", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--statements", action="store_true", help="first, where one process's time goes")
    parser.add_argument(
        "--order",
        choices=("site", "published"),
        default="site",
        help="the order articles are dealt in: site by site (a backfill: a site's articles, "
        "and the boilerplate they are learning, reach the processes together) or by "
        "publication time across sites (a live crawl: a story's copies reach them together)",
    )
    parser.add_argument(
        "--preload",
        type=float,
        default=0.0,
        help="this fraction of the articles (the first, in the order dealt) is stored by one "
        "process before each timed run: an archive whose sources have learned their "
        "boilerplate, storing the day's articles",
    )
    args = parser.parse_args()
    corpus = OUT / f"store-scaling-{args.stories}"
    if not (corpus / "truth.json").exists():
        generate(corpus, args.stories, seed=7)
    pages = sorted(p for p in corpus.rglob("*.html"))
    items_file = OUT / "store_scaling_items.pickle"
    items = extracted(pages)
    if args.order == "published":
        items.sort(key=published_order)
    preload = None
    if args.preload:
        # The first part, in the order dealt, is stored before each timed run.
        preload, cut = OUT / "store_scaling_preload.pickle", round(len(items) * args.preload)
        preload.write_bytes(pickle.dumps(items[:cut]))
        items = items[cut:]
    items_file.write_bytes(pickle.dumps(items))
    url = scratch_database(args.db)
    table = Table(
        "processes",
        "articles/s",
        "waiting on locks",
        "taking free locks",
        "set aside",
        "writes redone",
        "written alone",
        "same stories as 1",
        title=f"{len(items)} articles, in {args.order} order"
        + (f", after {args.preload:.0%} of them stored" if args.preload else ""),
    )
    results = []
    try:
        if args.statements:
            Console(width=120).print(statements_table(url, items_file))
        first: set[frozenset[str]] | None = None
        for processes in args.processes:
            row, found = run(url, items_file, processes, preload)
            first = found if first is None else first
            row["stories"], row["same_stories"] = len(found), found == first
            results.append(row)
            table.add_row(
                str(processes),
                str(row["articles_per_s"]),
                f"{row['lock_wait_share']:.1%}",
                f"{row['lock_taking_share']:.1%}",
                str(row["set_aside"]),
                str(row["redone"]),
                str(row["alone"]),
                "yes" if row["same_stories"] else "no",
            )
    finally:
        drop_scratch(args.db)
        items_file.unlink(missing_ok=True)
        if preload is not None:
            preload.unlink(missing_ok=True)
    Console().print(table)
    OUT.mkdir(exist_ok=True)
    document = {"articles": len(items), "order": args.order, "preload": args.preload, "runs": results}
    (OUT / f"store_scaling-{args.order}.json").write_text(json.dumps(document, indent=2))


if __name__ == "__main__":
    main()
