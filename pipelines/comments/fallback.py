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

from pipelines.comments.markup import RawComment, block_text, squash, without
from pipelines.dates import parse_page_date

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_SECTION_WORDS = ("comment", "repl", "discuss", "respon", "feedback", "reader")
_NOT_SECTION = re.compile(r"respond|reply-title|comment-form|commentform|reply-form|count|link", re.IGNORECASE)
_DATE_HINT = re.compile(r"\d|\bago\b|yesterday|today|just now", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+[·•|—–-]\s+")
SHORT = 80
_NOT_COMMENT_TAGS = ("script", "style", "form", "br", "input", "label", "textarea", "button", "select", "option")
_FORM_FIELDS = ".//input | .//textarea | .//select"


def _sections(tree: HtmlElement) -> list[HtmlElement]:
    found = []
    for element in tree.iter("*"):
        if not isinstance(element.tag, str) or element.tag in ("form", "a", "span", "script", "input", "textarea"):
            continue
        label = f"{element.get('id', '')} {element.get('class', '')}".lower()
        if (
            any(word in label for word in _SECTION_WORDS)
            and not _NOT_SECTION.search(label)
            and not any(ancestor in found for ancestor in element.iterancestors())
        ):
            found.append(element)
    return found


def _repeated_blocks(section: HtmlElement) -> list[HtmlElement]:
    """The largest group of same-shaped sibling elements with text, anywhere in the section."""
    best: list[HtmlElement] = []
    for parent in section.iter("*"):
        if parent.tag == "form" or any(a.tag == "form" for a in parent.iterancestors()):
            continue  # the comment form's fields repeat too
        groups: dict[tuple[str, str], list[HtmlElement]] = defaultdict(list)
        for child in parent:
            if isinstance(child.tag, str) and child.tag not in _NOT_COMMENT_TAGS and not child.xpath(_FORM_FIELDS):
                groups[(child.tag, child.get("class", ""))].append(child)
        for group in groups.values():
            if len(group) >= 2 and sum(len(squash(g.text_content())) for g in group) > sum(
                len(squash(b.text_content())) for b in best
            ):
                best = group
    return best


def _short_lines(block: HtmlElement) -> list[tuple[HtmlElement, str]]:
    lines = []
    for element in block.iter("*"):
        if not isinstance(element.tag, str) or element is block:
            continue
        text = squash(element.text_content())
        if (
            text
            and len(text) <= SHORT
            and not element.xpath(".//p")
            and element.tag not in ("p", "blockquote")
            and not any(e is element.getparent() for e, _ in lines)
        ):
            lines.append((element, text))
    return lines


def _looks_like_date(text: str) -> bool:
    return bool(_DATE_HINT.search(text)) and parse_page_date(text, timezone="UTC", now=datetime.now(UTC)) is not None


def _read_block(block: HtmlElement) -> RawComment:
    author = date = None
    used: list[HtmlElement] = []
    for element, text in _short_lines(block):
        parts = _SEPARATORS.split(text)
        if len(parts) == 2 and author is None and date is None and _looks_like_date(parts[1]):
            author, date = parts
        elif date is None and (element.tag == "time" or _looks_like_date(text)):
            date = element.get("datetime") or text
        elif author is None and len(text) <= 60:
            author = text
        else:
            continue
        used.append(element)
    # Mark the author and date lines so the copy the text is read from can drop them.
    for element in used:
        element.set("data-newsdedup-meta", "")
    body = without(block, ".//*[@data-newsdedup-meta]")
    for element in used:
        del element.attrib["data-newsdedup-meta"]
    return RawComment(text=block_text(body), author=author, date_text=date, site_id=block.get("id"))


def structural(tree: HtmlElement) -> list[RawComment]:
    for section in _sections(tree):
        blocks = _repeated_blocks(section)
        if blocks:
            return [_read_block(block) for block in blocks]
    return []
