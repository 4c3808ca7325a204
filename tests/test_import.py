"""Offline import end to end, on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import json

import pytest

from tests.conftest import comparable, run_cli, stored_articles

# Every test here runs the CLI or Scrapy in a subprocess, or a server: the slow tier.
pytestmark = pytest.mark.slow


def test_import_twice_keeps_the_same_rows(db_url: str, expected: dict) -> None:
    first = run_cli("import", "fixtures/", "--db", db_url)
    assert first.returncode == 0, first.stderr
    assert f"now holds {len(expected['articles'])} articles" in first.stderr
    rows = stored_articles(db_url)
    assert len(rows) == len(expected["articles"])
    assert sum(len(r["comments"]) for r in rows) == sum(len(a["comments"]) for a in expected["articles"])

    second = run_cli("import", "fixtures/", "--db", db_url)
    assert second.returncode == 0, second.stderr
    assert stored_articles(db_url) == rows
    assert "articles unchanged" in second.stderr


def test_sqlite_and_postgresql_store_the_same(sqlite_url: str, pg_url: str) -> None:
    for url in (sqlite_url, pg_url):
        result = run_cli("import", "fixtures/", "--db", url)
        assert result.returncode == 0, result.stderr
    assert comparable(stored_articles(sqlite_url)) == comparable(stored_articles(pg_url))


def test_database_url_from_environment(tmp_path, expected: dict) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    result = run_cli("import", "fixtures/", env={"NEWSDEDUP_DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    listing = run_cli("articles", "--all-copies", "--json", env={"NEWSDEDUP_DATABASE_URL": url})
    assert listing.returncode == 0
    assert len(listing.stdout.splitlines()) == len(expected["articles"])
    # By default one row per story: syndicated copies are counted once.
    stories = run_cli("articles", "--json", env={"NEWSDEDUP_DATABASE_URL": url})
    copies = sum(len(story) - 1 for story in expected["dedup"]["stories"])
    assert len(stories.stdout.splitlines()) == len(expected["articles"]) - copies


def test_default_database_is_newsdedup_db_in_the_working_directory(tmp_path) -> None:
    from tests.conftest import FIXTURES

    result = run_cli("import", str(FIXTURES), cwd=tmp_path, env={"NEWSDEDUP_DATABASE_URL": ""})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "newsdedup.db").is_file()


def test_skipped_pages_are_reported_with_url_and_reason(sqlite_url: str, expected: dict) -> None:
    result = run_cli("import", "fixtures/", "--db", sqlite_url)
    for page in expected["non_articles"]:
        line = next((ln for ln in result.stderr.splitlines() if page["path"] in ln and "skipped" in ln), None)
        assert line is not None, f"{page['path']} not reported as skipped"


def test_saved_pages_folder(tmp_path, expected: dict) -> None:
    """A folder without sources.toml is read as saved pages; URLs come from canonical links."""
    url = f"sqlite:///{tmp_path / 'pages.db'}"
    result = run_cli("import", "fixtures/sites", "--db", url)
    assert result.returncode == 0, result.stderr
    rows = stored_articles(url)
    assert len(rows) == len(expected["articles"])
    canonical = {a["canonical_url"] for a in expected["articles"] if a["canonical_url"]}
    assert canonical <= {r["canonical_url"] for r in rows}
    # Pages with no canonical link keep their file path as URL, named after no host.
    assert all(r["canonical_url"].startswith(("https://", "http://", "file://")) for r in rows)


def test_articles_listing(imported_fixtures: str, expected: dict) -> None:
    result = run_cli("articles", "--all-copies", "--db", imported_fixtures)
    assert result.returncode == 0
    for article in expected["articles"]:
        assert article["title"][:20] in result.stdout
    # One row per story by default: the syndicated copy is not listed again.
    copies = {url for story in expected["dedup"]["stories"] for url in story[1:]}
    stories = run_cli("articles", "--json", "--db", imported_fixtures)
    listed = {json.loads(line)["canonical_url"] for line in stories.stdout.splitlines()}
    assert listed and not listed & copies
