"""Does extraction stall Scrapy's event loop? Crawl a local HTTP corpus with the extraction
pool (EXTRACT_WORKERS=2) and inline on the loop (EXTRACT_WORKERS=0), and compare with plain
trafilatura.extract over the same pages in one process.

    .venv/bin/python -m bench.crawl_loop_lag --pages 300
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import trafilatura

from bench.corpus import build_corpus
from bench.procmem import PeakTreeRSS
from tests.fixture_server import FixtureServer

ROOT = Path(__file__).resolve().parent.parent


def crawl(sources: Path, base_url: str, db: Path, workers: int, settings: dict[str, str] | None = None) -> dict:
    """``scrapy crawl news`` in a subprocess; its final stats, wall time and peak tree RSS."""
    options = {
        "NEWSDEDUP_DATABASE_URL": f"sqlite:///{db}",
        "EXTRACT_WORKERS": str(workers),
        # The machinery's speed, not the politeness delay (the local server is ours).
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
        "LOG_LEVEL": "INFO",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
        **(settings or {}),
    }
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sources={sources}"]
    command += ["-a", f"base_url={base_url}"]
    command += [arg for name, value in options.items() for arg in ("-s", f"{name}={value}")]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    with process, PeakTreeRSS(process.pid) as memory:
        _, stderr = process.communicate()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"crawl failed: {stderr[-2000:]}")
    dump = stderr[stderr.rindex("Dumping Scrapy stats:") :]
    stats = ast.literal_eval(
        re.sub(r"datetime\.datetime\([^)]*\)", "None", dump[dump.index("{") : dump.index("}") + 1])
    )
    return {"wall_s": wall, "peak_rss_mb": memory.peak_mb, **stats}


def plain_trafilatura(pages: list[Path]) -> dict:
    tracemalloc.start()
    started = time.perf_counter()
    for page in pages:
        trafilatura.extract(page.read_bytes(), include_comments=False, with_metadata=True)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"elapsed_s": elapsed, "peak_mb": peak / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 1, 0], help="EXTRACT_WORKERS values to run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        sources = build_corpus(tmp_path, args.pages)
        pages = sorted((tmp_path / "site").glob("*.html"))
        rows = []
        baseline = plain_trafilatura(pages)
        rows.append(("trafilatura.extract, 1 process", args.pages / baseline["elapsed_s"], "-", "-", "-"))
        results = {"pages": args.pages, "trafilatura": baseline}
        with FixtureServer(tmp_path) as server:
            for workers in args.workers:
                stats = crawl(sources, server.base_url, tmp_path / f"w{workers}.db", workers)
                stored = stats.get("store/articles_new", 0)
                rows.append(
                    (
                        f"scrapy crawl news, EXTRACT_WORKERS={workers}",
                        stored / stats["elapsed_time_seconds"],
                        stats.get("loop_lag/max_ms"),
                        stats.get("loop_lag/p99_ms"),
                        stats.get("loop_lag/over_50ms"),
                    )
                )
                results[f"crawl_workers_{workers}"] = stats
    print(f"{args.pages} pages (copies of the 5 fixture articles) served on 127.0.0.1\n")
    print(f"{'run':<40} {'pages/s':>8} {'ms/page':>8} {'lag max ms':>11} {'lag p99 ms':>11} {'ticks >50ms':>12}")
    for name, rate, lag_max, lag_p99, over in rows:
        print(f"{name:<40} {rate:>8.1f} {1000 / rate:>8.1f} {lag_max!s:>11} {lag_p99!s:>11} {over!s:>12}")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "crawl_loop_lag.json").write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
