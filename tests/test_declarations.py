"""pipelines/declarations.py: one walk of the page answers what each reader's XPath over
the whole tree answered, in the same order, on every fixture page and on awkward markup."""

from __future__ import annotations

import json

import pytest
from lxml.html import HtmlElement

from pipelines.bylines import _CREDIT_CLASS, _credit_elements
from pipelines.comments.markup import any_class
from pipelines.declarations import declarations
from pipelines.html import parse_page
from pipelines.pagekind import _post_blocks
from pipelines.published import published_time
from tests.conftest import FIXTURES

PAGES = sorted(FIXTURES.rglob("*.html"))

# The XPaths the readers ran before, and the same question put to the declarations.
QUESTIONS = {
    "og:type": (
        "//meta[@property='og:type']/@content",
        lambda d: d.meta_content(properties=("og:type",)),
    ),
    "og:title": (
        "//meta[@property='og:title' or @name='og:title']/@content",
        lambda d: d.meta_content(properties=("og:title",), names=("og:title",)),
    ),
    "site name": (
        "//meta[@property='og:site_name' or @name='og:site_name' or @name='twitter:site']/@content",
        lambda d: d.meta_content(properties=("og:site_name",), names=("og:site_name", "twitter:site")),
    ),
    "canonical": ("//link[@rel='canonical']/@href", lambda d: d.link_href("canonical")),
    "titles": ("//title[not(ancestor::svg)]", lambda d: d.titles),
    "json-ld": ("//script[@type='application/ld+json']/text()", lambda d: d.json_ld_texts),
}

# Declarations where an XPath and a Python reading could part: an empty content, a second
# og:title, an SVG icon's <title> before the page's, a <title> in the body, an empty and a
# whitespace-only JSON-LD block, a relative canonical link, the rel in another case.
AWKWARD = b"""<html><head>
<meta property="og:title" content=""><meta name="og:title" content="Second">
<meta property="og:type"><meta property="og:type" content="Article ">
<link rel="Canonical" href="https://example.org/other"><link rel="canonical" href="/relative">
<script type="application/ld+json"></script><script type="application/ld+json">  </script>
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "H"}</script>
<script type="application/json">{"not": "ld"}</script>
</head><body><svg><title>Icon</title></svg><title>In the body</title><p>Text</p>
<meta name="twitter:site" content="@site"></body></html>"""


# Class lists a token test can get wrong: a name inside a longer token, tabs and line
# breaks between tokens, an <article> without a class, nested post blocks.
POSTS = b"""<html><body>
<div class="posts-list"><article><h2><a href="/a">A</a></h2></article>
<div class="hentry\tpost\nfeatured"><h2><a href="/b">B</a></h2><div class="entry"><p>x</p></div></div>
<div class="blog-posting"><p>not a post class</p></div><section class=" story "><p>y</p></section>
<span class="Post">capitals are another name</span></div></body></html>"""


def tree_of(body: bytes) -> HtmlElement:
    tree = parse_page(body, "text/html", "https://example.org/a", 10_000_000)
    assert tree is not None
    return tree


CASES = [
    *(pytest.param(path.read_bytes(), id=str(path.relative_to(FIXTURES))) for path in PAGES),
    pytest.param(AWKWARD, id="awkward"),
]


@pytest.mark.parametrize("body", CASES)
def test_declarations_answer_as_the_xpaths_did(body: bytes) -> None:
    tree = tree_of(body)
    for name, (xpath, question) in QUESTIONS.items():
        assert question(declarations(tree)) == tree.xpath(xpath), name


def test_awkward_declarations_read_in_page_order() -> None:
    tree = tree_of(AWKWARD)
    found = declarations(tree)
    assert found.meta_content(properties=("og:title",), names=("og:title",)) == ["", "Second"]
    assert [t.text for t in found.titles] == ["In the body"]
    # The blocks that are no JSON are left out; the one that is, parsed once for every reader.
    assert found.json_ld_documents == [{"@type": "NewsArticle", "headline": "H"}]
    assert declarations(tree.find("body")) is found  # any element of the page: the page's
    assert json.dumps(found.json_ld_documents)  # plain data, shared read-only


def test_dublin_core_names_read_as_the_capitals_fold() -> None:
    body = b"""<html><head><meta name="DC.Date.Issued" content="2024-03-05T10:00:00Z">
    </head><body><article><h1>Headline</h1><p>Text of the article.</p></article></body></html>"""
    tree = tree_of(body)
    published, source = published_time(tree, "https://example.org/a", None, "UTC")
    assert (published.isoformat() if published else None, source) == ("2024-03-05T10:00:00+00:00", "dublin-core")


def test_a_new_page_is_read_anew() -> None:
    first = declarations(tree_of(b"<html><head><title>One</title></head><body><p>x</p></body></html>"))
    second = declarations(tree_of(b"<html><head><title>Two</title></head><body><p>x</p></body></html>"))
    assert [t.text for t in first.titles] == ["One"] and [t.text for t in second.titles] == ["Two"]


@pytest.mark.parametrize("body", CASES)
def test_credit_elements_from_the_labels_are_the_body_walks(body: bytes) -> None:
    """The byline reader's candidates, taken from the page's labels, are those a walk over
    every element of the body finds by its attributes."""
    tree = tree_of(body)
    scope = tree.find("body")
    walked = [
        element
        for element in (scope if scope is not None else tree).iterdescendants("*")
        if element.get("itemprop") == "author"
        or "author" in (element.get("rel") or "")
        or _CREDIT_CLASS.search(element.get("class") or "")
        or "author" in (element.get("id") or "")
    ]
    assert list(_credit_elements(tree)) == walked


@pytest.mark.parametrize("body", [*CASES, pytest.param(POSTS, id="post-classes")])
def test_post_blocks_are_the_class_xpaths(body: bytes) -> None:
    """The page-kind check's post blocks, by class tokens tested in Python, are what an
    XPath testing each element's class list finds, in page order."""
    tree = tree_of(body)
    names = ("hentry", "post", "teaser", "entry", "blogbody", "blog-post", "date-outer", "story")
    assert _post_blocks(tree) == tree.xpath(f"//article | //*[{any_class(*names)}]")
