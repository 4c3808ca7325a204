"""Story clustering, quote links and their direction scored against labeled corpora,
beside plain datasketch MinHashLSH over the same texts in the same run.

    python -m bench.dedup_accuracy                      # both corpora, default settings
    python -m bench.dedup_accuracy --corpus quotes      # only the quote/direction corpus
    python -m bench.dedup_accuracy --corpus quotes --url-only 0.1   # a tenth of pages without a time
    python -m bench.dedup_accuracy --set DEDUP_COPY_JACCARD=0.4 --set DEDUP_BANDS=16 --set DEDUP_ROWS=8

Corpora: ``syndication`` (bench/syndication_corpus.py, 120 stories, seed 7: wire copies, URL
variants, quoting posts, same-topic and follow-up negatives) and ``quotes``
(bench/quote_corpus.py, 100 stories, seed 11: same-day quotes with dated URLs and a
membership block appended to ~8% of unrelated articles on several sites). Each is imported
with `newsdedup import` into a fresh SQLite file (the shipped pipeline, settings
overridable) and scored: copy pairs (pairwise precision/recall/F1 and ARI of the stories),
quote links (post → quoted story), direction (of the quote links joining a true pair,
how many point from the post), and links between block holders that nothing else relates.
Plain MinHashLSH (default threshold 0.9, 128 permutations, 5-word shingles) clusters the
stored texts for the copy baseline. Results go to bench/out/dedup_accuracy.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from datasketch import MinHash, MinHashLSH
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from bench import quote_corpus, syndication_corpus
from bench.dedup_metrics import (
    adjusted_rand_index,
    direction_accuracy,
    link_scores,
    pairwise_scores,
    unrelated_links,
)
from storage.db import session_for_url
from storage.dedup import QUOTE
from storage.models import Article, ArticleLink
from storage.urls import url_key

OUT = Path(__file__).with_name("out")
CORPORA = {"syndication": (syndication_corpus.generate, 120, 7), "quotes": (quote_corpus.generate, 100, 11)}


def import_corpus(corpus: Path, database: Path, settings: list[str]) -> float:
    database.unlink(missing_ok=True)
    command = [sys.executable, "-m", "cli", "import", str(corpus), "--db", f"sqlite:///{database}"]
    for setting in settings:
        command += ["--set", setting]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def plain_lsh(texts: dict[str, str]) -> set[tuple[str, str]]:
    """Pairs plain MinHashLSH at its default threshold puts together (what a user of the
    library alone gets: every query hit is a duplicate)."""
    lsh, pairs = MinHashLSH(num_perm=128), set()
    for key, text in texts.items():
        words = text.lower().split()
        minhash = MinHash(num_perm=128)
        minhash.update_batch(" ".join(words[i : i + 5]).encode() for i in range(max(1, len(words) - 4)))
        pairs |= {(key, other) for other in lsh.query(minhash)}
        lsh.insert(key, minhash)
    return pairs


def components(keys: list[str], pairs: set[tuple[str, str]]) -> dict[str, str]:
    """Connected components of ``pairs`` over ``keys`` (each labeled by one member)."""
    parent = {key: key for key in keys}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for a, b in pairs:
        parent[root(a)] = root(b)
    return {key: root(key) for key in keys}


def score(truth: dict, database_url: str) -> dict:
    with session_for_url(database_url) as session:
        rows = session.execute(select(Article.id, Article.url_key, Article.story_id, Article.text)).all()
        links = session.execute(select(ArticleLink.article_id, ArticleLink.target_id, ArticleLink.kind)).all()
    key_of = {article_id: key for article_id, key, _, _ in rows}
    truth_story = {url_key(a["url"]): a["story"] for a in truth["articles"]}
    stored = {key: story for _, key, story, _ in rows if key in truth_story}
    texts = {key: text for _, key, _, text in rows if key in truth_story}
    labels = {k: truth_story[k] for k in stored}
    truth_quotes = {(url_key(q["post"]), q["source_story"]) for q in truth["quotes"]}
    quote_links = {(key_of[a], key_of[b]) for a, b, kind in links if kind == QUOTE}
    all_links = {(key_of[a], key_of[b]) for a, b, _ in links}
    holders = {url_key(url) for url in truth.get("block_holders", [])}
    right, reversed_ = direction_accuracy(truth_quotes, truth_story, quote_links)
    started = time.perf_counter()
    lsh_pairs = plain_lsh(texts)
    lsh_seconds = time.perf_counter() - started
    lsh_stories = components(list(texts), lsh_pairs)
    return {
        "articles_expected": len(truth_story),
        "articles_stored": len(rows),
        "missing": sorted(set(truth_story) - set(stored))[:10],
        "stories": {**pairwise_scores(labels, stored).__dict__, "ari": adjusted_rand_index(labels, stored)},
        "quotes": link_scores(truth_quotes, {(p, truth_story.get(t, "?")) for p, t in quote_links}).__dict__,
        "direction": {"right": right, "reversed": reversed_, "accuracy": right / (right + reversed_) if right else 0.0},
        "block_only_links": unrelated_links(all_links, holders, truth_story, truth_quotes),
        "plain_lsh": {
            "seconds": round(lsh_seconds, 2),
            "stories": {
                **pairwise_scores(labels, lsh_stories).__dict__,
                "ari": adjusted_rand_index(labels, lsh_stories),
            },
            "block_only_links": unrelated_links(lsh_pairs, holders, truth_story, truth_quotes),
        },
    }


def run(name: str, settings: list[str], url_only: float = 0.0) -> dict:
    make, stories, seed = CORPORA[name]
    corpus = OUT / f"{name}-{stories}-{seed}"
    make(corpus, stories=stories, seed=seed, **({"url_only": url_only} if url_only else {}))
    truth = json.loads((corpus / "truth.json").read_text())
    database = OUT / f"dedup_accuracy_{name}.db"
    seconds = import_corpus(corpus, database, settings)
    return {
        "corpus": name,
        "settings": settings,
        "import_seconds": round(seconds, 1),
        **score(truth, f"sqlite:///{database}"),
    }


def report(results: list[dict]) -> Table:
    table = Table("corpus", "method", "copy P", "copy R", "copy F1", "ARI", "quote P", "quote R", "direction",
                  "block-only links", "seconds")  # fmt: skip
    for r in results:
        s, q, d = r["stories"], r["quotes"], r["direction"]
        table.add_row(r["corpus"], "newsdedup", f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}",
                      f"{s['ari']:.3f}", f"{q['precision']:.3f}", f"{q['recall']:.3f}",
                      f"{d['accuracy']:.3f} ({d['right']}/{d['right'] + d['reversed']})",
                      str(len(r["block_only_links"])), f"{r['import_seconds']:.1f} (import)")  # fmt: skip
        lsh = r["plain_lsh"]
        s = lsh["stories"]
        table.add_row("", "plain MinHashLSH 0.9", f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}",
                      f"{s['ari']:.3f}", "–", "–", "–", str(len(lsh["block_only_links"])),
                      f"{lsh['seconds']:.1f}")  # fmt: skip
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=[*CORPORA, "all"], default="all")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--url-only", type=float, default=0.0, help="quotes corpus: share of pages dated by URL only")
    args = parser.parse_args()
    names = list(CORPORA) if args.corpus == "all" else [args.corpus]
    results = [run(name, args.settings, args.url_only) for name in names]
    console = Console(width=max(Console().width, 150))  # the table stays readable in a log
    console.print(report(results))
    for r in results:
        console.print(f"{r['corpus']}: {r['articles_stored']} rows for {r['articles_expected']} articles, "
                      f"settings {args.settings or 'defaults'}")  # fmt: skip
    OUT.mkdir(exist_ok=True)
    (OUT / "dedup_accuracy.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
