"""Titles and authors read as a person reads the page: the headline it shows (not the site's
name, not a kicker, not the logo), the people its byline credits (not a label, a date, a
role or the company), and where each was read from."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from pipelines.analysis import AnalyzeConfig, analyze_page
from pipelines.names import credit_names
from pipelines.page import Extraction, ExtractRules, FetchedPage
from pipelines.titles import _LOGO_LABEL

BODY = "<p>" + "The council voted on Tuesday to extend the harbour contract for three more years. " * 6 + "</p>"


def read(head: str, body: str, url: str = "https://ledger.example/2024/05/14/harbour.html") -> Extraction:
    html = f"<html><head>{head}</head><body>{body}</body></html>".encode()
    page = FetchedPage(url, html, "text/html", datetime(2024, 6, 1, tzinfo=UTC))
    return analyze_page(page, ExtractRules(), AnalyzeConfig()).extraction


@pytest.mark.parametrize(
    ("head", "body", "title", "source"),
    [
        # The site's name behind the headline, named by og:site_name.
        (
            "<title>Harbour contract extended | The City Ledger</title>"
            '<meta property="og:site_name" content="The City Ledger">',
            f"<article>{BODY}</article>",
            "Harbour contract extended",
            "title",
        ),
        # The logo is the page's <h1>; the post's heading is the one <title> confirms.
        (
            "<title>The City Ledger » Blog Archive » Harbour contract extended</title>",
            f"<div id='header'><h1><a href='/'>The City Ledger</a></h1></div><div class='post'><h2>Harbour contract "
            f"extended</h2>{BODY}</div>",
            "Harbour contract extended",
            "h2",
        ),
        # Movable Type's "Blog: Entry" title, the entry in h3.entry-header.
        (
            "<title>Harbour Notes: Harbour contract extended</title>",
            f"<div id='banner'><h1><a href='/'>Harbour Notes</a></h1></div>"
            f"<h3 class='entry-header'>Harbour contract extended</h3>{BODY}",
            "Harbour contract extended",
            "entry-header",
        ),
        # A kicker in its own element, and a kicker line above the headline.
        (
            "<title>Hafen: Vertrag verlängert - Stadtanzeiger</title>",
            "<article><h1><span class='dachzeile'>Hafen</span> <span class='headline'>Vertrag verlängert</span></h1>"
            f"{BODY}</article>",
            "Vertrag verlängert",
            "h1",
        ),
        (
            "<title>x</title>",
            f"<article><h1 itemprop='headline'><small>Hafen</small><br>Vertrag verlängert</h1>{BODY}</article>",
            "Vertrag verlängert",
            "itemprop-headline",
        ),
    ],
)
def test_the_headline_the_page_shows(head: str, body: str, title: str, source: str) -> None:
    extraction = read(head, body)
    assert (extraction.title, extraction.title_source) == (title, source)


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Posted on March 3, 2010 by Jane Roe", ["Jane Roe"]),
        ("Von Max Muster und Erika Beispiel", ["Max Muster", "Erika Beispiel"]),
        ("05.02.2020 - Redaktion: Eberhard Fuhr (Pressesprecher)", ["Eberhard Fuhr"]),
        ("Zeige alle Beiträge von Petra Ruland", ["Petra Ruland"]),
        ("Bo2man", ["Bo2man"]),
        ("By Perry Bacon Jr.", ["Perry Bacon Jr."]),
        ("Grant Tinsley, PhD", ["Grant Tinsley"]),
        ("HansEhrlich 17.10.2019, 13:56 Uhr", ["HansEhrlich"]),
        ("Geschrieben vonElisa Marvena", ["Elisa Marvena"]),
        # An agency or a role credited beside the writer is no person of its own.
        ("Von David Hutzler, dpa", ["David Hutzler"]),
        ("Datum: 03.11.2021 Autor: Peter Maahn/SP-X", ["Peter Maahn"]),
        ("By Jane Roe, Staff Writer", ["Jane Roe"]),
        ("Von dpa", ["dpa"]),
        ("HLNF Staff Report", ["HLNF Staff Report"]),
        ("By Staff and news service reports PUBLISHED: November 8, 2023 at 11:30 p.m.", []),
        ("Posted on", []),
        ("By", []),
        ("Archiv anzeigen →", []),
        ("Licensed CC BY", []),
    ],
)
def test_a_label_a_date_or_a_role_is_never_a_name(line: str, names: list[str]) -> None:
    assert credit_names(line) == names


def test_wordpress_classic_byline_credits_the_author_not_its_label() -> None:
    byline = (
        '<div class="entry-meta"><span class="meta-prep meta-prep-author">Posted on</span> <a href="/2024/05/14/">'
        '<span class="entry-date">May 14, 2024</span></a> <span class="meta-sep">by</span> <span class="author vcard">'
        '<a class="url fn n" href="/author/jroe/" title="View all posts by Jane Roe">Jane Roe</a></span></div>'
    )
    extraction = read(
        "<title>Harbour contract extended | Ledger</title>", f"<h1>Harbour contract extended</h1>{byline}{BODY}"
    )
    assert (extraction.authors, extraction.authors_source) == (["Jane Roe"], "hcard")


def test_a_company_credited_beside_people_is_not_an_author() -> None:
    jsonld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbour contract extended",'
        ' "author": [{"@type": "Person", "name": "Jane Roe"}, {"@type": "Person", "name": "John Doe"},'
        ' {"@type": "Organization", "name": "Ledger Media GmbH"}]}</script>'
    )
    extraction = read(jsonld, f"<h1>Harbour contract extended</h1><p>By Jane Roe and John Doe</p>{BODY}")
    assert (extraction.authors, extraction.authors_source) == (["Jane Roe", "John Doe"], "json-ld")


def test_every_author_the_byline_lists_where_the_metadata_lists_the_first() -> None:
    jsonld = (
        '<script type="application/ld+json">'
        '{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Jane Roe"}}</script>'
    )
    byline = "<div class='byline'>Von Jane Roe, John Doe</div>"
    extraction = read(jsonld, f"<article><h1>Vertrag verlängert</h1>{byline}{BODY}</article>")
    assert (extraction.authors, extraction.authors_source) == (["Jane Roe", "John Doe"], "byline")


def test_an_account_name_gives_way_to_the_byline() -> None:
    jsonld = '<script type="application/ld+json">{"@type": "Article", "author": {"name": "jane.roe"}}</script>'
    byline = "<p class='article__author'>Von <a href='/autor/jane-roe'>Jane Roe</a> | Politik</p>"
    extraction = read(jsonld, f"<article><h1>Vertrag verlängert</h1>{byline}{BODY}</article>")
    assert (extraction.authors, extraction.authors_source) == (["Jane Roe"], "byline")


def test_a_widget_names_no_author() -> None:
    widget = "<aside class='widget widget_recent_comments'><h3>Recent comments</h3><p>By Sven Aalto</p></aside>"
    extraction = read("<title>Harbour contract extended</title>", f"<h1>Harbour contract extended</h1>{BODY}{widget}")
    assert extraction.authors == []


# The logo test as it was written for one class or id token at a time.
LOGO_TOKEN = re.compile(
    r"^(?:logo|site-?title|site-?name|site-?logo|blog-?title|blog-?name|branding|site-branding|brand|masthead|"
    r"header-title|blogtitle|blogname|banner-title|navbar-brand)$|(?:^|[-_])logo(?:$|[-_])",
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    "labels",
    [
        "site-logo",
        "header logo-wrap",
        "nav_logo",
        "logos",
        "catalogo",
        "Site-Title",
        "site-title-wrap",
        "brand",
        "brand-new",
        "navbar navbar-brand\tsticky",
        "a\u00a0logo",
        "x-logo_y big",
        "logo-",
        "-logo",
        "masthead\nblogname",
        "no-logo-here but",
        "",
        " ",
        "mylogo logotype",
    ],
)
def test_the_logo_test_reads_every_token_in_one_search(labels: str) -> None:
    for value in (labels, f"{labels} header", f"wrap {labels}"):
        assert bool(_LOGO_LABEL.search(value)) == any(LOGO_TOKEN.search(t) for t in value.split()), value
