"""Reader comments as records: the labeled markup set, threads, re-crawls, pagination."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from lxml.html import fromstring

from bench.comments_accuracy import score_page
from pipelines.analysis import without_comment_lines
from pipelines.comments import find_comments
from pipelines.html import read_page
from storage.records import CommentFields
from tests.conftest import FIXTURES, run_cli, stored_articles

COMMENTS = FIXTURES / "comments"
TRUTH = json.loads((COMMENTS / "expected.json").read_text(encoding="utf-8"))
PAGES = {page["path"]: page for page in TRUTH["pages"]}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_every_labeled_comment_is_read_right(path: str) -> None:
    """Author, time and text of every comment, nothing extra, threads as on the page, no leaks."""
    score, comments = score_page(PAGES[path])
    assert score.errors == []
    assert score.right == score.expected == score.predicted
    assert score.parents_right == score.right
    assert score.comment_words_in_body == score.body_words_in_comments == 0
    assert {c.markup for c in comments} <= {PAGES[path]["markup"], "schema-microdata"}


def test_unknown_markup_falls_back_and_says_so() -> None:
    fallback_pages = [page for page in TRUTH["pages"] if page["markup"] == "fallback"]
    assert len(fallback_pages) >= 4
    for page in fallback_pages:
        _, comments = score_page(page)
        assert comments and all(c.markup == "fallback" for c in comments)


def test_markup_words_never_hide_a_thread() -> None:
    """A parser skipped because the page's HTML lacks its words (MARKUP_WORDS) would have
    found nothing: every comment fixture and engine page reads the same with the gates."""
    pages = sorted({*COMMENTS.rglob("*.html"), *(FIXTURES / "engines").glob("*.html")})
    assert len(pages) > 30
    for path in pages:
        body = path.read_bytes()
        tree, markup = read_page(body, "text/html", path.as_uri(), 5_000_000)
        gated = find_comments(tree, markup)
        assert gated == find_comments(read_page(body, "text/html", path.as_uri(), 5_000_000)[0]), path.name


def _records(comments: list[dict]) -> set[tuple]:
    """Comparable records: author, instant, text (truth says "posted", the DB "posted_at")."""
    return {
        (c["author"], datetime.fromisoformat(c["posted"] if "posted" in c else c["posted_at"]).timestamp(), c["text"])
        for c in comments
    }


def _import_version(tmp_path: Path, page: str, db: str, timezone: str) -> None:
    folder = tmp_path / Path(page).stem / Path(page).parent.name
    folder.mkdir(parents=True)
    shutil.copy(COMMENTS / page, folder / "page.html")
    result = run_cli("import", str(folder), "--db", db, "--timezone", timezone)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("prefix", ["", "nosid_"])
def test_recrawl_adds_new_keeps_moderated_updates_edited(tmp_path: Path, sqlite_url: str, prefix: str) -> None:
    recrawl = TRUTH["recrawl"]
    for version in ("v1", "v2"):
        _import_version(tmp_path, recrawl[f"{prefix}{version}"], sqlite_url, recrawl["timezone"])
    (article,) = stored_articles(sqlite_url)
    assert article["canonical_url"] == recrawl[f"{prefix}canonical_url"]
    wanted = recrawl[f"{prefix}after_both"]
    assert len(article["comments"]) == len(wanted)
    assert _records(article["comments"]) == _records(wanted)


@pytest.mark.slow
def test_reimporting_the_same_page_adds_nothing(tmp_path: Path, sqlite_url: str) -> None:
    recrawl = TRUTH["recrawl"]
    for attempt in ("first", "second"):
        _import_version(tmp_path / attempt, recrawl["v2"], sqlite_url, recrawl["timezone"])
    (article,) = stored_articles(sqlite_url)
    assert len(article["comments"]) == len(recrawl["v2_comments"])


@pytest.mark.slow
def test_paginated_thread_lands_on_one_article(tmp_path: Path, sqlite_url: str) -> None:
    pagination = TRUTH["pagination"]
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "paged"\nhome = "https://blog.example.com/"\n'
        f'feeds = ["{(COMMENTS / pagination["feed"]).as_uri()}"]\ntimezone = "{pagination["timezone"]}"\n',
        encoding="utf-8",
    )
    result = run_cli("import", str(sources), "--db", sqlite_url)
    assert result.returncode == 0, result.stderr
    (article,) = stored_articles(sqlite_url)
    assert article["canonical_url"] == pagination["canonical_url"]
    got = [(c["position"], c["author"], c["text"], c["parent"]) for c in article["comments"]]
    assert got == [(c["position"], c["author"], c["text"], c["parent"]) for c in pagination["comments"]]
    assert _records(article["comments"]) == _records(pagination["comments"])


@pytest.mark.slow
def test_show_prints_the_thread(imported_fixtures: str) -> None:
    result = run_cli(
        "show", "https://www.outsidethebeltway.com/iraqi-insurgents-turn-guns-on-al-qaeda/", "--db", imported_fixtures
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    jim = next(i for i, line in enumerate(lines) if "Jim Henley" in line)
    bruce = next(i for i, line in enumerate(lines) if "Bruce" in line)
    # Bruce's reply is drawn under Jim Henley's comment, one level deeper.
    assert bruce > jim and lines[bruce].index("Bruce") > lines[jim].index("Jim Henley")
    as_json = json.loads(run_cli("show", "1", "--json", "--db", imported_fixtures).stdout)
    assert {"title", "comments", "text"} <= set(as_json)


def test_a_comment_that_slipped_into_the_body_leaves_it_unless_the_page_shows_it_twice() -> None:
    comment = "I have lived by the harbour for thirty years and never seen it this quiet."
    quoted = "The council has not published the contract, which runs until 2031."
    page = fromstring(
        f"<html><body><article><p>The council voted.</p><p>{quoted}</p></article>"
        f"<div class='thread'><p>{comment}</p><blockquote>{quoted}</blockquote></div></body></html>"
    )
    body = f"The council voted.\n{quoted}\n{comment}"
    comments = [CommentFields(0, comment, ""), CommentFields(1, f"As the article says:\n{quoted}", "")]
    assert without_comment_lines(body, comments, page) == f"The council voted.\n{quoted}"
    unrelated = "The council voted.\nThe harbour reopens in May."
    assert without_comment_lines(unrelated, comments, page) == unrelated
    assert without_comment_lines(body, [], page) == body
