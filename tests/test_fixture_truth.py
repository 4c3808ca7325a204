"""Every fixture article, imported offline end to end, checked against fixtures/expected.json."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import FIXTURES, stored_articles

# Every test here runs the CLI or Scrapy in a subprocess, or a server: the slow tier.
pytestmark = pytest.mark.slow

TRUTH = __import__("json").loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
ARTICLES = {entry["path"]: entry for entry in TRUTH["articles"]}


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def stored(imported_fixtures: str) -> dict[str, dict]:
    """Stored articles keyed by their fixture path."""
    by_path = {}
    for document in stored_articles(imported_fixtures):
        paths = [p for p in ARTICLES if document["url"].endswith(p)]
        assert paths, f"stored a page that is not a fixture article: {document['url']}"
        by_path[paths[0]] = document
    return by_path


def local_time(value: str | None, timezone: str) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(ZoneInfo(timezone)).replace(tzinfo=None) if value else None


@pytest.mark.parametrize("path", sorted(ARTICLES))
class TestFixtureArticle:
    def test_every_body_paragraph_is_kept(self, stored: dict, path: str) -> None:
        body = squash(stored[path]["text"])
        missing = [p for p in ARTICLES[path]["body_paragraphs"] if squash(p) not in body]
        assert not missing, f"{path}: paragraphs missing from the body: {missing}"

    def test_no_boilerplate_in_body(self, stored: dict, path: str) -> None:
        body = stored[path]["text"]
        leaked = [b for b in ARTICLES[path]["boilerplate"] if b in body]
        assert not leaked, f"{path}: boilerplate in the body: {leaked}"

    def test_no_comment_text_in_body(self, stored: dict, path: str) -> None:
        body = squash(stored[path]["text"])
        lines = [squash(line) for c in ARTICLES[path]["comments"] for line in c["text"].split("\n")]
        leaked = [line for line in lines if len(line) > 25 and line in body]
        assert not leaked, f"{path}: comment text in the body: {leaked}"

    def test_metadata(self, stored: dict, path: str) -> None:
        truth, got = ARTICLES[path], stored[path]
        assert got["title"] == truth["title"]
        assert got["authors"] == truth["authors"]
        assert got["language"] == truth["language"]
        published = local_time(got["published_at"], truth["timezone"])
        assert published is not None and published.date().isoformat() == truth["published"]
        if truth["canonical_url"]:
            assert got["canonical_url"] == truth["canonical_url"]

    def test_comments_are_records(self, stored: dict, path: str) -> None:
        truth, got = ARTICLES[path], stored[path]
        tz = truth["timezone"]
        actual = [
            {
                "position": c["position"],
                "author": c["author"],
                "posted": local_time(c["posted_at"], tz).isoformat() if c["posted_at"] else None,
                "text": c["text"],
                "parent": c["parent"],
            }
            for c in got["comments"]
        ]
        wanted = [{k: c[k] for k in ("position", "author", "posted", "text", "parent")} for c in truth["comments"]]
        assert actual == wanted


def test_non_articles_are_not_stored(stored: dict) -> None:
    assert sorted(stored) == sorted(ARTICLES), "exactly the fixture articles are stored"
