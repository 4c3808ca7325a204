"""Publication times on the 923 real pages: pipelines.published beside plain trafilatura.

    .venv/bin/python -m bench.published_dates [--pages ../shared/realworld/trafilatura-eval]

For every page (its original URL as the page's URL), trafilatura's own date (htmldate,
extensive search, original date) and newsdedup's resolved time (the page's metadata
first, the URL's date as fallback/cross-check, trafilatura's date last) are compared:
how many pages each dates, how many of ours carry a time of day, where ours came from,
and how many disagree by more than a day (printed, for reading, not for tuning).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from pipelines.html import parse_page
from pipelines.published import published_time
from pipelines.trafilatura_compat import PageMetadata

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "realworld" / "trafilatura-eval"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT)
    args = parser.parse_args()
    pages = json.loads((args.pages / "evaldata.json").read_text())
    counts: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    apart: list[tuple[str, str, str, str]] = []
    started = time.perf_counter()
    for url, entry in pages.items():
        try:
            tree = parse_page((args.pages / "pages" / entry["file"]).read_bytes(), None, url, 20_000_000)
        except Exception:  # a page our fetch stage would reject is no date question
            counts["unreadable"] += 1
            continue
        guesses = PageMetadata(tree, url)  # trafilatura's metadata, as extract_metadata reads it
        plain = guesses.date
        ours = published_time(tree, url, guesses, "UTC")
        counts["pages"] += 1
        counts["trafilatura dated"] += bool(plain)
        counts["trafilatura with a time of day"] += bool(plain) and not plain.endswith("T00:00:00")
        counts["newsdedup dated"] += ours.at is not None
        if ours.at is None:
            continue
        sources[(ours.source or "").split(";")[0]] += 1
        counts["newsdedup with a time of day"] += (
            ours.source not in ("url", None) and ours.at.time() != datetime.min.time()
        )
        if plain:
            day = datetime.fromisoformat(plain).replace(tzinfo=UTC)
            if abs(ours.at - day).days >= 2:
                apart.append((url, plain[:10], ours.at.isoformat()[:16], ours.source or ""))
            else:
                counts["same day (±1) as trafilatura"] += 1
    table = Table("pages", "value")
    for key in ("pages", "unreadable", "trafilatura dated", "trafilatura with a time of day", "newsdedup dated",
                "newsdedup with a time of day", "same day (±1) as trafilatura"):  # fmt: skip
        table.add_row(key, str(counts[key]))
    table.add_row("more than a day apart", str(len(apart)))
    console = Console(width=max(Console().width, 150))
    console.print(table)
    console.print("where newsdedup's time came from: " + ", ".join(f"{k} {v}" for k, v in sources.most_common()))
    for row in apart:
        console.print("  apart: " + " | ".join(row))
    console.print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
