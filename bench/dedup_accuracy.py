"""Story clustering and quote detection scored against the labeled syndication corpus.

    python -m bench.dedup_accuracy                      # defaults: 120 stories, seed 7
    python -m bench.dedup_accuracy --set DEDUP_COPY_JACCARD=0.4 --set DEDUP_BANDS=16 --set DEDUP_ROWS=8

Generates the corpus (bench/syndication_corpus.py), imports it with `newsdedup import`
into a fresh SQLite file (the shipped pipeline, settings overridable), then prints
pairwise precision/recall/F1 and the adjusted Rand index of the stories, and the same
scores for quote links (post → quoted story), and writes bench/out/dedup_accuracy.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from bench.dedup_metrics import adjusted_rand_index, link_scores, pairwise_scores
from bench.syndication_corpus import generate
from storage.db import session_for_url
from storage.dedup import QUOTE
from storage.models import Article, ArticleLink
from storage.urls import url_key

OUT = Path(__file__).with_name("out")


def import_corpus(corpus: Path, database: Path, settings: list[str]) -> float:
    database.unlink(missing_ok=True)
    command = [sys.executable, "-m", "crawler.cli", "import", str(corpus), "--db", f"sqlite:///{database}"]
    for setting in settings:
        command += ["--set", setting]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def score(truth: dict, database_url: str) -> dict:
    with session_for_url(database_url) as session:
        stored = {
            key: (article_id, story)
            for article_id, key, story in session.execute(select(Article.id, Article.url_key, Article.story_id))
        }
        quote_links = session.execute(
            select(ArticleLink.article_id, ArticleLink.target_id).where(ArticleLink.kind == QUOTE)
        ).all()
    by_id = {article_id: key for key, (article_id, _) in stored.items()}
    truth_story = {url_key(a["url"]): a["story"] for a in truth["articles"]}
    missing = sorted(set(truth_story) - set(stored))
    predicted = {key: stored[key][1] for key in truth_story if key in stored}
    stories = pairwise_scores({k: truth_story[k] for k in predicted}, predicted)
    ari = adjusted_rand_index({k: truth_story[k] for k in predicted}, predicted)
    truth_quotes = {(url_key(q["post"]), q["source_story"]) for q in truth["quotes"]}
    predicted_quotes = {(by_id[post], truth_story.get(by_id[target], "?")) for post, target in quote_links}
    quotes = link_scores(truth_quotes, predicted_quotes)
    return {
        "articles_expected": len(truth_story),
        "articles_stored": len(stored),
        "missing": missing[:10],
        "url_variants_merged": len(stored) == len(truth_story),
        "stories": {**stories.__dict__, "ari": ari},
        "quotes": quotes.__dict__,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    corpus = OUT / f"syndication-{args.stories}-{args.seed}"
    generate(corpus, stories=args.stories, seed=args.seed)
    truth = json.loads((corpus / "truth.json").read_text())
    database = OUT / "dedup_accuracy.db"
    seconds = import_corpus(corpus, database, args.settings)
    result = {"settings": args.settings, "import_seconds": round(seconds, 1), **score(truth, f"sqlite:///{database}")}
    table = Table("", "precision", "recall", "F1", "ARI", "true pairs", "found pairs")
    for name in ("stories", "quotes"):
        s = result[name]
        table.add_row(
            name,
            f"{s['precision']:.3f}",
            f"{s['recall']:.3f}",
            f"{s['f1']:.3f}",
            f"{s['ari']:.3f}" if "ari" in s else "",
            str(s["true_pairs"]),
            str(s["predicted_pairs"]),
        )
    console = Console()
    console.print(table)
    console.print(
        f"{result['articles_stored']} rows for {result['articles_expected']} articles "
        f"(+{len(truth['url_variants'])} URL variants), import {seconds:.1f} s, settings {args.settings or 'defaults'}"
    )
    OUT.mkdir(exist_ok=True)
    (OUT / "dedup_accuracy.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
