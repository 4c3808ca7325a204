"""Which pages are stored as articles, and how their bytes are decoded: pages shaped like
a small local news site's (about page, section page, article with related-post teasers)
and like saved real pages (a server warning before <html>, mislabelled charsets)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.analysis import AnalyzeConfig, analyze_page
from pipelines.errors import EmptyBody, NotAnArticle
from pipelines.html import decode_html
from pipelines.page import ExtractRules, FetchedPage

FETCHED = datetime(2024, 12, 20, tzinfo=UTC)
NAV = '<nav><a href="/">Home</a> <a href="/section/latest.html">Latest</a> <a href="/about.html">About</a></nav>'
FOOTER = "<footer><p>© 2024 The Riverside Ledger. All rights reserved.</p></footer>"
STORY = (
    "<p>The county board approved the new bridge budget on Monday after a four-hour hearing in which "
    "residents argued about the cost of the river crossing and the closure of the old ferry landing.</p>"
    "<p>Construction is expected to begin in the spring, and the board said it would publish the full "
    "contract once the state transport office has reviewed the bids from the three remaining firms.</p>"
    "<p>Several farmers told the board that the detour during construction would add an hour to their "
    "daily trips to the grain elevator, and asked for a temporary crossing to be built first.</p>"
)


def page(html: str, url: str = "https://ledger.example/2024/05/14/bridge-budget.html", ctype: str | None = None):
    body = html.encode() if isinstance(html, str) else html
    return FetchedPage(url, body, ctype or "text/html; charset=utf-8", FETCHED)


def analyze(fetched: FetchedPage):
    return analyze_page(fetched, ExtractRules(), AnalyzeConfig())


def teaser(n: int, excerpt: str = "A short summary of the story in one sentence for the teaser.") -> str:
    link = f'<a href="/2024/05/1{n}/story-{n}.html">Story number {n} headline</a>'
    return f'<article class="post"><h2>{link}</h2><p>{excerpt}</p></article>'


def test_article_declaring_og_website_with_related_teasers_is_stored() -> None:
    # og:type "website" is what many CMSs declare on every page, articles included.
    html = (
        '<html><head><meta property="og:type" content="website"><title>Bridge budget approved</title></head><body>'
        f"{NAV}<main><article class='post'><h1>Bridge budget approved</h1>{STORY}</article>"
        f"<aside><h3>Related</h3>{teaser(1)}{teaser(2)}{teaser(3)}</aside></main>{FOOTER}</body></html>"
    )
    extraction = analyze(page(html)).extraction
    assert "four-hour hearing" in extraction.text


def test_about_page_is_not_an_article() -> None:
    html = (
        f"<html><head><title>About us</title></head><body>{NAV}<main><h1>About the Ledger</h1>"
        "<p>The Riverside Ledger has covered the county since 1921. Our newsroom of six reporters publishes "
        "local news every weekday, and our editors answer to readers, not to advertisers. Write to us at the "
        "address below; we read every letter and publish corrections promptly.</p></main>"
        f"{FOOTER}</body></html>"
    )
    with pytest.raises(NotAnArticle, match="site page"):
        analyze(page(html, url="https://ledger.example/about.html"))


def test_section_page_of_headline_links_is_not_an_article() -> None:
    items = "".join(
        f'<li><a href="/2024/05/{10 + n}/story-{n}.html">County news story number {n} with a long headline</a>'
        f"<p>Summary {n}.</p></li>"
        for n in range(8)
    )
    main = f"<main><h1>Latest news</h1><ul>{items}</ul></main>"
    html = f"<html><head><title>Latest</title></head><body>{NAV}{main}{FOOTER}</body></html>"
    with pytest.raises(NotAnArticle):
        analyze(page(html, url="https://ledger.example/section/latest.html"))


def test_front_page_of_full_posts_is_a_listing() -> None:
    posts = "".join(
        f'<div class="post"><h2><a href="/2024/05/1{n}/p{n}.html">Post {n}</a></h2>'
        f"<p>Post {n} of the week.</p>{STORY.replace('board', f'board {n}')}</div>"
        for n in range(3)
    )
    html = f"<html><head><title>Blog</title></head><body>{NAV}<div id='main'>{posts}</div>{FOOTER}</body></html>"
    with pytest.raises(NotAnArticle, match="listing of 3 posts"):
        analyze(page(html, url="https://ledger.example/"))


def test_short_post_is_stored_when_the_page_declares_an_article() -> None:
    short = "<p>Road closed tomorrow between 9 and 5 for the parade. Plan your trips around it.</p>"
    declared = (
        f'<html><head><meta property="og:type" content="article"></head><body><article>{short}</article></body></html>'
    )
    assert "parade" in analyze(page(declared)).extraction.text
    with pytest.raises(EmptyBody):
        analyze(page(f"<html><body><article>{short}</article></body></html>"))


def test_saved_page_with_a_server_warning_before_the_html_is_read() -> None:
    html = (
        "<br />\n<b>Warning</b>:  mysql_get_server_info(): Access denied in <b>/var/www/x.php</b>"
        " on line <b>3</b><br />\n"
        f"<!DOCTYPE html><html><head><title>Bridge</title></head><body><article>{STORY}</article></body></html>"
    )
    saved = FetchedPage("file:///saved/bridge.html", html.encode(), None, FETCHED)
    assert "four-hour hearing" in analyze(saved).extraction.text


def test_windows_1252_bytes_served_as_utf8_are_decoded_not_replaced() -> None:
    text = "Café owners in Zürich said the “new rules” were naïve — and the façade stays."
    html = f"<html><head><meta charset='utf-8'></head><body><article><p>{text}</p>{STORY}</article></body></html>"
    extraction = analyze(page(html.encode("cp1252"))).extraction
    assert "\ufffd" not in extraction.text
    assert text in extraction.text


def test_utf8_page_with_pasted_windows_1252_bytes_keeps_both() -> None:
    body = "<p>Grüße aus Köln, schön war’s.</p>".encode() + "<p>Ärger über die Brücke – „zu teuer“.</p>".encode(
        "cp1252"
    )
    decoded = decode_html(body, "text/html; charset=utf-8")
    assert "Grüße aus Köln, schön war’s." in decoded
    assert "Ärger über die Brücke – „zu teuer“." in decoded


def test_genuine_replacement_characters_are_left_alone() -> None:
    body = "<p>A page that really prints \ufffd in its text.</p>".encode()
    assert "\ufffd" in decode_html(body, "text/html; charset=utf-8")
