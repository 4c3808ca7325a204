"""Database write rate: articles and comments stored per second, SQLite and PostgreSQL.

    python -m bench.db_write_rate --pages 2000
    python -m bench.db_write_rate --pages 2000 --db postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Pages of the throughput corpus are extracted once up front (in a process pool, not
timed); then the store's own path is timed alone, as StorePipeline runs it (pipelines.write.store_article): a savepoint
per article (upsert, comment merge, dedup signature + links), a commit every
STORE_COMMIT_EVERY articles — with dedup linking and without, to show what it costs.
Each run's store steps (pipelines/store_steps.py) go into the JSON.
Writes bench/out/db_write_rate.json.
"""

from __future__ import annotations

import argparse
import json
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.databases import bench_database, empty
from bench.throughput_corpus import build
from pipelines.analysis import AnalyzeConfig, analyze_page
from pipelines.dedup import DedupConfig, StoryLinker, make_signature
from pipelines.errors import RejectedPage
from pipelines.items import ArticleItem
from pipelines.page import ExtractRules, FetchedPage
from pipelines.store_steps import StepTimes
from pipelines.write import store_article
from storage.db import make_engine, migrate, session_factory
from storage.locks import write_lock

OUT = Path(__file__).with_name("out")
COMMIT_EVERY = 20


def _extract(path: Path) -> ArticleItem | None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    item = ArticleItem(url=path.resolve().as_uri(), body=path.read_bytes(), fetched_at=now)
    try:
        analysis = analyze_page(FetchedPage(item.url, item.body, "text/html", now), ExtractRules(), AnalyzeConfig())
    except RejectedPage:
        return None
    item.extraction, item.comments = analysis.extraction, analysis.comments
    item.signature = make_signature(analysis.extraction.text, DedupConfig())
    item.body = b""
    return item


def extracted(pages: list[Path]) -> list[ArticleItem]:
    with ProcessPoolExecutor(2) as pool:
        return [item for item in pool.map(_extract, pages, chunksize=20) if item is not None]


def store_all(url: str, items: list[ArticleItem], dedup: bool) -> tuple[float, StepTimes]:
    engine = make_engine(url, writer=True)
    if engine.dialect.name == "sqlite":
        path = Path(engine.url.database)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    empty(engine)
    migrate(engine)
    session = session_factory(engine)()
    linker = StoryLinker(DedupConfig()) if dedup else None
    steps = StepTimes()
    started = time.perf_counter()
    for n, item in enumerate(items, 1):
        if n % COMMIT_EVERY == 1:
            write_lock(session)
        store_article(session, item, linker, steps=steps)
        if n % COMMIT_EVERY == 0:
            session.commit()
    session.commit()
    seconds = time.perf_counter() - started
    session.close()
    engine.dispose()
    return seconds, steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--db", help="PostgreSQL server URL (its own database is created).")
    args = parser.parse_args()
    corpus = OUT / "throughput-10000-5"
    if not (corpus / "corpus.json").exists():
        build(corpus, 10_000, 5)
    pages = sorted(p for p in (corpus / "pages").rglob("*.html") if "junk" not in p.parts)[: args.pages]
    items = extracted(pages)
    comments = sum(len(item.comments) for item in items)
    targets = [("SQLite", f"sqlite:///{OUT / 'db_write_rate.db'}")]
    if args.db:
        targets.append(("PostgreSQL", bench_database(args.db)))
    table = Table("backend", "dedup", "articles/s", "comments/s", "ms/article", title=f"{len(items)} articles")
    results = []
    for backend, url in targets:
        for dedup in (False, True):
            seconds, steps = store_all(url, items, dedup)
            row = {
                "backend": backend,
                "dedup": dedup,
                "articles_per_s": round(len(items) / seconds, 1),
                "comments_per_s": round(comments / seconds, 1),
                "ms_per_article": round(seconds * 1000 / len(items), 2),
                "steps": steps.document(),  # store_article's own steps (no boilerplate here)
            }
            results.append(row)
            table.add_row(
                backend,
                "yes" if dedup else "no",
                str(row["articles_per_s"]),
                str(row["comments_per_s"]),
                str(row["ms_per_article"]),
            )
    Console().print(table)
    OUT.mkdir(exist_ok=True)
    (OUT / "db_write_rate.json").write_text(
        json.dumps({"articles": len(items), "comments": comments, "runs": results}, indent=2)
    )


if __name__ == "__main__":
    main()
