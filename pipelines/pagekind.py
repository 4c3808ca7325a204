"""Is a page one article, or a listing of several (front, archive, tag page)?"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
        "report",
    }
)
LISTING_TYPES = frozenset({"website", "collectionpage", "itemlist", "searchresultspage", "profilepage", "blog"})
# Post containers of common engines (WordPress/hAtom, Movable Type, Minx, Blogger, news
# CMSs): several of them with linked headings are teasers, so a front, archive or tag page.
_POST_CLASSES = ("hentry", "post", "teaser", "entry", "blogbody", "blog-post", "date-outer", "story")
_POST_BLOCKS = (
    "//article | //*["
    + " or ".join(f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')" for name in _POST_CLASSES)
    + "]"
)
_HEADED_LINK = ".//*[self::h1 or self::h2 or self::h3][.//a[@href]]"


def declared_types(tree: HtmlElement) -> set[str]:
    """Page types the page declares about itself: og:type and JSON-LD @type."""
    types = {t.strip().lower() for t in tree.xpath("//meta[@property='og:type']/@content")}
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except ValueError:
            continue
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


def listing_reason(tree: HtmlElement) -> str | None:
    """Why the page looks like a listing rather than one article, or None."""
    declared = declared_types(tree)
    if declared & ARTICLE_TYPES:
        return None
    if declared & LISTING_TYPES:
        return f"declares itself a {'/'.join(sorted(declared & LISTING_TYPES))} page"
    teasers = [block for block in tree.xpath(_POST_BLOCKS) if block.xpath(_HEADED_LINK)]
    # Nested matches (an <article class="post">) count once.
    outer = [b for b in teasers if not any(a in teasers for a in b.iterancestors())]
    if len(outer) >= 2:
        return f"listing of {len(outer)} posts"
    return None
