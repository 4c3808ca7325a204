"""Two `newsdedup import` processes writing overlapping copies of the same stories into one
PostgreSQL at the same moment: one row per article, no comment twice, one story per
gold story, and the same database as the two imports run one after the other."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import text

from bench.syndication_corpus import generate
from storage.db import make_engine
from tests.conftest import ROOT, empty_postgres

# Enough stories that without storage.locks.write_lock copies race: with its advisory lock
# turned off, 4 of 30 stories came out split in two (measured once, 2 cores); 20 keep the
# suite's time down and still race.
STORIES = 20


def split_corpus(corpus: Path, out: Path) -> tuple[Path, Path, dict[str, str]]:
    """Folders A and B of saved pages, built so that both processes reach the same story at
    the same moment: files are named by story number (the importer reads them in name
    order; URLs come from the pages' canonical links), A holds a story's first page, B its
    second, and both hold the same file of its other copies. Returns the folders and the
    gold url → story."""
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    a, b = out / "a", out / "b"
    a.mkdir(), b.mkdir()
    gold: dict[str, str] = {}
    by_story: dict[str, list[dict]] = defaultdict(list)
    for art in truth["articles"]:
        if art["role"] in ("original", "copy"):
            by_story[art["story"]].append(art)
    for n, (story, arts) in enumerate(sorted(by_story.items())):
        for i, art in enumerate(arts):
            gold[art["url"]] = story
            targets = (a,) if i == 0 else (b,) if i == 1 else (a, b)
            for folder in targets:
                shutil.copyfile(corpus / art["file"], folder / f"{n:04d}-{i}.html")
    return a, b, gold


def import_cmd(folder: Path, url: str) -> list[str]:
    # The default STORE_COMMIT_EVERY (20 articles a transaction): the longer a writer's
    # transaction, the more of its copies another writer would miss without the write lock.
    return [sys.executable, "-m", "cli", "import", str(folder), "--db", url, "--workers", "1"]


def snapshot(url: str) -> dict:
    """Articles by canonical URL with their story (as the canonical URL of its head) and comment keys."""
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT a.canonical_url, coalesce(h.canonical_url, a.canonical_url), a.url_key"
                " FROM articles a LEFT JOIN articles h ON h.id = a.story_id"
            )
        ).all()
        comments = conn.execute(
            text("SELECT a.canonical_url, c.comment_key FROM comments c JOIN articles a ON a.id = c.article_id")
        ).all()
        links = conn.execute(text("SELECT count(*) FROM article_links")).scalar()
    engine.dispose()
    return {
        "url_keys": [r[2] for r in rows],
        "story": {r[0]: r[1] for r in rows},
        "comments": sorted(comments),
        "links": links,
    }


def stories_of(snap: dict) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for article, head in snap["story"].items():
        groups[head].add(article)
    return {frozenset(g) for g in groups.values()}


@pytest.mark.slow
@pytest.mark.postgres
def test_two_imports_at_once_store_each_article_and_story_once(tmp_path: Path) -> None:
    generate(tmp_path / "corpus", STORIES, seed=7)
    a, b, gold = split_corpus(tmp_path / "corpus", tmp_path)
    url = empty_postgres()
    env = {**os.environ, "COLUMNS": "200"}
    # Both start on an empty database: the schema is created by whichever comes first
    # (the other waits on storage.locks.schema_lock).
    procs = [
        subprocess.Popen(import_cmd(folder, url), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for folder in (a, b)
    ]
    outs = [proc.communicate(timeout=240) for proc in procs]
    for proc, (out, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0, (out + err).decode()[-3000:]
    together = snapshot(url)

    # The same two imports one after the other, into the second database.
    sequential_url = empty_postgres("_sequential")
    for folder in (a, b):
        result = subprocess.run(import_cmd(folder, sequential_url), check=False, cwd=ROOT, env=env, capture_output=True)
        assert result.returncode == 0, result.stderr.decode()[-3000:]
    one_by_one = snapshot(sequential_url)

    # One row per article: every gold URL once (url_key is unique; nothing failed on it).
    assert len(together["url_keys"]) == len(set(together["url_keys"]))
    assert set(together["story"]) == set(one_by_one["story"])
    assert set(gold) <= set(together["story"])
    # No comment twice, none lost.
    assert len(together["comments"]) == len(set(together["comments"]))
    assert together["comments"] == one_by_one["comments"]
    # Stories: the same grouping as one import after the other, and no story mixes two
    # gold stories or (where the sequential import finds it whole) splits one.
    assert stories_of(together) == stories_of(one_by_one)
    for group in stories_of(together):
        assert len({gold[u] for u in group if u in gold}) <= 1, sorted(group)
    by_gold: dict[str, set[frozenset[str]]] = defaultdict(set)
    for group in stories_of(together):
        for u in group:
            if u in gold:
                by_gold[gold[u]].add(group)
    split = {story for story, groups in by_gold.items() if len(groups) > 1}
    assert not split, {s: [sorted(g) for g in by_gold[s]] for s in split}
