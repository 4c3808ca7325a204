"""When no known markup matches: comments found by the shape of the comment section.

A comment section (an element whose id or class names comments, replies or a
discussion) usually repeats one block per comment. A group of same-shaped siblings in it
is read as comments only with evidence of a thread: nearly every block carries a time
or a marked-up author (a class or itemprop naming the author or user, a <cite>, a
profile link), and the thread shows a time or a comment form / count somewhere. Article
paragraphs, link lists and teaser rows carry neither, so they stay in the body: a lost
comment costs less than a lost article. Records found this way are marked ``fallback``.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from lxml.etree import XPath

from pipelines.comments.markup import (
    THREAD_MARK,
    RawComment,
    block_text,
    clean_date_text,
    date_like,
    squash,
    without_nodes,
)
from pipelines.dates import parse_page_date

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# One id/class token names a comment section: "comments", "comment-list", "kommentare",
# "comentarios", "discussion", "replies", "talkback". Tokens, not substrings of the whole
# attribute: "wp-embed-responsive" on <body> is not a section of responses.
_SECTION_TOKEN = re.compile(
    r"comment|komment|coment|discussion|disqus|^replies$|talkback|leserbrief|reactions", re.IGNORECASE
)
# Tokens of things about comments that are not the thread: counters, links, forms,
# toggles, the "Recent comments" widget, a comment's own parts.
_NOT_SECTION = re.compile(
    r"respond|reply-title|form|count|number|link|closed|open|toggle|button|btn|icon|rss|feed|widget|recent|latest"
    r"|popular|most|meta|author|date|avatar|share|polic|rule|guideline|login|show|^has-|^no-|hidden|header|title"
    r"|aktuell|neueste",
    re.IGNORECASE,
)
_NOT_SECTION_TAGS = frozenset({"html", "body", "main", "form", "a", "span", "p", "script", "input", "textarea", "img"})
_SEPARATORS = re.compile(r"\s+[·•|—–-]\s+")
SHORT = 80
_NOT_COMMENT_TAGS = ("script", "style", "form", "br", "input", "label", "textarea", "button", "select", "option")
# A block of one of these is words (a paragraph, a heading, a link), never a whole comment.
_WORD_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "span", "a", "b", "i", "em", "strong", "small", "img"})
_FORM_FIELDS = ".//input | .//textarea | .//select"
_AUTHOR_LABEL = re.compile(r"author|user|name|nick|poster|member|commenter|autor|^fn$|^by$|byline", re.IGNORECASE)
_NOT_AUTHOR_LABEL = re.compile(r"avatar|img|photo|pic|url|link|reply", re.IGNORECASE)
_PROFILE_LINK = re.compile(r"/(?:users?|members?|profiles?|authors?|u|community/profile)/", re.IGNORECASE)
_TIME_LABEL = re.compile(r"date|time|ago|posted|when|datum|zeit|fecha", re.IGNORECASE)
# Links of a comment's toolbar, never its author.
_ACTIONS = frozenset(
    {
        *("reply", "antworten", "répondre", "responder", "rispondi", "report", "melden", "alerter"),
        *("signaler", "like", "permalink", "share", "quote", "zitieren"),
    }
)
_WORDS = re.compile(r"\w")
MIN_SHARE_WITH_EVIDENCE = 0.8
# Blocks averaging more text than this are page regions, not comments.
MAX_BLOCK_CHARS = 6000
_HEAD, _TAIL = 10, 4
_GROUPS_TRIED = 6
_SECTIONS_TRIED = 8

# Every id and class value of the page, in document order: reading the attribute values
# and testing them in Python costs 0.3 ms on a 90 KB page, against 2–4 ms for a Python
# loop over its elements or a case-folding XPath predicate.
_LABELS = XPath("//@id | //@class")
_HEADINGS = XPath("//h2 | //h3 | //h4")
_COMMENT_HEADING = re.compile(
    r"^\W*(?:\d+|one|ein|un)?\s*(?:comments?|kommentare?|commentaires?|comentarios?|responses?|replies"
    r"|reader comments|leserkommentare|antworten)\b",
    re.IGNORECASE,
)


def _tokens(element: HtmlElement) -> list[str]:
    return [*element.get("class", "").split(), *element.get("id", "").split()]


def _is_section(element: HtmlElement) -> bool:
    if element.tag in _NOT_SECTION_TAGS:
        return False
    tokens = _tokens(element)
    named = [t for t in tokens if _SECTION_TOKEN.search(t)]
    # The section must not hold the article itself: its heading is outside.
    return bool(named) and not any(_NOT_SECTION.search(t) for t in named) and not element.xpath(".//h1")


def _sections(tree: HtmlElement) -> list[tuple[HtmlElement, HtmlElement | None]]:
    """Sections that may hold the thread, with the heading that names them (or None):
    elements whose id/class names a comment section, in page order (outer ones before
    inner ones), then the boxes under a "Comments" heading (a thread migrated into the
    post body, a theme without labels)."""
    found: list[HtmlElement] = []
    for value in _LABELS(tree):
        element = value.getparent()
        if (found and found[-1] is element) or not _SECTION_TOKEN.search(value):
            continue
        if _is_section(element):
            found.append(element)
    named: list[tuple[HtmlElement, HtmlElement | None]] = [(element, None) for element in found[:_SECTIONS_TRIED]]
    for heading in _HEADINGS(tree):
        parent = heading.getparent()
        if parent is not None and _COMMENT_HEADING.match(squash(heading.text_content())) and not parent.xpath(".//h1"):
            named.append((parent, heading))
    return named


# Classes that alternate, count or name the commenter (odd/even, thread-alt, depth-2,
# comment-author-jane, comment-by-anonymous): two comments differ in them, not in kind.
_ZEBRA = re.compile(
    r"^(?:odd|even|alt|first|last|parent|highlight|bypostauthor|byuser|thread-\w+|comment-author-.+|comment-by-.+)$"
)


def _shape(element: HtmlElement) -> tuple[str, str]:
    """Tag and first class, past the ones that alternate or count (odd/even, depth-2): themes
    add state classes after the kind (xenforo-comment xenforo-read-more-target)."""
    classes = [c for c in element.get("class", "").split() if not _ZEBRA.match(c) and not any(ch.isdigit() for ch in c)]
    return element.tag, classes[0] if classes else ""


def _groups(section: HtmlElement) -> list[list[HtmlElement]]:
    """Groups of same-shaped sibling elements with text, largest text first: two or more,
    or one that names itself a comment (a thread of one)."""
    found: list[tuple[int, list[HtmlElement]]] = []
    for parent in section.iter("*"):
        if parent.tag == "form" or any(a.tag == "form" for a in parent.iterancestors()):
            continue  # the comment form's fields repeat too
        groups: dict[tuple[str, str], list[HtmlElement]] = defaultdict(list)
        for child in parent:
            if isinstance(child.tag, str) and child.tag not in _NOT_COMMENT_TAGS and child.tag not in _WORD_TAGS:
                groups[_shape(child)].append(child)
        for same in groups.values():
            group = [g for g in same if not g.xpath(_FORM_FIELDS)]
            size = sum(len(squash(g.text_content())) for g in group)
            if size and (len(group) >= 2 or _names_comment(group[0])):
                found.append((size, group))
    return [group for _, group in sorted(found, key=lambda pair: -pair[0])]


_ONE_COMMENT = re.compile(r"(?:li-|div-)?(?:comment|kommentar)(?:[-_]?\d+|[-_]item|[-_]entry)?$", re.IGNORECASE)


def _names_comment(element: HtmlElement) -> bool:
    """One comment's own box: li#comment-12, div.comment, article.kommentar-item."""
    return any(_ONE_COMMENT.match(token) for token in _tokens(element))


