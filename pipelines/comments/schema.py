"""schema.org comments: Comment / UserComments microdata, and Comment objects in JSON-LD."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from pipelines.comments.markup import RawComment, block_text, nearest, owned_by, squash, without
from pipelines.declarations import declarations

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_ITEMS = "//*[@itemscope][contains(@itemtype, 'schema.org/Comment') or contains(@itemtype, 'schema.org/UserComments')]"


def _prop(item: HtmlElement, index: dict[HtmlElement, int], *names: str) -> list[HtmlElement]:
    wanted = " or ".join(f"@itemprop='{name}'" for name in names)
    return [node for node in item.xpath(f".//*[{wanted}]") if owned_by(node, item, index)]


def _value(node: HtmlElement) -> str | None:
    return squash(node.get("datetime") or node.get("content") or node.text_content()) or None


def microdata(tree: HtmlElement) -> list[RawComment]:
    """itemtype=schema.org/Comment (author/dateCreated/text) or the older UserComments
    (creator/commentTime/commentText); replies nest inside their parent's item."""
    items = tree.xpath(_ITEMS)
    index = {item: i for i, item in enumerate(items)}
    # Themes put the item in an <li> and the replies in a list beside it (WordPress
    # Genesis): the thread nests the <li>s, not the items.
    threads = {_thread_node(item): i for i, item in enumerate(items)}
    comments = []
    for item in items:
        authors = _prop(item, index, "author", "creator")
        names = [n for a in authors for n in a.xpath("descendant-or-self::*[@itemprop='name']")]
        dates = _prop(item, index, "dateCreated", "datePublished", "commentTime", "dateModified")
        texts = _prop(item, index, "text", "commentText")
        text = "\n".join(block_text(without(t)) for t in texts)
        urls = [
            u
            for a in authors
            for u in a.xpath("descendant-or-self::*[@itemprop='url']/@href | descendant-or-self::a/@href")
        ]
        comments.append(
            RawComment(
                text=text,
                author=_value(names[0]) if names else (_value(authors[0]) if authors else None),
                author_url=urls[0] if urls else None,
                date_text=_value(dates[0]) if dates else None,
                site_id=item.get("id") or item.get("itemid"),
                parent_index=nearest(item, index)
                if nearest(item, index) is not None
                else nearest(_thread_node(item), threads),
            )
        )
    return comments


def _thread_node(item: HtmlElement) -> HtmlElement:
    parent = item.getparent()
    return parent if parent is not None and parent.tag == "li" else item


def _plain(text: str) -> str:
    """JSON-LD text often carries HTML entities and tags: plain lines only."""
    text = html.unescape(re.sub(r"<br\s*/?>|</p>", "\n", text))
    return "\n".join(squash(line) for line in re.sub(r"<[^>]+>", "", text).splitlines() if line.strip())


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value else []


def _is_comment(node: Any) -> bool:
    return isinstance(node, dict) and "Comment" in {str(t).split("/")[-1] for t in _as_list(node.get("@type"))}


def jsonld(tree: HtmlElement) -> list[RawComment]:
    """Comment objects in application/ld+json: the page's "comment" arrays, depth first."""
    comments: list[RawComment] = []

    def visit(node: Any, parent: int | None) -> None:
        if isinstance(node, list):
            for child in node:
                visit(child, parent)
            return
        if not isinstance(node, dict):
            return
        here = parent
        if _is_comment(node):
            author = (_as_list(node.get("author")) or [None])[0]
            name = author.get("name") if isinstance(author, dict) else author
            comments.append(
                RawComment(
                    text=_plain(str(node.get("text", ""))),
                    author=squash(str(name)) if name else None,
                    author_url=author.get("url") if isinstance(author, dict) else None,
                    date_text=node.get("dateCreated") or node.get("datePublished"),
                    site_id=node.get("@id") or node.get("identifier") or node.get("url"),
                    parent_index=parent,
                )
            )
            note_parent_ref(node)
            here = len(comments) - 1
        for key, value in node.items():
            if key in ("comment", "@graph", "mainEntity", "hasPart"):
                visit(value, here if key == "comment" else parent)

    parents: dict[int, str] = {}

    def note_parent_ref(node: Any) -> None:
        # Flat lists say who they reply to with "parentItem": {"@id": …}.
        ref = node.get("parentItem") if isinstance(node, dict) else None
        if isinstance(ref, dict) and ref.get("@id"):
            parents[len(comments) - 1] = ref["@id"]

    for data in declarations(tree).json_ld_documents:
        visit(data, None)
    by_id = {c.site_id: i for i, c in enumerate(comments) if c.site_id}
    for i, ref in parents.items():
        comments[i].parent_index = by_id.get(ref, comments[i].parent_index)
    return comments
