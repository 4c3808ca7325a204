"""The query CLI on both backends: search, filters, stories, sources, export, bad input."""

from __future__ import annotations

import csv
import io
import json

import pytest

from storage.articles import count_rows
from storage.db import session_for_url
from tests.conftest import empty_postgres, run_cli

# Every test here runs the CLI or Scrapy in a subprocess, or a server: the slow tier. One
# xdist process runs them all, so each backend is imported once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("query_cli")]


# Session-scoped, in a database of its own: under xdist other modules' tests run between
# these, and pytest would import again for a module fixture each time.
@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def imported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The fixtures imported once per backend; the tests here only read (or try to harm) it."""
    sqlite = f"sqlite:///{tmp_path_factory.mktemp('query') / 'news.db'}"
    url = sqlite if request.param == "sqlite" else empty_postgres("_query")
    result = run_cli("import", "fixtures/", "--db", url)
    assert result.returncode == 0, result.stderr
    return url


def lines(result) -> list[dict]:
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_search_ranks_highlights_and_keeps_one_row_per_story(imported: str, expected: dict) -> None:
    hits = lines(run_cli("search", "Fallujah Ramadi", "--db", imported, "--json"))
    original, copy = expected["dedup"]["stories"][0]
    assert [h["canonical_url"] for h in hits] == [copy]  # the copy's title names both cities
    assert "«Fallujah»" in hits[0]["snippet"] or "«Ramadi»" in hits[0]["snippet"]
    every_copy = lines(run_cli("search", "Fallujah Ramadi", "--all-copies", "--db", imported, "--json"))
    assert {h["canonical_url"] for h in every_copy} == {original, copy}
    phrase = lines(run_cli("search", '"foreign fighters"', "--db", imported, "--json"))
    assert len(phrase) >= 2
    for hit in phrase[:2]:  # FTS5 marks the phrase, PostgreSQL each word of it
        assert "«" in hit["snippet"] and "foreign fighters" in hit["snippet"].replace("«", "").replace("»", "").lower()


def test_filters_narrow_listings_and_search(imported: str) -> None:
    newswire = lines(run_cli("articles", "--source", "newswire", "--db", imported, "--json"))
    assert newswire and {a["source"] for a in newswire} == {"newswire"}
    dated = lines(run_cli("articles", "--since", "2010-01-01", "--until", "2014-06-01", "--db", imported, "--json"))
    assert dated and all("2010-01-01" <= a["published_at"] < "2014-06-01" for a in dated)
    by_author = lines(run_cli("search", "Iraq", "--author", "joyner", "--db", imported, "--json"))
    assert [h["source"] for h in by_author] == ["outsidethebeltway"]
    with_comments = lines(run_cli("articles", "--has-comments", "--all-copies", "--db", imported, "--json"))
    assert with_comments and all(a["comments"] > 0 for a in with_comments)
    without = lines(run_cli("articles", "--no-comments", "--all-copies", "--db", imported, "--json"))
    assert len(with_comments) + len(without) == count_all(imported)


def count_all(url: str) -> int:
    with session_for_url(url) as session:
        return count_rows(session)["articles"]


@pytest.mark.parametrize(
    "hostile",
    [
        "'; DROP TABLE articles; --",
        '" OR 1=1 --',
        "title:* NEAR(a b) Iraq) OR (1=1",
        "%' UNION SELECT name FROM sqlite_master --",
    ],
)
def test_injection_through_search_and_filters_is_just_text(imported: str, hostile: str) -> None:
    before = count_all(imported)
    searched = run_cli("search", hostile, "--db", imported, "--json")
    assert searched.returncode in (0, 2), searched.stderr
    filtered = run_cli("articles", "--source", hostile, "--author", hostile, "--db", imported, "--json")
    assert filtered.returncode == 0 and filtered.stdout == ""
    assert count_all(imported) == before


def test_bad_arguments_exit_2_with_a_message(imported: str) -> None:
    backwards = run_cli("articles", "--since", "2015-01-01", "--until", "2014-01-01", "--db", imported)
    assert backwards.returncode == 2 and "is not before" in backwards.stderr
    assert run_cli("articles", "--since", "last week", "--db", imported).returncode == 2
    assert run_cli("articles", "--limit", "0", "--db", imported).returncode == 2
    empty = run_cli("search", "!!!", "--db", imported)
    assert empty.returncode == 2 and "nothing to search for" in empty.stderr
    assert run_cli("export", "everything", "--db", imported).returncode == 2


def test_stories_sources_and_show(imported: str, expected: dict) -> None:
    stories = lines(run_cli("stories", "--db", imported, "--json"))
    copies = {s["canonical_url"]: s["copies"] for s in stories}
    assert copies[expected["dedup"]["stories"][0][0]] == 2
    quoted = {s["canonical_url"]: s["quoted_by"] for s in stories}
    assert all(quoted[q["source"]] == 1 for q in expected["dedup"]["quotes"])
    sources = {row["source"]: row for row in lines(run_cli("sources", "--db", imported, "--json"))}
    assert sources["newswire"]["copies"] == 1 and sources["newswire"]["last_crawl"]
    assert sources["outsidethebeltway"]["comments"] == 4 and sources["antiwar"]["fetch_errors"] == 0
    shown = lines(run_cli("show", expected["dedup"]["quotes"][0]["post"], "--db", imported, "--json"))[0]
    assert [q["canonical_url"] for q in shown["story"]["quotes"]] == [expected["dedup"]["quotes"][0]["source"]]


def test_export_streams_jsonl_and_csv(imported: str, tmp_path) -> None:
    articles = lines(run_cli("export", "articles", "--all-copies", "--db", imported))
    assert len(articles) == count_all(imported) and all(a["text"] for a in articles)
    target = tmp_path / "comments.csv"
    written = run_cli("export", "comments", "--format", "csv", "-o", str(target), "--db", imported)
    assert written.returncode == 0, written.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    with session_for_url(imported) as session:
        assert len(rows) == count_rows(session)["comments"]
    assert {"author", "posted_at", "text", "parent_position"} <= set(rows[0])
    stories = lines(run_cli("export", "stories", "--db", imported))
    assert len(stories) == len(lines(run_cli("articles", "--limit", "1000", "--db", imported, "--json")))


def test_views_answer_plain_sql(imported: str, expected: dict) -> None:
    from sqlalchemy import text

    with session_for_url(imported) as session:
        per_source = dict(session.execute(text("SELECT source, count(*) FROM article_sources GROUP BY source")).all())
        stories = session.execute(text("SELECT canonical_url, copies FROM stories ORDER BY copies DESC")).all()
    assert per_source["newswire"] == 5
    assert stories[0] == (expected["dedup"]["stories"][0][0], 2)
