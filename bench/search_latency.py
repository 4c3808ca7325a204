"""Search and listing latency on a 100k-article database, SQLite and PostgreSQL.

    python -m bench.search_latency --articles 100000
    python -m bench.search_latency --articles 100000 --db postgresql+psycopg://postgres@127.0.0.1:5432/postgres

On PostgreSQL it creates and fills its own database, ``newsdedup_bench``, on that server
(the database in the URL is only used to create it).

Fills a fresh database through the real schema (migrations, FTS triggers / GIN index)
with reproducibly generated news articles (bench/syndication_text.py, seeded), then times
the functions behind the CLI — `search_articles` for a set of queries, `list_articles`
(one row per story, by source, by date) and `biggest_stories` — and prints median and
p95 per operation. Writes bench/out/search_latency.json.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from faker import Faker
from rich.console import Console
from rich.table import Table
from sqlalchemy import insert, text

from bench.databases import article_row, bench_database, empty
from bench.syndication_text import Writer
from storage.articles import list_articles
from storage.db import make_engine, migrate, session_factory
from storage.models import Article, Source
from storage.reports import biggest_stories
from storage.search import ArticleFilter, search_articles

OUT = Path(__file__).with_name("out")
SOURCES = 50
QUERIES = ["council", "budget vote", '"the city"', "police OR court", "school board", "water district", "harbour"]
REPEAT = 20


def fill(url: str, n: int, seed: int) -> float:
    engine = make_engine(url, writer=True)
    empty(engine)
    migrate(engine)
    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    writer = Writer(rng, fake)
    start_day = datetime(2023, 1, 1, tzinfo=UTC)
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(
            insert(Source), [{"id": i, "name": f"site-{i:02d}", "created_at": start_day} for i in range(SOURCES)]
        )
        batch = []
        for i in range(1, n + 1):
            cast = writer.cast()
            body = "\n".join(writer.paragraph(cast) for _ in range(rng.randint(4, 8)))
            published = start_day + timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
            batch.append(
                article_row(
                    i,
                    published,
                    body,
                    source_id=rng.randrange(SOURCES),
                    title=writer.headline(cast),
                    authors=[fake.name()],
                    language="en",
                    # Every tenth article is a copy of the one before: stories of two.
                    story_id=i - 1 if i % 10 == 0 else i,
                )
            )
            if len(batch) == 2000:
                conn.execute(insert(Article), batch)
                batch = []
        if batch:
            conn.execute(insert(Article), batch)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    engine.dispose()
    return time.perf_counter() - started


def timed(fn, repeat: int = REPEAT) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def measure(url: str) -> dict[str, dict[str, float]]:
    engine = make_engine(url)
    session = session_factory(engine)()
    week = ArticleFilter(since=datetime(2024, 3, 1), until=datetime(2024, 3, 8))
    operations = {
        **{f"search {q}": (lambda q=q: search_articles(session, q, limit=20)) for q in QUERIES},
        "search + source filter": lambda: search_articles(session, "council", ArticleFilter(source="site-07")),
        "search + week filter": lambda: search_articles(session, "council", week),
        "articles (newest stories)": lambda: list_articles(session, limit=50),
        "articles --source": lambda: list_articles(session, ArticleFilter(source="site-07"), limit=50),
        "articles --since/--until": lambda: list_articles(session, week, limit=50),
        "stories (a week)": lambda: biggest_stories(session, week),
    }
    results = {}
    for name, fn in operations.items():
        fn()  # warm the caches once, as a user's second query would be
        samples = timed(fn)
        results[name] = {
            "median_ms": round(statistics.median(samples), 2),
            "p95_ms": round(float(np.percentile(samples, 95)), 2),
        }
    session.close()
    engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--db", help="Database URL (default: a fresh SQLite file in bench/out).")
    parser.add_argument("--reuse", action="store_true", help="Measure a database filled by an earlier run.")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    path = OUT / f"search_{args.articles}.db"
    if args.db is None and not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = bench_database(args.db) if args.db else f"sqlite:///{path}"
    fill_seconds = 0.0 if args.reuse else fill(url, args.articles, args.seed)
    results = measure(url)
    backend = url.split(":")[0]
    table = Table("operation", "median ms", "p95 ms", title=f"{args.articles} articles, {backend}")
    for name, row in results.items():
        table.add_row(name, f"{row['median_ms']:.1f}", f"{row['p95_ms']:.1f}")
    console = Console()
    console.print(table)
    console.print(f"fill: {fill_seconds:.0f} s")
    report = OUT / "search_latency.json"
    previous = json.loads(report.read_text()) if report.exists() else {}
    previous[f"{backend}-{args.articles}"] = {"fill_s": round(fill_seconds), "operations": results}
    report.write_text(json.dumps(previous, indent=2))


if __name__ == "__main__":
    main()
