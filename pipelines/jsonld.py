"""The schema.org JSON-LD a page declares, read once and flattened into its nodes.

Titles, credits, page kinds and publication times all read these statements; a page's
``<script type="application/ld+json">`` blocks nest them in lists, ``@graph`` (Yoast,
Rank Math) and ``mainEntity``. Invalid JSON says nothing and is skipped.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from pipelines.declarations import declarations

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Nodes these keys hold are statements about the page too; ``author`` and ``publisher``
# are read where they sit (a node's own credit), not flattened into the list.
_NESTED = ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement", "hasPart")
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
        "scholarlyarticle",
        "techarticle",
        "recipe",
        "review",
    }
)


def json_ld_documents(tree: HtmlElement) -> list[Any]:
    """The page's JSON-LD blocks, parsed, in page order (read once: the page kind and the
    nodes below both walk them)."""
    return declarations(tree).json_ld_documents


def json_ld_nodes(tree: HtmlElement, documents: list[Any] | None = None) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page, in page order, nested graphs flattened
    (``documents``: json_ld_documents() already read)."""
    nodes: list[dict[str, Any]] = []
    for data in json_ld_documents(tree) if documents is None else documents:
        stack: list[Any] = [data]
        while stack:
            node = stack.pop(0)
            if isinstance(node, list):
                stack[:0] = node
            elif isinstance(node, dict):
                nodes.append(node)
                stack.extend(node[key] for key in _NESTED if isinstance(node.get(key), (dict, list)))
    return nodes


def node_types(node: dict[str, Any]) -> set[str]:
    """The node's @type values, lower case."""
    kind = node.get("@type")
    return {k.lower() for k in ([kind] if isinstance(kind, str) else kind or []) if isinstance(k, str)}


def is_article(node: dict[str, Any]) -> bool:
    return bool(node_types(node) & ARTICLE_TYPES)


def text_value(value: Any) -> str | None:
    """A plain string from a JSON-LD value (a string, or an object with a name)."""
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list) and value:
        return text_value(value[0])
    # Some CMSs write HTML entities into their JSON ("&#8216;").
    if isinstance(value, str) and (text := " ".join(html.unescape(value).split())):
        return text
    return None