def _with_answer(block: HtmlElement) -> HtmlElement:
    """A <dt> header and its <dd> text (definition-list threads) as one block."""
    answer = block.getnext()
    if block.tag != "dt" or answer is None or answer.tag != "dd":
        return block
    pair = block.makeelement("div", {})
    pair.extend([copy.deepcopy(block), copy.deepcopy(answer)])
    return pair


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


def _labeled_author(element: HtmlElement, text: str) -> bool:
    """Marked up as a person: a class/itemprop naming the author or user, <cite>, a profile link."""
    if len(text) > 60:
        return False  # (a date line was taken as the time before this is asked)
    for node in (element, *element.iterancestors()):
        labels = [*_tokens(node), node.get("itemprop", "")]
        if node.tag == "cite" or (node.tag == "a" and _PROFILE_LINK.search(node.get("href", ""))):
            return True
        if any(_AUTHOR_LABEL.search(t) and not _NOT_AUTHOR_LABEL.search(t) for t in labels if t):
            return True
        if node.tag in ("li", "article", "tr") or node.get("id"):
            return False  # labels above the comment's own box say nothing about this line
    return False


def _time_line(element: HtmlElement, text: str) -> str | None:
    """The line's date when it reads as one: <time>, or a short date-like text that parses."""
    if element.tag == "time":
        return element.get("datetime") or text
    if date_like(text) and _parses(text):
        return text
    return None


