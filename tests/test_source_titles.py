"""A source's site name beside its headlines: learned from what its pages' <title>s share,
stripped from every title read from metadata (earlier rows included); a headline the
page shows stays as shown, and another source keeps its own."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.extract import Extraction
from pipelines.items import ArticleItem
from pipelines.source_titles import affix_keys, without_affixes
from tests.conftest import run_scrapy, store_items, stored_articles
from tests.fixture_server import FixtureServer

WHEN = datetime(2024, 12, 20, tzinfo=UTC)
# Longer than the headlines: one page alone cannot tell it from words of the headline.
SITE = "Notes from the Riverside Allotment Society"
HEADLINES = [
    "Frost came early to the beds",
    "Water butts for every plot",
    "Seed swap moves to the hall",
    "Leeks win the autumn show",
]


def test_affixes_are_whole_segments() -> None:
    learned = affix_keys(f"{HEADLINES[0]} | {SITE}") & affix_keys(f"{HEADLINES[1]} | {SITE}")
    assert without_affixes(f"{HEADLINES[2]} | {SITE}", learned) == HEADLINES[2]
    assert (
        without_affixes(f"{SITE} | {HEADLINES[2]}", learned) == f"{SITE} | {HEADLINES[2]}"
    )  # a prefix is not a suffix
    assert without_affixes(SITE, learned) == SITE  # never the whole title


def item(n: int, source: str = "allotment", title_source: str = "title") -> ArticleItem:
    url = f"https://{source}.example/2024/05/{n:02d}/post.html"
    html_title = f"{HEADLINES[n % len(HEADLINES)]} | {SITE}"
    article = ArticleItem(url=url, body=b"", fetched_at=WHEN, source=source)
    text = f"Plot holders met on day {n} to talk about the season. " * 8
    shown = HEADLINES[n % len(HEADLINES)] if title_source == "h1" else html_title
    article.extraction = Extraction(
        text=text, canonical_url=url, title=shown, title_source=title_source, html_title=html_title
    )
    return article


def test_a_suffix_on_three_titles_of_a_source_leaves_all_of_them(db_url: str) -> None:
    pipeline = store_items(db_url, [item(0), item(1), item(2, title_source="h1"), item(3), item(0, source="gazette")])

    rows = {(a["source"], a["url"].split("/")[-2]): a for a in stored_articles(db_url)}
    for n in (0, 1, 3):
        assert rows[("allotment", f"{n:02d}")]["title"] == HEADLINES[n]
        assert rows[("allotment", f"{n:02d}")]["title_source"] == "title+source-affix"
    assert rows[("allotment", "02")]["title"] == HEADLINES[2]
    assert rows[("allotment", "02")]["title_source"] == "h1"
    # One page of another source says nothing about its site's name.
    assert rows[("gazette", "00")]["title"] == f"{HEADLINES[0]} | {SITE}"
    # Posts 0 and 1 were stored before the suffix had been seen on three pages.
    assert pipeline.stats.get_value("boilerplate/titles_retitled") == 2


def page(n: int) -> str:
    """An old theme's post: the title only in <title>, the post's heading a styled <div>."""
    body = " ".join(f"Plot holders met on day {n} to talk about the season's {k} jobs." for k in range(20))
    return (
        f"<html><head><title>{HEADLINES[n]} | {SITE}</title></head><body>"
        f"<div id='banner'>{SITE}</div><div class='post'><div class='posttitle'>{HEADLINES[n]}</div>"
        f"<p>{body}</p></div></body></html>"
    )


@pytest.mark.slow
def test_a_crawl_learns_the_source_title_suffix(tmp_path: Path, sqlite_url: str) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for n in range(len(HEADLINES)):
        (site / f"post-{n}.html").write_text(page(n), encoding="utf-8")
    with FixtureServer(site) as server:
        items = "".join(
            f"<item><title>{h}</title><link>{server.base_url}post-{n}.html</link></item>"
            for n, h in enumerate(HEADLINES)
        )
        (site / "feed.xml").write_text(f"<rss version='2.0'><channel><title>x</title>{items}</channel></rss>")
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[[source]]\nname = "allotment"\nhome = "{server.base_url}"\nfeeds = ["{server.base_url}feed.xml"]\n'
            "local = true\n",
            encoding="utf-8",
        )
        result = run_scrapy("crawl", "news", "-a", f"sources={sources}", "-s", f"NEWSDEDUP_DATABASE_URL={sqlite_url}")
    assert result.returncode == 0, result.stderr[-3000:]
    titles = sorted(a["title"] for a in stored_articles(sqlite_url))
    assert titles == sorted(HEADLINES), titles
    assert "'boilerplate/titles_retitled'" in result.stderr
