"""Per-source boilerplate: a paragraph a source prints on many of its pages (a support
appeal, page statistics) leaves its bodies, earlier ones included; text on one page, or
another source's, stays."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.boilerplate import BoilerplateConfig, paragraph_key, paragraph_keys
from pipelines.dedup import DedupConfig, make_signature
from pipelines.extract import Extraction
from pipelines.items import ArticleItem
from storage.boilerplate import learn_paragraphs, learned_paragraphs
from storage.db import session_for_url
from tests.conftest import run_cli, store_items, stored_articles

WHEN = datetime(2024, 12, 20, tzinfo=UTC)
APPEAL = "The Ledger is reader-supported. Subscribe to The Ledger from $3 a week and keep local news alive."
BIO = "About Jane Roe: Jane has covered the county for The Ledger since 2009 and lives by the river."
TOPICS = ["bridge budget", "school board", "river flooding", "harvest festival", "library hours"]


def stats_line(n: int) -> str:
    return f"Post contains {200 + 37 * n} words, total size {n + 1} kb."


def story(n: int) -> str:
    topic = TOPICS[n % len(TOPICS)]
    return "\n".join(
        [
            f"Reporters covered the {topic} story number {n} at length on Tuesday evening in the county hall.",
            f"Officials said the {topic} decision {n} would be reviewed again next month by the full council.",
            f"Residents who spoke about the {topic} asked for the minutes to be published before the next vote.",
            f"The mayor's office declined to comment on the {topic} until the report is finished this summer.",
            APPEAL,
            stats_line(n),
            BIO,
        ]
    )


def item(n: int, text: str, source: str = "ledger") -> ArticleItem:
    url = f"https://{source}.example/2024/05/{n:02d}/story.html"
    article = ArticleItem(url=url, body=b"", fetched_at=WHEN, source=source)
    article.extraction = Extraction(text=text, canonical_url=url, title=f"Story {n}")
    article.signature = make_signature(text, DedupConfig())
    return article


def texts(url: str) -> dict[str, str]:
    return {a["title"]: a["text"] for a in stored_articles(url)}


def test_paragraph_key_folds_numbers_and_case() -> None:
    config = BoilerplateConfig()
    assert paragraph_key(stats_line(1), config) == paragraph_key(stats_line(9).upper(), config)
    assert paragraph_key("Share this", config) is None  # too short to say anything


def test_repeated_paragraphs_leave_every_body_of_the_source(db_url: str) -> None:
    unique = "Only this page mentions the lighthouse keeper who retired after forty years."
    ledger = [item(n, story(n) + (f"\n{unique}" if n == 1 else "")) for n in range(5)]
    pipeline = store_items(db_url, [*ledger, item(9, story(9), source="gazette")])  # the gazette prints it once

    stored = texts(db_url)
    for n in range(5):
        assert APPEAL not in stored[f"Story {n}"], f"story {n} kept the appeal"
        assert "Post contains" not in stored[f"Story {n}"]
        assert BIO not in stored[f"Story {n}"]
        assert f"story number {n}" in stored[f"Story {n}"]
    assert unique in stored["Story 1"]
    assert APPEAL in stored["Story 9"]
    # Stories 0-2 were stored before the appeal had been seen three times.
    assert pipeline.stats.get_value("boilerplate/articles_recleaned") == 3

    again = store_items(db_url, ledger)
    assert again.stats.get_value("store/articles_unchanged") == 5
    assert texts(db_url) == stored


def test_a_session_learns_which_of_an_articles_paragraphs_its_source_prints_everywhere(db_url: str) -> None:
    store_items(db_url, [item(n, story(n)) for n in range(4)])
    config = BoilerplateConfig()
    keys = set(paragraph_keys(story(7), config))
    with session_for_url(db_url) as session:
        assert learned_paragraphs(session, "ledger") == set(), "a new session knows nothing of it"
        learn_paragraphs(session, "ledger", keys, config.min_articles)
        learn_paragraphs(session, "gazette", keys, config.min_articles)
        assert learned_paragraphs(session, "ledger") == {paragraph_key(p, config) for p in (APPEAL, stats_line(7), BIO)}
        assert learned_paragraphs(session, "gazette") == set(), "another source prints none of them"


def test_copies_of_one_story_in_a_source_keep_their_text(sqlite_url: str) -> None:
    text = story(1)
    store_items(sqlite_url, [item(n, text) for n in range(4)])
    assert all(APPEAL in body for body in texts(sqlite_url).values())


@pytest.mark.slow
def test_offline_import_of_a_saved_site_learns_its_boilerplate(tmp_path: Path, sqlite_url: str) -> None:
    for n in range(4):
        paragraphs = "".join(f"<p>{p}</p>" for p in story(n).split("\n"))
        filler = f"<p>{' '.join(f'The clerk gave detail on the {TOPICS[n]} item {k}.' for k in range(12))}</p>"
        html = (
            f'<html><head><link rel="canonical" href="https://ledger.example/2024/05/0{n}/story.html">'
            f"<title>Story {n}</title></head><body><article><h1>Story {n}</h1>{paragraphs}{filler}</article>"
            "</body></html>"
        )
        (tmp_path / f"story{n}.html").write_text(html, encoding="utf-8")
    result = run_cli("import", str(tmp_path), "--db", sqlite_url)
    assert result.returncode == 0, result.stderr
    bodies = [a["text"] for a in stored_articles(sqlite_url)]
    assert len(bodies) == 4
    assert not any(APPEAL in body for body in bodies)
    assert all("The clerk gave detail" in body for body in bodies)
