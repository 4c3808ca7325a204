"""Crawling the throughput corpus over HTTP, against bare fetching and the offline import.

    python -m bench.crawl_throughput --pages 2000

The throughput corpus (bench/throughput_corpus.py) is served by the test HTTP server
(tests/fixture_server.py: gzip, ETag, Last-Modified, robots.txt) on 127.0.0.1 with one
sitemap per site (one source each). In the same run:

- ``trafilatura.extract`` over the files in one process (the one-core ceiling);
- bare fetching: ``scrapy crawl news`` with no item pipelines (what ``scrapy bench``
  measures: Scrapy fetching and nothing else);
- ``newsdedup import`` of the same folder (file://);
- ``scrapy crawl news`` of the served corpus with every stage, with the event-loop stall
  statistics of crawler/loop_lag.py.

Rates are pages over each subprocess's wall time (start-up included, alike for all). The
server runs in this process and costs CPU the crawls pay for too (gzip of every page).
Writes bench/out/crawl_throughput.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.crawl_loop_lag import crawl
from bench.import_throughput import OUT, newsdedup_import, plain_trafilatura
from bench.throughput_corpus import build
from storage.db import make_engine, prepare_database
from tests.fixture_server import FixtureServer


def crawlable(corpus: Path) -> Path:
    """A source per site folder, each with a sitemap of its pages; the sources file's path.

    Each source's home is its site, as a user would configure it, so the pages' own
    canonical links are trusted and URL variants of one article are one row.
    """
    entries = []
    for site in sorted(p for p in (corpus / "pages").iterdir() if p.is_dir()):
        # Beside the pages: a source follows links under its entry URLs' folders.
        pages = sorted(site.rglob("*.html"))
        locs = "".join(f"<url><loc>{page.relative_to(site).as_posix()}</loc></url>" for page in pages)
        (site / "sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>\n',
            encoding="utf-8",
        )
        entries.append(
            f'[[source]]\nname = "{site.name}"\nhome = "https://{site.name}/"\n'
            f'sitemaps = ["pages/{site.name}/sitemap.xml"]\nlocal = true\n'
        )
    sources = corpus / "sources.toml"
    sources.write_text("\n".join(entries), encoding="utf-8")
    return sources


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--lean", action="store_true", help="The corpus without site chrome (~7 KB pages).")
    args = parser.parse_args()
    corpus = OUT / f"throughput-{args.pages}-{args.seed}{'-lean' if args.lean else ''}"
    if not (corpus / "corpus.json").exists():
        build(corpus, args.pages, args.seed, args.lean)
    pages = sorted((corpus / "pages").rglob("*.html"))
    sources = crawlable(corpus)
    runs = [plain_trafilatura(pages)]
    with tempfile.TemporaryDirectory() as tmp, FixtureServer(corpus) as server:
        db = Path(tmp) / "crawl.db"
        bare_db = Path(tmp) / "bare.db"
        prepare_database(make_engine(f"sqlite:///{bare_db}"))  # the spider reads its frontier
        bare = crawl(sources, server.base_url, bare_db, 0, {"ITEM_PIPELINES": "{}"})
        runs.append({"run": "bare fetching (scrapy crawl, no pipelines)", "seconds": bare["wall_s"], **_lag(bare)})
        runs.append(newsdedup_import(corpus / "pages", f"sqlite:///{Path(tmp) / 'import.db'}", "newsdedup import", []))
        full = crawl(sources, server.base_url, db, -1)
        runs.append(
            {
                "run": "scrapy crawl news (HTTP, every stage)",
                "seconds": full["wall_s"],
                "articles": full.get("store/articles_new", 0),
                **_lag(full),
            }
        )
    table = Table("run", "pages/s", "ms/page", "lag max ms", "lag p99 ms", "ticks >50 ms", "peak RSS MB")
    for run in runs:
        run["pages_per_s"] = round(len(pages) / run["seconds"], 1)
        table.add_row(
            run["run"],
            f"{run['pages_per_s']:.1f}",
            f"{1000 * run['seconds'] / len(pages):.1f}",
            *(str(run.get(key, "–")) for key in ("lag_max_ms", "lag_p99_ms", "lag_over_50ms")),
            f"{run['peak_rss_mb']:.0f}",
        )
    Console().print(table)
    ratio = runs[3]["pages_per_s"] / runs[2]["pages_per_s"]
    print(f"{len(pages)} pages; crawl rate / import rate = {ratio:.2f}")
    (OUT / "crawl_throughput.json").write_text(json.dumps({"pages": len(pages), "runs": runs}, indent=2))


def _lag(stats: dict) -> dict:
    return {
        "peak_rss_mb": stats["peak_rss_mb"],
        "lag_max_ms": stats.get("loop_lag/max_ms"),
        "lag_p99_ms": stats.get("loop_lag/p99_ms"),
        "lag_over_50ms": stats.get("loop_lag/over_50ms"),
    }


if __name__ == "__main__":
    main()
