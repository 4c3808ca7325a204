"""When no known markup matches: comments found by the shape of the comment section.

A comment section (an element whose id or class speaks of comments, replies or
discussion) usually repeats one block per comment. The largest group of same-shaped
siblings in it are the comments; in each, a short line that reads as a date is the
time, the first other short line the author, and the rest the text. Records found this
way are marked ``fallback``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from lxml.etree import XPath

from pipelines.comments.markup import RawComment, block_text, clean_date_text, date_like, squash, without_nodes
from pipelines.dates import parse_page_date

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_SECTION_WORDS = ("comment", "repl", "discuss", "respon", "feedback", "reader")
_NOT_SECTION = re.compile(r"respond|reply-title|comment-form|commentform|reply-form|count|link", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+[·•|—–-]\s+")
SHORT = 80
_NOT_COMMENT_TAGS = ("script", "style", "form", "br", "input", "label", "textarea", "button", "select", "option")
_FORM_FIELDS = ".//input | .//textarea | .//select"


# Every id and class value of the page, in document order: reading the attribute values
# and testing them in Python costs 0.3 ms on a 90 KB page, against 2–4 ms for a Python
# loop over its elements or a case-folding XPath predicate.
_LABELS = XPath("//@id | //@class")


def _sections(tree: HtmlElement) -> list[HtmlElement]:
    found: list[HtmlElement] = []
    for value in _LABELS(tree):
        element = value.getparent()
        if not any(word in value.lower() for word in _SECTION_WORDS) or (found and found[-1] is element):
            continue
        if element.tag in ("form", "a", "span", "script", "input", "textarea"):
            continue
        label = f"{element.get('id', '')} {element.get('class', '')}".lower()
        if not _NOT_SECTION.search(label) and not any(ancestor in found for ancestor in element.iterancestors()):
            found.append(element)
    return found


_ZEBRA = frozenset({"odd", "even", "alt", "first", "last", "parent", "highlight", "bypostauthor", "byuser"})


def _shape(element: HtmlElement) -> tuple[str, str]:
    """Tag and classes, without the ones that alternate or count (odd/even, depth-2)."""
    classes = (c for c in element.get("class", "").split() if c not in _ZEBRA and not any(ch.isdigit() for ch in c))
    return element.tag, " ".join(sorted(classes))


def _repeated_blocks(section: HtmlElement) -> list[HtmlElement]:
    """The largest group of same-shaped sibling elements with text, anywhere in the section."""
    best: list[HtmlElement] = []
    for parent in section.iter("*"):
        if parent.tag == "form" or any(a.tag == "form" for a in parent.iterancestors()):
            continue  # the comment form's fields repeat too
        groups: dict[tuple[str, str], list[HtmlElement]] = defaultdict(list)
        for child in parent:
            if isinstance(child.tag, str) and child.tag not in _NOT_COMMENT_TAGS and not child.xpath(_FORM_FIELDS):
                groups[_shape(child)].append(child)
        for group in groups.values():
            if len(group) >= 2 and sum(len(squash(g.text_content())) for g in group) > sum(
                len(squash(b.text_content())) for b in best
            ):
                best = group
    return best


def _short_lines(block: HtmlElement) -> list[tuple[HtmlElement, str]]:
    """Leaf elements with a short text, in page order: the candidates for author and date."""
    lines = []
    for element in block.iter("*"):
        if not isinstance(element.tag, str) or element is block or element.tag in ("script", "style", "br"):
            continue
        text = squash(element.text_content())
        has_text_children = any(squash(child.text_content()) for child in element if isinstance(child.tag, str))
        if text and len(text) <= SHORT and not has_text_children:
            lines.append((element, text))
    return lines


def _name(text: str) -> str:
    return text.strip(" —–-~:").strip()


def _read_block(block: HtmlElement) -> RawComment:
    author = date = None
    used: list[HtmlElement] = []
    for element, text in _short_lines(block):
        parts = _SEPARATORS.split(text.strip(" —–-"))
        if len(parts) == 2 and author is None and date is None and date_like(parts[1]) and _parses(parts[1]):
            author, date = _name(parts[0]), parts[1]  # "— NAME · 19 March 2008, 08:32"
        elif element.tag in ("p", "blockquote"):
            continue  # a short paragraph is words of the comment ("Ha! Called it.")
        elif date is None and (element.tag == "time" or (date_like(text) and _parses(text))):
            date = element.get("datetime") or text
        elif author is None and len(text) <= 60 and not date_like(text):
            author = _name(text)
        else:
            continue
        used.append(element)
    text = block_text(without_nodes(block, used))
    return RawComment(text=text, author=author, date_text=date, site_id=block.get("id"))


def _parses(text: str) -> bool:
    return parse_page_date(clean_date_text(text), timezone="UTC", now=datetime.now(UTC)) is not None


def structural(tree: HtmlElement) -> list[RawComment]:
    for section in _sections(tree):
        blocks = _repeated_blocks(section)
        if blocks:
            return [_read_block(block) for block in blocks]
    return []
