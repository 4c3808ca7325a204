"""The persistent dedup index at archive scale: insert and lookup latency, memory, start-up.

    python -m bench.dedup_scale --articles 100000 1000000            # SQLite files in bench/out
    python -m bench.dedup_scale --articles 100000 --db postgresql+psycopg://postgres@127.0.0.1/postgres

Fills the index with N synthetic articles (random MinHash band keys and passage
fingerprints, as many per article as real ones have: 32 bands, ~40 passages), then times
the real storage.dedup calls for 1,000 more articles: save_signature (insert) and
band_candidates + passage_candidates (lookup). Compares with datasketch's in-memory
MinHashLSH holding the same signatures. Prints a table and writes bench/out/dedup_scale.json.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH
from rich.console import Console
from rich.table import Table
from sqlalchemy import insert, text

from bench.databases import article_row, bench_database, empty
from storage.db import make_engine, migrate, session_factory
from storage.dedup import band_candidates, passage_candidates, save_signature
from storage.models import Article, DedupBand, DedupPassage, Source

OUT = Path(__file__).with_name("out")
BANDS, PASSAGES, PROBES = 32, 40, 1000


def rss_mb() -> float:
    """Current resident memory (not the peak: the fill's peak would hide the probe's growth)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def keys(rng: random.Random, n: int) -> list[int]:
    return [rng.getrandbits(64) - (1 << 63) for _ in range(n)]


def fill(url: str, articles: int, rng: random.Random) -> float:
    engine = make_engine(url, writer=True)
    empty(engine)
    migrate(engine)
    started = time.perf_counter()
    now = datetime(2025, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(insert(Source), [{"id": 0, "name": "synthetic", "created_at": now}])
        for start in range(0, articles, 20_000):
            ids = range(start + 1, min(articles, start + 20_000) + 1)
            conn.execute(insert(Article), [article_row(i, now) for i in ids])
            conn.execute(insert(DedupBand), [{"key": k, "article_id": i} for i in ids for k in keys(rng, BANDS)])
            conn.execute(insert(DedupPassage), [{"key": k, "article_id": i} for i in ids for k in keys(rng, PASSAGES)])
    engine.dispose()
    return time.perf_counter() - started


def probe(url: str, articles: int, rng: random.Random) -> dict:
    """Start-up, then insert + lookup of PROBES new articles through storage.dedup."""
    rss_before = rss_mb()
    started = time.perf_counter()
    engine = make_engine(url, writer=True)
    session = session_factory(engine)()
    session.execute(text("SELECT 1 FROM dedup_bands LIMIT 1"))
    startup = time.perf_counter() - started
    now = datetime(2025, 1, 2, tzinfo=UTC)
    inserts, lookups = [], []
    for i in range(articles + 1, articles + PROBES + 1):
        session.execute(insert(Article), [article_row(i, now)])
        article = session.get(Article, i)
        bands, passages = keys(rng, BANDS), keys(rng, PASSAGES)
        t0 = time.perf_counter()
        band_candidates(session, article, bands, None, 200)
        passage_candidates(session, i, passages, min_shared=2, max_articles=50, limit=200)
        t1 = time.perf_counter()
        save_signature(
            session, i, minhash=b"", params="synthetic", shingle_count=0, band_keys=bands, passage_keys=passages
        )
        t2 = time.perf_counter()
        lookups.append((t1 - t0) * 1000)
        inserts.append((t2 - t1) * 1000)
    session.rollback()
    session.close()
    engine.dispose()
    return {
        "startup_ms": round(startup * 1000, 1),
        "lookup_ms_p50": round(statistics.median(lookups), 3),
        "lookup_ms_p99": round(float(np.percentile(lookups, 99)), 3),
        "insert_ms_p50": round(statistics.median(inserts), 3),
        "insert_ms_p99": round(float(np.percentile(inserts, 99)), 3),
        "rss_growth_mb": round(rss_mb() - rss_before, 1),
    }


def in_memory_lsh(articles: int) -> dict:
    """datasketch's MinHashLSH (dict storage) with the same band split, for comparison."""
    rss_before = rss_mb()
    lsh = MinHashLSH(num_perm=128, params=(BANDS, 4))
    rng = np.random.default_rng(1)
    seed = MinHash(num_perm=128)
    started = time.perf_counter()
    for i in range(articles):
        values = rng.integers(0, 2**32, size=128, dtype=np.uint64).astype(np.uint32)
        lsh.insert(i, LeanMinHash(seed=seed.seed, hashvalues=values, scheme="affine32"), check_duplication=False)
    seconds = time.perf_counter() - started
    return {"insert_ms": round(seconds * 1000 / articles, 4), "rss_growth_mb": round(rss_mb() - rss_before, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[100_000])
    parser.add_argument("--db", help="A database URL (default: a SQLite file per size in bench/out).")
    parser.add_argument("--compare-lsh", type=int, default=100_000, help="Articles for the in-memory comparison.")
    parser.add_argument("--reuse", action="store_true", help="Probe an index filled by an earlier run (SQLite file).")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    results = []
    for n in args.articles:
        rng = random.Random(n)
        path = OUT / f"dedup_scale_{n}.db"
        url = bench_database(args.db) if args.db else f"sqlite:///{path}"
        reuse = args.reuse and args.db is None and path.exists()
        if args.db is None and not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        fill_seconds = 0.0 if reuse else fill(url, n, rng)
        row = {"articles": n, "backend": url.split(":")[0], "fill_s": round(fill_seconds, 1), **probe(url, n, rng)}
        if args.db is None:
            row["db_bytes_per_article"] = round(path.stat().st_size / n)
        results.append(row)
    comparison = in_memory_lsh(args.compare_lsh) if args.compare_lsh else None
    table = Table(
        "articles",
        "backend",
        "lookup p50 ms",
        "lookup p99 ms",
        "insert p50 ms",
        "insert p99 ms",
        "start-up ms",
        "RSS growth MB",
        "disk B/article",
    )
    for r in results:
        table.add_row(
            str(r["articles"]),
            r["backend"],
            str(r["lookup_ms_p50"]),
            str(r["lookup_ms_p99"]),
            str(r["insert_ms_p50"]),
            str(r["insert_ms_p99"]),
            str(r["startup_ms"]),
            str(r["rss_growth_mb"]),
            str(r.get("db_bytes_per_article", "")),
        )
    console = Console()
    console.print(table)
    if comparison:
        per_doc = comparison["rss_growth_mb"] * 1024 / args.compare_lsh
        console.print(
            f"datasketch MinHashLSH in memory, {args.compare_lsh} signatures: "
            f"{comparison['rss_growth_mb']} MB RSS ({per_doc:.1f} KB/article), {comparison['insert_ms']} ms/insert"
        )
    save_report(results, comparison, args.compare_lsh)


def save_report(results: list[dict], comparison: dict | None, compare_lsh: int) -> None:
    """Merge this run's rows into bench/out/dedup_scale.json (runs of other sizes stay)."""
    report = OUT / "dedup_scale.json"
    previous = json.loads(report.read_text()) if report.exists() else {}
    for row in results:
        previous[f"{row['backend']}-{row['articles']}"] = row
    if comparison:
        previous[f"in-memory-lsh-{compare_lsh}"] = comparison
    report.write_text(json.dumps(previous, indent=2))


if __name__ == "__main__":
    main()
