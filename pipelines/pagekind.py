"""Is a page one article, or something else with text on it: a listing of several posts
(front, archive, tag, section page), or one of a site's own pages (about, contact,
privacy)?

Decided from the page's own signals after extraction, so the main text can be weighed:
what the page declares (og:type, schema.org @type), where its main text sits (one post,
or spread over several teasers), how much of it is headline links, and what its URL
names. Any doubt keeps the page: a wrongly skipped article is lost, a stored about page
only costs a row.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from lxml.etree import XPath

from pipelines.declarations import declarations
from pipelines.jsonld import json_ld_documents

if TYPE_CHECKING:
    from collections.abc import Callable

    from lxml.html import HtmlElement

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "liveblogposting",
        "socialmediaposting",
        "discussionforumposting",
        "report",
    }
)
# Only types that say "this page lists things". og:type "website" and schema.org WebSite
# are not among them: most CMSs declare them on every page, articles included (Yoast's
# @graph has a WebSite node on each post).
LISTING_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage", "profilepage", "profile"})
# Post containers of common engines (WordPress/hAtom, Movable Type, Minx, Blogger, news
# CMSs): several of them with linked headings are teasers, so a front, archive or tag page.
_POST_CLASSES = frozenset({"hentry", "post", "teaser", "entry", "blogbody", "blog-post", "date-outer", "story"})
# <article>s and elements with a class, whose tokens are tested in Python: an XPath
# predicate testing every element's class for each name cost ~4 ms a real page.
_CLASSED_OR_ARTICLE = XPath("//*[self::article or @class]")
# The whitespace XPath's normalize-space() splits a class list on.
_CLASS_SPACE = re.compile(r"[ \t\r\n]+")
# The links of a post block's headings; one that links within the page (a forum post's
# "#p30112", or phpBB 3.3's "./viewtopic.php?p=30112#p30112" permalink) is no teaser.
_HEADING_LINKS = ".//*[self::h1 or self::h2 or self::h3]//a/@href"
# A teaser this long is a whole post: two more of them beside the one the extractor took
# make a front page of full posts.
FULL_POST_CHARS = 600
# The last path segment of a site's own pages (English and German: the languages of the
# seed sites and of most of the real-page set), with or without an extension.
_SITE_PAGE = re.compile(
    r"(?:about|about[-_]us|contact|contact[-_]us|imprint|impressum|kontakt|privacy|privacy[-_]policy|"
    r"datenschutz|datenschutzerklaerung|terms|terms[-_]of[-_](?:use|service)|legal|cookies?|cookie[-_]policy|"
    r"disclaimer|ueber[-_]uns|uber[-_]uns)(?:\.\w+)?",
    re.IGNORECASE,
)
_MIN_LINE_CHARS = 20


def declared_types(tree: HtmlElement, documents: list[Any] | None = None) -> set[str]:
    """Page types the page declares about itself: og:type and JSON-LD @type
    (``documents``: pipelines.jsonld.json_ld_documents() already read)."""
    types = {t.strip().lower() for t in declarations(tree).meta_content(properties=("og:type",))}
    for data in json_ld_documents(tree) if documents is None else documents:
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                kind = node.get("@type")
                types.update(k.lower() for k in ([kind] if isinstance(kind, str) else kind or []) if isinstance(k, str))
                stack.extend(node.get("@graph", []))
    return types


def _fold(text: str) -> str:
    return " ".join(text.split())


def _lines(text: str) -> list[str]:
    return [line for line in map(_fold, text.split("\n")) if len(line) >= _MIN_LINE_CHARS]


def _post_blocks(tree: HtmlElement) -> list[HtmlElement]:
    """The page's <article>s and the elements one of whose class tokens is a post's, in page order."""
    return [
        element
        for element in _CLASSED_OR_ARTICLE(tree)
        if element.tag == "article" or not _POST_CLASSES.isdisjoint(_CLASS_SPACE.split(element.get("class", "")))
    ]


def _teaser_reason(tree: HtmlElement, lines: list[str]) -> str | None:
    """Several post blocks with linked headings, and the main text is theirs."""
    ids: set[str] | None = None

    def links_elsewhere(block: HtmlElement) -> bool:
        nonlocal ids
        for href in block.xpath(_HEADING_LINKS):
            fragment = href.partition("#")[2]
            if not fragment:
                return True
            ids = set(tree.xpath("//@id")) if ids is None else ids
            if fragment not in ids:
                return True
        return False

    teasers = [block for block in _post_blocks(tree) if links_elsewhere(block)]
    # Nested matches (an <article class="post">) count once.
    found = set(teasers)
    outer = [b for b in teasers if not any(a in found for a in b.iterancestors())]
    if len(outer) < 2:
        return None
    texts = [_fold(block.text_content()) for block in outer]
    holders = [next((i for i, t in enumerate(texts) if line in t), None) for line in lines]
    inside = sum(len(line) for line, holder in zip(lines, holders, strict=True) if holder is not None)
    if not lines or inside * 2 < sum(map(len, lines)):
        return None  # the main text is the page's own, beside some teasers (related posts)
    held = set(holders) - {None}
    other_full_posts = sum(len(t) >= FULL_POST_CHARS for i, t in enumerate(texts) if i not in held)
    # Text spread over several teasers, or one post taken from a page of whole posts.
    if len(held) >= 2 or other_full_posts >= 2:
        return f"listing of {len(outer)} posts"
    return None


def _headline_reason(tree: HtmlElement, lines: list[str]) -> str | None:
    """A section page without post markup: most of its main text is links to other pages."""
    anchors = {text for a in tree.xpath("//body//a[@href]") if len(text := _fold(a.text_content())) >= 15}
    # A headline with its one-line summary is still mostly its link.
    linked = [line for line in lines if any(len(a) * 2 >= len(line) and a in line for a in anchors)]
    if len(linked) >= 3 and sum(map(len, linked)) * 2 >= sum(map(len, lines)):
        return f"section page: {len(linked)} of its {len(lines)} text lines are links to other pages"
    return None


def _site_page_reason(url: str) -> str | None:
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if segments and _SITE_PAGE.fullmatch(segments[-1]):
        return f"a site page ({segments[-1]}), not an article"
    return None


def not_article_reason(
    tree: HtmlElement, url: str, text: str, declared: set[str], *, bylined: Callable[[], bool] = lambda: False
) -> str | None:
    """Why the page is not one article, or None. ``text`` is its extracted main text,
    ``declared`` its declared_types(); ``bylined()``: the page names an author and a date
    (an article's strongest own signal; asked only when nothing stronger decides)."""
    if declared & ARTICLE_TYPES:
        return None
    if listing := declared & LISTING_TYPES:
        return f"declares itself a {'/'.join(sorted(listing))} page"
    lines = _lines(text)
    if reason := _teaser_reason(tree, lines):
        return reason
    reason = _site_page_reason(url) or _headline_reason(tree, lines)
    return None if reason and bylined() else reason