def _read_block(block: HtmlElement) -> tuple[RawComment, int]:
    """The comment in ``block``, and how much evidence it carries: a time, a labeled author (0–2)."""
    author = date = None
    author_node: HtmlElement | None = None
    labeled = False
    used: list[HtmlElement] = []
    lines = _short_lines(block)
    # A comment's author and time sit in its header or footer: a few lines at either end.
    for element, text in lines if len(lines) <= _HEAD + _TAIL else lines[:_HEAD] + lines[-_TAIL:]:
        parts = _SEPARATORS.split(text.strip(" —–-"))
        if len(parts) == 2 and author is None and date is None and date_like(parts[1]) and _parses(parts[1]):
            author, date = _name(parts[0]), parts[1]  # "— NAME · 19 March 2008, 08:32"
        elif element.tag in ("p", "blockquote") and not (element.get("class") or element.get("id")):
            continue  # a short paragraph is words of the comment ("Ha! Called it."), unless labeled
        elif date is None and (found := _time_line(element, text)):
            date = found
        elif not labeled and _labeled_author(element, text):
            if author_node is not None:
                used.remove(author_node)  # a marked-up name beats the first short line
            author, author_node, labeled = _name(text), element, True
        elif author is None and len(text) <= 60 and not date_like(text) and text.lower() not in _ACTIONS:
            author, author_node = _name(text), element
        else:
            continue
        used.append(element)
    # Separators left between the name and the date ("NAME · DATE" in one paragraph).
    text = "\n".join(line for line in block_text(without_nodes(block, used)).split("\n") if _WORDS.search(line))
    comment = RawComment(text=text, author=author, date_text=date, site_id=block.get("id"))
    return comment, (date is not None) + labeled if text else 0


# The shape of a date or time, checked before dateparser: without a language it tries every
# locale, half a second for a string that is no date ("5 Kommentare", "ARD 1").
_DATE_SHAPE = re.compile(
    r"\d{1,2}\s*[./-]\s*\d{1,2}|\b\d{4}\b|\d{1,2}[:h]\d{2}|\bago\b|\bvor\b|yesterday|today|gestern|heute|il y a"
    r"|\bhace\b|\btemu\b|\bfa\b|\d+\s*(?:min|hour|day|week|month|year|std|stunde|tag|woche|monat|jahr)",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def _parses(text: str) -> bool:
    if not _DATE_SHAPE.search(text):
        return False
    return parse_page_date(clean_date_text(text), timezone="UTC", now=datetime.now(UTC)) is not None


def _thread(section: HtmlElement) -> tuple[list[RawComment], list[HtmlElement]]:
    """The comments of the first group in ``section`` that shows the evidence of a thread:
    most blocks with a time or a labeled author; a lone block (which names itself a
    comment, see _groups) with one of them."""
    for group in _groups(section)[:_GROUPS_TRIED]:
        if sum(len(squash(block.text_content())) for block in group) > MAX_BLOCK_CHARS * len(group):
            continue  # whole page regions, not comments (and costly to read line by line)
        allowed_misses = int(len(group) * (1 - MIN_SHARE_WITH_EVIDENCE))
        read: list[tuple[RawComment, int]] = []
        for block in group:
            read.append(_read_block(_with_answer(block)))
            if sum(evidence == 0 for _, evidence in read) > allowed_misses:
                break
        else:
            return [comment for comment, _ in read], group
    return [], []


def structural(tree: HtmlElement) -> list[RawComment]:
    """Comments of the first comment section with a readable thread, or none.

    Marks the thread's blocks (and the heading that named it) with THREAD_MARK.
    """
    # An outer section that fails can hold the real thread deeper down: inner ones are
    # tried too, a few at most (each try parses dates).
    for section, heading in _sections(tree):
        comments, blocks = _thread(section)
        if comments:
            for element in [*blocks, *([heading] if heading is not None else [])]:
                element.set(THREAD_MARK, "")
            return comments
    return []
