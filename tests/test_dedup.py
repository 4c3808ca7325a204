"""Stories, copies and quotes end to end: imports through the real pipeline into a real DB."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.syndication_corpus import generate
from storage.db import session_for_url
from storage.models import Article, ArticleLink, ArticleSignature, DedupBand, DedupPassage
from storage.urls import url_key
from tests.conftest import ROOT, run_cli

# Every test here runs the CLI or Scrapy in a subprocess, or a server: the slow tier. One
# xdist process runs them all, so the module's corpus and imports are made once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dedup")]


def _find(session, reference: str) -> Article:
    """An article by canonical URL, or (pages without one) by its fixture path."""
    if reference.startswith("http"):
        return session.scalar(select(Article).where(Article.url_key == url_key(reference)))
    return session.scalar(select(Article).where(Article.url.endswith(reference)))


def stories_of(url: str) -> set[frozenset[str]]:
    """The stored partition into stories, by URL identity (independent of row ids)."""
    with session_for_url(url) as session:
        rows = session.execute(select(Article.url_key, Article.story_id)).all()
    groups: dict[int, set[str]] = {}
    for key, story in rows:
        groups.setdefault(story, set()).add(key)
    return {frozenset(group) for group in groups.values()}


def quotes_of(url: str) -> set[tuple[str, frozenset[str]]]:
    """(quoting post, the quoted story's members), by URL identity."""
    stories = {member: group for group in stories_of(url) for member in group}
    with session_for_url(url) as session:
        keys = dict(session.execute(select(Article.id, Article.url_key)).all())
        links = session.execute(
            select(ArticleLink.article_id, ArticleLink.target_id).where(ArticleLink.kind == "quote")
        ).all()
    return {(keys[post], stories[keys[target]]) for post, target in links}


def index_snapshot(url: str) -> dict:
    with session_for_url(url) as session:
        return {
            "stories": sorted(session.execute(select(Article.url_key, Article.story_id, Article.story_similarity))),
            "links": sorted(
                session.execute(
                    select(ArticleLink.article_id, ArticleLink.target_id, ArticleLink.kind, ArticleLink.score)
                )
            ),
            "signatures": session.scalar(select(func.count()).select_from(ArticleSignature)),
            "bands": session.scalar(select(func.count()).select_from(DedupBand)),
            "passages": session.scalar(select(func.count()).select_from(DedupPassage)),
        }


def test_fixture_copies_and_quotes(db_url: str, expected: dict) -> None:
    result = run_cli("import", "fixtures/", "--db", db_url)
    assert result.returncode == 0, result.stderr
    truth = expected["dedup"]
    with session_for_url(db_url) as session:
        for story in truth["stories"]:
            members = [_find(session, url) for url in story]
            canonical = min(members, key=lambda a: a.published_at)
            assert {m.story_id for m in members} == {canonical.id}, story
            assert all(0.5 < m.story_similarity <= 1 for m in members)
        in_stories = {url_key(u) for story in truth["stories"] for u in story}
        alone = session.scalars(select(Article).where(Article.url_key.not_in(in_stories))).all()
        assert all(a.story_id == a.id for a in alone), "an article joined a story it is not part of"
        found = session.execute(
            select(ArticleLink.article_id, ArticleLink.target_id, ArticleLink.score, ArticleLink.method).where(
                ArticleLink.kind == "quote"
            )
        ).all()
        wanted = {
            (_find(session, q["post"]).id, _find(session, q["source"]).id): q["fraction"] for q in truth["quotes"]
        }
        assert {(post, source) for post, source, _, _ in found} == set(wanted)
        for post, source, score, method in found:
            assert method == "passage"
            assert abs(score - wanted[post, source]) < 0.12, (post, source, score)


def test_story_and_split_from_the_cli(imported_copy: str, expected: dict) -> None:
    sqlite_url = imported_copy
    original, copy = expected["dedup"]["stories"][0]
    shown = run_cli("story", copy, "--db", sqlite_url, "--json")
    assert shown.returncode == 0, shown.stderr
    story = json.loads(shown.stdout)
    assert [m["canonical_url"] for m in story["copies"]] == [original, copy]
    assert story["copies"][1]["links"][0]["method"] == "minhash"
    quoted = run_cli("story", expected["dedup"]["quotes"][0]["source"], "--db", sqlite_url, "--json")
    assert [p["canonical_url"] for p in json.loads(quoted.stdout)["quoted_by"]] == [
        expected["dedup"]["quotes"][0]["post"]
    ]

    split = run_cli("split", copy, "--db", sqlite_url)
    assert split.returncode == 0, split.stderr
    assert frozenset({url_key(copy)}) in stories_of(sqlite_url)
    # The user's decision holds when the same pages come in again.
    again = run_cli("import", "fixtures/", "--full", "--db", sqlite_url)
    assert again.returncode == 0, again.stderr
    assert frozenset({url_key(copy)}) in stories_of(sqlite_url)
    alone = run_cli("split", copy, "--db", sqlite_url)
    assert alone.returncode == 2 and "alone in its story" in alone.stderr


def test_reimport_changes_nothing_and_recomputes_nothing(imported_copy: str) -> None:
    sqlite_url = imported_copy
    before = index_snapshot(sqlite_url)
    assert run_cli("import", "fixtures/", "--full", "--db", sqlite_url).returncode == 0
    assert index_snapshot(sqlite_url) == before


# Session-scoped: xdist interleaves other modules' tests, and pytest tears a module's
# fixtures down whenever the next test is from another module.
@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    """A labeled syndication corpus (bench/syndication_corpus.py), split into two halves."""
    root = tmp_path_factory.mktemp("corpus")
    generate(root / "all", stories=10, seed=3)
    truth = json.loads((root / "all" / "truth.json").read_text())
    pages = sorted(p for p in (root / "all").rglob("*.html"))
    halves = (root / "a", root / "b")
    for n, page in enumerate(pages):
        target = halves[n % 2] / page.relative_to(root / "all")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(page, target)
    return halves[0], halves[1], truth


@pytest.fixture(scope="session")
def imported_both_ways(small_corpus, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The two halves imported one after the other, first-second and second-first (SQLite)."""
    first, second, _ = small_corpus
    folder = tmp_path_factory.mktemp("orders")
    ab, ba = f"sqlite:///{folder / 'ab.db'}", f"sqlite:///{folder / 'ba.db'}"
    for url, order in ((ab, (first, second)), (ba, (second, first))):
        for half in order:
            result = run_cli("import", str(half), "--db", url)
            assert result.returncode == 0, result.stderr
    return ab, ba


def test_import_order_does_not_change_stories_or_quotes(small_corpus, imported_both_ways: tuple[str, str]) -> None:
    _, _, truth = small_corpus
    ab, ba = imported_both_ways
    assert stories_of(ab) == stories_of(ba)
    assert quotes_of(ab) == quotes_of(ba)
    expected_stories: dict[str, set[str]] = {}
    for article in truth["articles"]:
        expected_stories.setdefault(article["story"], set()).add(url_key(article["url"]))
    assert stories_of(ab) == {frozenset(s) for s in expected_stories.values()}


def test_concurrent_imports_link_across_processes(
    small_corpus, imported_both_ways: tuple[str, str], db_url: str
) -> None:
    first, second, _ = small_corpus
    sequential = imported_both_ways[0]
    command = [sys.executable, "-m", "cli", "import", "--db", db_url]
    running = [
        subprocess.Popen([*command, str(folder)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for folder in (first, second)
    ]
    for process in running:
        _, stderr = process.communicate(timeout=240)
        assert process.returncode == 0, stderr
    assert stories_of(db_url) == stories_of(sequential)
    assert quotes_of(db_url) == quotes_of(sequential)


def test_rebuild_relinks_the_same_stories_and_keeps_splits(imported_copy: str, expected: dict) -> None:
    sqlite_url = imported_copy
    stories, quotes = stories_of(sqlite_url), quotes_of(sqlite_url)
    rebuilt = run_cli("dedup", "rebuild", "--db", sqlite_url)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert (stories_of(sqlite_url), quotes_of(sqlite_url)) == (stories, quotes)
    copy = expected["dedup"]["stories"][0][1]
    assert run_cli("split", copy, "--db", sqlite_url).returncode == 0
    assert run_cli("dedup", "rebuild", "--db", sqlite_url).returncode == 0
    assert frozenset({url_key(copy)}) in stories_of(sqlite_url)
    # Other settings build other signatures: a crawl with them is refused until a rebuild.
    refused = run_cli(
        "import", "fixtures/", "--full", "--set", "DEDUP_NUM_PERM=64", "--set", "DEDUP_BANDS=16", "--db", sqlite_url
    )
    assert refused.returncode != 0 and "dedup index was built with" in refused.stderr
