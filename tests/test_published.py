"""Publication times: the page's own metadata to the minute, in its zone; the URL's date
only as a fallback or a cross-check; the stored row says where the time came from."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.analysis import AnalyzeConfig, analyze_page
from pipelines.items import ArticleItem
from pipelines.page import ExtractRules, FetchedPage
from pipelines.write import store_article
from storage.db import make_engine, migrate, session_scope
from storage.models import Article

FETCHED = datetime(2024, 12, 20, tzinfo=UTC)
DATED = "https://daily.example/2024/05/14/council-extends-contract/"
BODY = (
    "<p>"
    + (
        "The council voted on Tuesday to extend the contract for another three years, despite objections "
        "from residents who had packed the chamber to argue that the process was rushed and opaque. "
    )
    * 3
    + "</p>"
)


def extract(head: str, url: str = DATED, byline: str = "", timezone: str = "UTC"):
    html = f"<html><head><title>Council</title>{head}</head><body><article>{byline}{BODY}</article></body></html>"
    page = FetchedPage(url, html.encode(), "text/html; charset=utf-8", FETCHED)
    return page, analyze_page(page, ExtractRules(timezone=timezone), AnalyzeConfig()).extraction


def test_a_dated_url_and_a_full_published_time_store_that_time(tmp_path) -> None:
    head = '<meta property="article:published_time" content="2024-05-14T16:42:00+02:00">'
    page, extraction = extract(head)
    item = ArticleItem(url=page.url, body=page.body, fetched_at=FETCHED, extraction=extraction)
    engine = make_engine(f"sqlite:///{tmp_path / 'published.db'}", writer=True)
    migrate(engine)
    with session_scope(engine) as session:
        store_article(session, item, None)
    with session_scope(engine) as session:
        article = session.query(Article).one()
        # Not midnight from the URL: the minute the page states, in its zone (14:42 UTC).
        assert article.published_at == datetime(2024, 5, 14, 14, 42, tzinfo=UTC)
        assert article.published_source == "article:published_time"
    engine.dispose()


def test_only_a_url_date_is_that_day_in_the_sites_zone() -> None:
    _, extraction = extract("", timezone="America/New_York")
    assert extraction.published_at == datetime(2024, 5, 14, 4, 0, tzinfo=UTC)
    assert extraction.published_source == "url"


@pytest.mark.parametrize(
    ("head", "byline", "source", "expected"),
    [
        (
            '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "WebSite"},'
            ' {"@type": "NewsArticle", "datePublished": "2024-05-14T09:05:00-04:00"}]}</script>',
            "",
            "json-ld",
            datetime(2024, 5, 14, 13, 5, tzinfo=UTC),
        ),
        (
            "",
            '<span itemprop="datePublished" content="2024-05-14T09:05:00+01:00">May 14</span>',
            "microdata",
            datetime(2024, 5, 14, 8, 5, tzinfo=UTC),
        ),
        (
            '<meta name="DC.date.issued" content="2024-05-14T09:05:00Z">',
            "",
            "dublin-core",
            datetime(2024, 5, 14, 9, 5, tzinfo=UTC),
        ),
        ("", '<time datetime="2024-05-14T09:05">May 14, 9:05</time>', "time", datetime(2024, 5, 14, 9, 5, tzinfo=UTC)),
    ],
)
def test_every_kind_of_page_metadata_gives_the_minute(head, byline, source, expected) -> None:
    _, extraction = extract(head, byline=byline)
    assert (extraction.published_at, extraction.published_source) == (expected, source)


def test_conflicting_url_and_page_dates() -> None:
    # The page's metadata is its own word, and the disagreement is recorded.
    head = '<meta property="article:published_time" content="2024-03-02T10:00:00Z">'
    _, extraction = extract(head)
    assert extraction.published_at == datetime(2024, 3, 2, 10, 0, tzinfo=UTC)
    assert extraction.published_source == "article:published_time; URL date 2024-05-14 differs"
    # A bare <time> far from the URL's day may be another article's: the URL's date wins.
    _, extraction = extract("", byline='<time datetime="2023-01-09T10:00:00Z">Jan 9</time>')
    assert (extraction.published_at, extraction.published_source) == (datetime(2024, 5, 14, tzinfo=UTC), "url")
    # A time late in the evening of the URL's day in another zone is the same day.
    head = '<meta property="article:published_time" content="2024-05-13T23:30:00-07:00">'
    _, extraction = extract(head)
    assert extraction.published_at == datetime(2024, 5, 14, 6, 30, tzinfo=UTC)
    assert extraction.published_source == "article:published_time"


def test_a_bare_date_in_the_metadata_is_refined_only_by_a_time_on_that_day() -> None:
    head = '<meta property="article:published_time" content="2024-05-14">'
    _, extraction = extract(head, byline='<time datetime="2024-05-14T11:20:00Z">11:20</time>')
    assert (extraction.published_at, extraction.published_source) == (datetime(2024, 5, 14, 11, 20, tzinfo=UTC), "time")
    _, extraction = extract(head, byline='<time datetime="2023-02-01T11:20:00Z">another item</time>')
    assert extraction.published_at == datetime(2024, 5, 14, tzinfo=UTC)
    assert extraction.published_source == "article:published_time"


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("Posted on 3. Mai 2014 von Jane Roe", datetime(2014, 5, 3, tzinfo=UTC)),
        ("05.02.2020 - Redaktion: Eberhard Fuhr", datetime(2020, 2, 5, tzinfo=UTC)),
        ("By Cara Stiles | April 13, 2020", datetime(2020, 4, 13, tzinfo=UTC)),
    ],
)
def test_without_metadata_the_date_printed_under_the_headline_counts(line: str, day: datetime) -> None:
    """No statement in the metadata, no date in the URL: the date a reader sees under the
    headline, not htmldate's guess, and not a related post's date further down."""
    related = "<aside class='related-posts'><p>Older post, 01.01.2009</p></aside>"
    _, extraction = extract("", url="https://daily.example/council/", byline=f"<h1>Council</h1><p>{line}</p>{related}")
    assert (extraction.published_at, extraction.published_source) == (day, "shown")
