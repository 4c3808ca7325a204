"""Shared pieces of the comment parsers: the raw record, XPath helpers, text of a comment."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement


def has_class(name: str) -> str:
    """XPath predicate: the element's class list contains ``name`` (a whole token)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def any_class(*names: str) -> str:
    return " or ".join(has_class(name) for name in names)


# Whole comment sections, removed before main-text extraction.
COMMENT_SECTION_XPATHS: tuple[str, ...] = (
    "//*[@id='comments' or @id='comment-section' or @id='respond' or @id='disqus_thread' or @id='comments-block']",
    f"//*[{any_class('commentlist', 'comment-list', 'comments', 'comment-thread', 'comments-body')}]",
    f"//*[{any_class('comment-respond', 'comments-post', 'comment-body', 'comment-footer')}]",
    "//*[@itemtype and (contains(@itemtype, 'schema.org/Comment') or contains(@itemtype, 'schema.org/UserComments'))]",
)
# Chrome inside a comment that is not its words: author and date lines, reply and vote
# links, avatars, the "(edited)" badge.
CHROME_XPATH = (
    ".//*["
    + any_class(
        "comment-author",
        "comment-meta",
        "commentmetadata",
        "comment-metadata",
        "reply",
        "says",
        "comments-post",
        "comment-footer",
        "comment-header",
        "comment-actions",
        "comment-reply",
        "votes",
        "vote",
        "comment-votes",
        "edited",
        "avatar",
        "comment-awaiting-moderation",
    )
    + "] | .//script | .//style | .//form | .//img | .//noscript | .//button"
)
_BLOCKS = ".//*[self::p or self::pre or self::li or self::h3 or self::h4 or self::h5]"


@dataclass(slots=True)
class RawComment:
    """A comment as found in the markup, before its date is parsed.

    ``parent_index`` is the index, in the same parser's result list, of the comment
    this one replies to.
    """

    text: str
    author: str | None = None
    author_url: str | None = None
    date_text: str | None = None
    site_id: str | None = None
    parent_index: int | None = None


def squash(text: str | None) -> str:
    return " ".join((text or "").split())


def block_text(element: HtmlElement) -> str:
    """Paragraphs of ``element`` joined by newlines (quoted blocks included).

    ``<br><br>`` inside one block (old engines' idea of paragraphs) also breaks lines.
    Mutates ``element``: callers pass a copy.
    """
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    candidates = element.xpath(_BLOCKS)
    inside = set(candidates)
    # Outermost blocks only: a <p> inside a quoted <li> is part of that item's line.
    blocks = [b for b in candidates if not any(a in inside for a in b.iterancestors())] or [element]
    lines = (squash(line) for block in blocks for line in block.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def without(element: HtmlElement, *xpaths: str) -> HtmlElement:
    """A copy of ``element`` with comment chrome and the given sub-elements removed."""
    clone = copy.deepcopy(element)
    for node in clone.xpath(" | ".join((CHROME_XPATH, *xpaths))):
        if node.getparent() is not None:
            node.drop_tree()
    return clone


def first_text(element: HtmlElement, xpath: str) -> str | None:
    """The first non-empty text (or attribute value) an XPath selects under ``element``."""
    for node in element.xpath(xpath):
        if text := squash(node if isinstance(node, str) else node.text_content()):
            return text
    return None


def nearest(element: HtmlElement, items: dict[HtmlElement, int]) -> int | None:
    """Index of the closest ancestor of ``element`` that is one of ``items`` (its parent comment)."""
    return next((items[a] for a in element.iterancestors() if a in items), None)


def owned_by(node: HtmlElement, item: HtmlElement, items: dict[HtmlElement, int]) -> bool:
    """``node`` belongs to ``item`` itself, not to a reply nested inside it."""
    owner = next((a for a in node.iterancestors() if a in items), None)
    return owner is item
