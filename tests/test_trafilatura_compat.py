"""pipelines/trafilatura_compat.py against the installed trafilatura: parse_markup must build
the tree ``trafilatura.load_html`` builds, and PageMetadata give every field as the public
``trafilatura.extract_metadata`` gives it (the costly guesses only when asked for)."""

from __future__ import annotations

from pathlib import Path

import pytest
import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from pipelines.html import parse_page, read_page
from pipelines.trafilatura_compat import DATE_PARAMS, PageMetadata, parse_markup
from tests.conftest import FIXTURES

PAGES = sorted(FIXTURES.rglob("*.html"))
FIELDS = ("title", "author", "date", "sitename", "description", "categories", "tags")
SECTIONED = (
    b"<html><head><title>Rates held</title><meta property='article:section' content='Economy &amp; Markets'>"
    b"<meta name='dc.subject' content='Central banks'></head><body><article><h1>Rates held</h1>"
    b"<p>The central bank held its rates on Thursday.</p></article>%s</body></html>"
)
LINKED = b"<div class='entry-meta'><a href='/category/economy/'>Economy</a> <a href='/tag/rates/'>rates</a></div>"


def same_as_trafilatura(body: bytes, url: str) -> None:
    tree, markup = read_page(body, "text/html", url, 10_000_000)
    ours = PageMetadata(tree, url, markup)
    theirs = trafilatura.extract_metadata(tree, url, dict(DATE_PARAMS))
    assert {field: getattr(ours, field) for field in FIELDS} == {field: getattr(theirs, field) for field in FIELDS}


# What load_html repairs or refuses: a doctype line that makes libxml2 drop the body, a
# self-closing <html/>, characters invalid in XML, an encoding declaration in a string,
# a fragment, plain text, nothing.
AWKWARD = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN">\n<html><body><p>Doctype line</p></body></html>',
    '<html xmlns="http://www.w3.org/1999/xhtml"/>\n<head><title>t</title></head><body><p>Self-closing</p></body>',
    "<html><body><p>Bell \x07 and form feed \x0c</p></body></html>",
    '<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>Declared</p></body></html>',
    "<p>Only a paragraph</p>",
    "Just some words, no markup",
    "",
)


def serialized(tree: HtmlElement | None) -> bytes | None:
    return None if tree is None else etree.tostring(tree, encoding="utf-8")


MARKUPS = [
    *(pytest.param(path.read_text("utf-8", "replace"), id=str(path.relative_to(FIXTURES))) for path in PAGES),
    *(pytest.param(markup, id=f"awkward-{n}") for n, markup in enumerate(AWKWARD)),
]


@pytest.mark.parametrize("markup", MARKUPS)
def test_parse_markup_builds_load_htmls_tree(markup: str) -> None:
    tree = parse_markup(markup)
    assert serialized(tree) == serialized(trafilatura.load_html(markup))
    assert tree is None or all(isinstance(element, HtmlElement) for element in tree.iter(etree.Element))


@pytest.mark.parametrize("path", PAGES, ids=lambda path: str(path.relative_to(FIXTURES)))
def test_every_field_is_trafilaturas(path: Path) -> None:
    same_as_trafilatura(path.read_bytes(), f"https://example.org/{path.stem}/")


@pytest.mark.parametrize("links", [b"", LINKED], ids=["section meta only", "category and tag links"])
def test_categories_and_tags_with_and_without_their_links(links: bytes) -> None:
    """Without a /category/ or /tag/ path in the markup the link XPaths are not run; the
    categories are then the section meta tags, as trafilatura gives them."""
    same_as_trafilatura(SECTIONED % links, "https://news.example/rates-held")


# Bylines as trafilatura's author XPaths find them, one kind of markup each, and a page
# with none: the markup-word check in front of extract_author must never hide one.
BYLINES = (
    b"<a rel='author' href='/jane'>Jane Roe</a>",
    b"<span class='AuthorName'>Jane Roe</span>",
    b"<div class='byline'>Jane Roe</div>",
    b"<p class='BBL'>Jane Roe</p>",
    b"<span class='username'>jane_roe</span>",
    b"<div id='xiaobian'>Jane Roe</div>",
    b"<span class='journalist-name'>Jane Roe</span>",
    b"<p class='posted-by'>Jane Roe</p>",
    b"<div data-component='Byline'>Jane Roe</div>",
    b"<section class='screenname'>Jane Roe</section>",
    b"<AUTHOR>Jane Roe</AUTHOR>",
    b"<div><rel>me</rel>Jane Roe</div>",
    b"<span data-testid='AuthorCard'>Jane Roe</span>",
    b"<span itemprop='author name'>Jane Roe</span>",
    b"<div id='Author'>Jane Roe</div>",
    b"<p class='lede'>Jane Roe was there.</p>",
    # The word only in a link, the text or a meta tag: no byline markup.
    b"<p class='lede'>By <a href='/author/jane-roe'>Jane Roe</a>, author of the report.</p>",
    b"<p class='lede'>Jane Roe</p><meta name='author' content='jroe'>",
)


@pytest.mark.parametrize("byline", BYLINES)
def test_the_author_guess_is_trafilaturas_whatever_the_byline_markup(byline: bytes) -> None:
    page = (
        b"<html><head><title>Ferries back on</title></head><body><article><h1>Ferries back on</h1>%s"
        b"<p>The harbour ferries run again from Monday, the port said on Friday.</p></article></body></html>"
    )
    same_as_trafilatura(page % byline, "https://news.example/ferries")


def test_the_author_and_date_guesses_wait_until_asked() -> None:
    """A page whose credit and date newsdedup reads itself never pays for trafilatura's."""
    page = (
        b"<html><head><title>Ferries back on - Harbour News</title></head><body><article>"
        b"<h1>Ferries back on</h1><p class='byline'>By Jane Roe</p>"
        b"<p>The harbour ferries run again from Monday, the port said on Friday.</p></article></body></html>"
    )
    metadata = PageMetadata(
        parse_page(page, "text/html", "https://news.example/ferries", 10_000), "https://news.example/ferries"
    )
    assert "author" not in vars(metadata) and "date" not in vars(metadata)
    assert metadata.author == "Jane Roe"
    assert "author" in vars(metadata) and "date" not in vars(metadata)
