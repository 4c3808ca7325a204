"""Shared pieces of the comment parsers: the raw record, XPath helpers, text of a comment."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement


def _token_test(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def has_class(name: str) -> str:
    """XPath predicate: the element's class list contains ``name`` (a whole token).

    The token test builds a string for every element it is asked of; a plain contains()
    first leaves it to the few elements whose class holds the name at all (a page-wide
    //*[…] of post classes: 4.7 ms a real page without, 2.0 with)."""
    return f"(contains(@class, '{name}') and {_token_test(name)})"


def any_class(*names: str) -> str:
    """XPath predicate: the element's class list holds one of ``names`` (whole tokens)."""
    cheap = " or ".join(f"contains(@class, '{name}')" for name in names)
    return f"(({cheap}) and ({' or '.join(_token_test(name) for name in names)}))"


_SECTION_CLASSES = (
    "commentlist",
    "comment-list",
    "comments",
    "comment-thread",
    "comments-body",
    "comment-respond",
    "comments-post",
    "comment-body",
    "comment-footer",
)
# Set on the blocks of a thread the structural fallback read (and the heading naming
# it), so main-text extraction prunes them: their author and date lines are no article
# text either.
THREAD_MARK = "data-newsdedup-thread"
# Elements found by an attribute are found from the attribute up: libxml2 walks the
# page's id (or class) attributes far faster than it tests every element for one (the
# comment sections, the marked thread and the engine widgets: 1.5 ms a real page as one
# element test, 0.8 ms so).
THREAD_XPATH = f"//@{THREAD_MARK}/parent::*"
# ol#commentlist: the WordPress Classic theme and the themes copied from it.
_SECTION_IDS = ("comments", "comment-section", "respond", "disqus_thread", "comments-block", "commentlist")
# Whole comment sections, removed before main-text extraction (pipelines.extract).
COMMENT_SECTION_XPATH = (
    f"//@id[{' or '.join(f'.={name!r}' for name in _SECTION_IDS)}]/parent::*"
    f" | //@class[contains(., 'comment')]/parent::*[{any_class(*_SECTION_CLASSES)}]"
    " | //@itemtype[contains(., 'schema.org/Comment') or contains(., 'schema.org/UserComments')]/parent::*"
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
        *("toolbar", "report"),
        # Words for screen readers only ("In reply to … by NAME"), not the comment's.
        *("visually-hidden", "sr-only", "screen-reader-text", "element-invisible"),
    )
    # Share buttons ("share_buttons_box", Jetpack's "sharedaddy") name no token of their own.
    + " or contains(@class, 'edited') or contains(@class, 'share')]"
    " | .//script | .//style | .//form | .//img | .//noscript | .//button"
)
_BLOCKS = ".//*[self::p or self::pre or self::li or self::blockquote or self::h3 or self::h4 or self::h5]"
_SHORT_BOX = 80
# Elements that start a line of their own, wherever they sit: text between them (a bare
# text node in a comment's div beside a <p> title) is a line too, not lost.
_LINE_TAGS = frozenset(
    {
        *("p", "div", "li", "pre", "blockquote", "dd", "dt", "tr", "td", "th", "table", "ul", "ol", "dl"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "aside", "address"),
        *("figure", "figcaption", "main", "nav", "form"),
    }
)


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
    # A machine-readable time (ISO 8601, or epoch milliseconds) when the markup has one.
    machine_date: str | None = None
    site_id: str | None = None
    parent_index: int | None = None


def squash(text: str | None) -> str:
    return " ".join((text or "").split())


