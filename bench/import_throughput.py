"""Offline import throughput against plain trafilatura, on SQLite and PostgreSQL.

    python -m bench.import_throughput --pages 10000
    python -m bench.import_throughput --pages 10000 --db postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Builds the throughput corpus (bench/throughput_corpus.py), then in the same run:
``trafilatura.extract`` over every file in one process (the one-core ceiling) and in
two (half the files each: what two cores can give at best), and
``newsdedup import`` of the same folder (extraction pool, comments, dedup, store) into a
fresh database. Prints pages/s, ms/page, peak RSS (the import's whole process tree) and
the ratio to trafilatura; writes bench/out/import_throughput.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import trafilatura
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from bench.databases import bench_database, empty
from bench.procmem import PeakTreeRSS
from bench.throughput_corpus import build
from storage.db import make_engine, session_for_url
from storage.models import Article, Comment

OUT = Path(__file__).with_name("out")


def _extract_all(pages: list[Path]) -> int:
    return sum(1 for page in pages if trafilatura.extract(page.read_bytes()))


def plain_trafilatura(pages: list[Path]) -> dict:
    started = time.perf_counter()
    extracted = _extract_all(pages)
    seconds = time.perf_counter() - started
    return {
        "run": "trafilatura.extract, 1 process",
        "seconds": seconds,
        "articles": extracted,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def two_process_trafilatura(pages: list[Path]) -> dict:
    """The same over two processes, half the pages each: the most two cores give."""
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_extract_all, [pages[:20], pages[:20]]))  # started and imported, untimed
        started = time.perf_counter()
        extracted = sum(pool.map(_extract_all, [pages[0::2], pages[1::2]]))
        seconds = time.perf_counter() - started
    # Peak RSS is not sampled for this row (0: shown as –).
    return {"run": "trafilatura.extract, 2 processes", "seconds": seconds, "articles": extracted, "peak_rss_mb": 0.0}


def newsdedup_import(folder: Path, url: str, label: str, extra: list[str]) -> dict:
    started = time.perf_counter()
    command = [sys.executable, "-m", "cli", "import", str(folder), "--db", url, *extra]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with process, PeakTreeRSS(process.pid) as memory:
        _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"import failed: {stderr[-2000:]}")
    with session_for_url(url) as session:
        articles = session.scalar(select(func.count()).select_from(Article)) or 0
        comments = session.scalar(select(func.count()).select_from(Comment)) or 0
    return {"run": label, "seconds": seconds, "articles": articles, "comments": comments, "peak_rss_mb": memory.peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--lean", action="store_true", help="The corpus without site chrome (~7 KB pages).")
    parser.add_argument("--db", help="PostgreSQL server URL (its own database is created); default SQLite only.")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    corpus = OUT / f"throughput-{args.pages}-{args.seed}{'-lean' if args.lean else ''}"
    if not (corpus / "corpus.json").exists():
        build(corpus, args.pages, args.seed, args.lean)
    folder = corpus / "pages"
    pages = sorted(folder.rglob("*.html"))
    extra = [option for setting in args.settings for option in ("--set", setting)]
    for page in pages:  # every run reads the files from the OS cache, the first one too
        page.read_bytes()
    runs = [plain_trafilatura(pages), two_process_trafilatura(pages)]
    sqlite_path = OUT / "import_throughput.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
    runs.append(newsdedup_import(folder, f"sqlite:///{sqlite_path}", "newsdedup import → SQLite", extra))
    if args.db:
        url = bench_database(args.db)
        engine = make_engine(url)
        empty(engine)
        engine.dispose()
        runs.append(newsdedup_import(folder, url, "newsdedup import → PostgreSQL", extra))
    ceiling = len(pages) / runs[0]["seconds"]
    table = Table(
        "run", "pages/s", "ms/page", "× trafilatura", "peak RSS MB", "articles", "comments", title=f"{len(pages)} pages"
    )
    for run in runs:
        rate = len(pages) / run["seconds"]
        run.update(
            pages=len(pages),
            pages_per_s=round(rate, 1),
            ms_per_page=round(1000 / rate, 2),
            ratio=round(rate / ceiling, 2),
        )
        table.add_row(
            run["run"],
            f"{rate:.1f}",
            f"{1000 / rate:.1f}",
            f"{rate / ceiling:.2f}",
            f"{run['peak_rss_mb']:.0f}" if run["peak_rss_mb"] else "–",
            str(run["articles"]),
            str(run.get("comments", "")),
        )
    Console().print(table)
    OUT.mkdir(exist_ok=True)
    (OUT / "import_throughput.json").write_text(json.dumps({"settings": args.settings, "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
