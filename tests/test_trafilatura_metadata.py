"""pipelines/trafilatura_metadata.py against the installed trafilatura: PageMetadata reads
trafilatura.metadata's own functions, so every field must come out as the public
``trafilatura.extract_metadata`` gives it, and the costly guesses only when asked for."""

from __future__ import annotations

from pathlib import Path

import pytest
import trafilatura

from pipelines.html import parse_page, read_page
from pipelines.trafilatura_metadata import DATE_PARAMS, PageMetadata
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


@pytest.mark.parametrize("path", PAGES, ids=lambda path: str(path.relative_to(FIXTURES)))
def test_every_field_is_trafilaturas(path: Path) -> None:
    same_as_trafilatura(path.read_bytes(), f"https://example.org/{path.stem}/")


@pytest.mark.parametrize("links", [b"", LINKED], ids=["section meta only", "category and tag links"])
def test_categories_and_tags_with_and_without_their_links(links: bytes) -> None:
    """Without a /category/ or /tag/ path in the markup the link XPaths are not run; the
    categories are then the section meta tags, as trafilatura gives them."""
    same_as_trafilatura(SECTIONED % links, "https://news.example/rates-held")


def test_the_author_and_date_guesses_wait_until_asked() -> None:
    """A page whose credit and date newsdedup reads itself never pays for trafilatura's."""
    page = (
        b"<html><head><title>Ferries back on - Harbour News</title></head><body><article>"
        b"<h1>Ferries back on</h1><p class='byline'>By Jane Roe</p>"
        b"<p>The harbour ferries run again from Monday, the port said on Friday.</p></article></body></html>"
    )
    metadata = PageMetadata(parse_page(page, "text/html", "https://news.example/ferries", 10_000), "https://news.example/ferries")
    assert "author" not in vars(metadata) and "date" not in vars(metadata)
    assert metadata.author == "Jane Roe"
    assert "author" in vars(metadata) and "date" not in vars(metadata)