def block_text(element: HtmlElement) -> str:
    """The lines of ``element``: paragraphs, quotes and list items, and the text beside
    them (a reply after the quote it answers), each block and ``<br>`` breaking a line.

    When the comment has paragraphs, a short box outside them (a "Reply · Flag" footer,
    a "Posts: 2,955" cell) is its toolbar, not its words; a long one (a text div beside
    a paragraph-styled title) is words. Mutates ``element``: callers pass a copy.
    """
    candidates = element.xpath(_BLOCKS)
    inside = set(candidates)
    blocks = {b for b in candidates if not any(a in inside for a in b.iterancestors())}
    if blocks:
        _drop_short_boxes(element, blocks)
    for node in element.iter():
        if node is element or not isinstance(node.tag, str):
            continue
        if node.tag == "br":
            node.tail = "\n" + (node.tail or "")
        elif node.tag in _LINE_TAGS:
            node.text = "\n" + (node.text or "")
            node.tail = "\n" + (node.tail or "")
    lines = (squash(line) for line in element.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _drop_short_boxes(node: HtmlElement, blocks: set[HtmlElement]) -> None:
    for child in list(node):
        if not isinstance(child.tag, str) or child in blocks:
            continue
        if any(d in blocks for d in child.iterdescendants()):
            _drop_short_boxes(child, blocks)
        elif child.tag in _LINE_TAGS and len(squash(child.text_content())) < _SHORT_BOX:
            child.drop_tree()


def without(element: HtmlElement, *xpaths: str, chrome: bool = True) -> HtmlElement:
    """A copy of ``element`` with the given sub-elements (and comment chrome) removed."""
    clone = copy.deepcopy(element)
    remove = (CHROME_XPATH, *xpaths) if chrome else xpaths
    if not remove:
        return clone
    for node in clone.xpath(" | ".join(remove)):
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


_DATE_NOISE = re.compile(
    r"\([^)]*\)|\b(?:permalink|reply|report|link|edited|posted|on)\b|[|·•▲▼]|^\W+|\W+$", re.IGNORECASE
)
_HAS_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
_RELATIVE = re.compile(r"\bago\b|yesterday|today|just now", re.IGNORECASE)


def clean_date_text(text: str) -> str:
    """A visible date line without its neighbours: '(edited)', 'Permalink | Report', '·'."""
    return squash(_DATE_NOISE.sub(" ", text))


def complete_date(text: str) -> bool:
    """Says when on its own: has a year, or is relative to now ("3 days ago")."""
    return bool(_HAS_YEAR.search(text) or _RELATIVE.search(text))


def date_like(text: str) -> bool:
    """Could be a date line: a digit or a relative word, and short."""
    cleaned = clean_date_text(text)
    return 0 < len(cleaned) <= 60 and (any(ch.isdigit() for ch in cleaned) or bool(_RELATIVE.search(cleaned)))


def first_date_text(element: HtmlElement, *xpaths: str) -> str | None:
    """The first text that reads like a date (skipping "Permalink" links), trying the
    XPaths in order of preference."""
    for xpath in xpaths:
        for node in element.xpath(xpath):
            text = squash(node if isinstance(node, str) else node.text_content())
            if date_like(text):
                return text
    return None


_MARK = "data-newsdedup-drop"


def without_nodes(element: HtmlElement, nodes: list[HtmlElement], *xpaths: str, chrome: bool = True) -> HtmlElement:
    """A copy of ``element`` without ``nodes`` (elements of the original), chrome and ``xpaths``."""
    for node in nodes:
        node.set(_MARK, "")
    try:
        return without(element, f".//*[@{_MARK}]", *xpaths, chrome=chrome)
    finally:
        for node in nodes:
            del node.attrib[_MARK]


def date_lines(container: HtmlElement, skip: HtmlElement | None = None) -> list[HtmlElement]:
    """Short elements of ``container`` (outside ``skip``) whose text reads like a date."""
    lines: list[HtmlElement] = []
    for element in container.iter("*"):
        if not isinstance(element.tag, str) or element is container or element.tag in ("blockquote", "a"):
            continue
        if skip is not None and (element is skip or skip in element.iterancestors()):
            continue
        text = squash(element.text_content())
        if (
            len(text) <= 80
            and date_like(text)
            and not any(line in element.iterancestors() for line in lines)
            and not element.xpath(".//*[self::p or self::div or self::li]")
        ):
            lines.append(element)
    return lines
