"""One block of a comment thread no parser knows, read by its shape: which short line is
its author, which its time, and what is left is its words (for the structural fallback).

A block's evidence of being a comment is a time that parses and an author the markup
labels as a person; fallback.py decides from it whether a group of blocks is a thread.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from pipelines.comments.markup import RawComment, block_text, clean_date_text, date_like, squash, without_nodes
from pipelines.dates import COMMON_DATE_LANGUAGES, parse_page_date

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_SEPARATORS = re.compile(r"\s+[·•|—–-]\s+")
_TRAILING = " ·•|—–-"
SHORT = 80
# "geschrieben von NAME am DATE", "by NAME on DATE", "NAME am DATE", "par NAME le DATE": a
# byline naming both in one line. The name is short; the date must parse (fallback checks).
_BYLINE = re.compile(
    r"^(?:(?:submitted|posted|written|geschrieben|verfasst|eingereicht|publié|écrit|scritto|escrito)\s+)?"
    r"(?:(?:by|von|par|di|da|por|door|av|de)\s+)?(?P<author>\S.{0,39}?),?\s+"
    r"(?:on|am|le|il|el|den|op|em|at|um|,)\s+(?P<date>.+)$",
    re.IGNORECASE,
)
_LABEL_WORD = re.compile(
    r"^(?:submitted|posted|written|geschrieben|verfasst|eingereicht|publié|écrit|scritto|escrito|updated"
    r"|aktualisiert|erstellt|created|\W+)$",
    re.IGNORECASE,
)
# Words naming a person in class names, ids and itemprops, in the languages of the themes met.
_AUTHOR_LABEL = re.compile(
    r"author|user|name|nick|poster|member|commenter|autor|auteur|autore|^fn$|^by$|byline|benutzer|nutzer"
    r"|utilisateur|usuario|utente|verfasser",
    re.IGNORECASE,
)
# Drupal names its fields "field--name-comment-body": the field's name, no person's.
_NOT_AUTHOR_LABEL = re.compile(r"avatar|img|photo|pic|url|link|reply|^field-+name-(?!.*(?:author|user))", re.IGNORECASE)
_PROFILE_LINK = re.compile(r"/(?:users?|members?|profiles?|authors?|u|community/profile)/", re.IGNORECASE)
# Links of a comment's toolbar, never its author.
_ACTIONS = frozenset(
    {
        *("reply", "antworten", "répondre", "responder", "rispondi", "report", "melden", "alerter"),
        *("signaler", "like", "permalink", "share", "quote", "zitieren"),
    }
)
_WORDS = re.compile(r"\w")
# A comment's author and time sit in its header or footer: a few lines at either end.
_HEAD, _TAIL = 10, 4
# The parts of a reply box inside a comment, never its author or time.
_FORM_PARTS = ".//form//* | .//button//* | .//label//* | .//select//* | .//form | .//button | .//label | .//select"
# A labeled author box longer than this holds more than the name and its badges (a theme
# that puts the comment's words inside its vcard).
_AUTHOR_BOX = 160


def tokens(element: HtmlElement) -> list[str]:
    return [*element.get("class", "").split(), *element.get("id", "").split()]


def _short_lines(block: HtmlElement) -> list[tuple[HtmlElement, str]]:
    """Leaf elements with a short text, in page order: the candidates for author and date."""
    skip = set(block.xpath(_FORM_PARTS))
    lines = []
    for element in block.iter("*"):
        if element is block or element.tag in ("script", "style", "br") or element in skip:
            continue
        text = squash(element.text_content())
        has_text_children = any(squash(child.text_content()) for child in element if isinstance(child.tag, str))
        if text and len(text) <= SHORT and not has_text_children:
            lines.append((element, text))
    return lines


def _name(text: str) -> str:
    return text.strip(" —–-~:,").strip()


def _author_label(node: HtmlElement) -> bool:
    labels = [*tokens(node), node.get("itemprop", "")]
    return any(_AUTHOR_LABEL.search(t) and not _NOT_AUTHOR_LABEL.search(t) for t in labels if t)


def _labeled_author(element: HtmlElement, text: str) -> bool:
    """Marked up as a person: a class/itemprop naming the author or user, <cite>, a profile link."""
    if len(text) > 60:
        return False  # (a date line was taken as the time before this is asked)
    for node in (element, *element.iterancestors()):
        if node.tag == "cite" or (node.tag == "a" and _PROFILE_LINK.search(node.get("href", ""))):
            return True
        if _author_label(node):
            return True
        if node.tag in ("li", "article", "tr") or node.get("id"):
            return False  # labels above the comment's own box say nothing about this line
    return False


def _author_box(element: HtmlElement, block: HtmlElement) -> HtmlElement:
    """The outermost short box around a labeled name that is labeled as the author's: with
    the name go the member's badges, join date and post count (a profile card)."""
    box = element
    for node in element.iterancestors():
        if node is block or len(squash(node.text_content())) > _AUTHOR_BOX:
            break
        if _author_label(node):
            box = node
    return box


def _time_line(element: HtmlElement, text: str) -> str | None:
    """The line's date when it reads as one: <time>, or a short date-like text that parses."""
    if element.tag == "time":
        return element.get("datetime") or text
    if date_like(text) and parses(text):
        return text
    return None


def _whole_date(element: HtmlElement, block: HtmlElement, date: str) -> tuple[HtmlElement, str]:
    """The date line around a date part: "28.09.19" and "13:39" in two spans of one line."""
    for parent in element.iterancestors():
        text = squash(" ".join(parent.itertext()))  # spans styled apart have no space between
        if parent is block or len(text) > SHORT or not (date_like(text) and parses(text)):
            break
        element, date = parent, text
    return element, date


def _signed(text: str) -> tuple[str, str] | None:
    """NAME and DATE of a signature line: "— NAME · DATE"."""
    parts = _SEPARATORS.split(text.strip(" —–-"), maxsplit=1)
    if len(parts) == 2 and not _is_date(parts[0]) and date_like(parts[1]) and parses(parts[1]):
        return _name(parts[0]), parts[1]
    return None


def _byline(text: str) -> tuple[str, str] | None:
    """NAME and DATE of a byline: "geschrieben von NAME am DATE", "NAME am DATE"."""
    match = _BYLINE.match(text)
    if not match or _LABEL_WORD.match(match.group("author")) or _is_date(match.group("author")):
        return None
    return (_name(match.group("author")), match.group("date")) if parses(match.group("date")) else None


@dataclass(slots=True)
class _Header:
    """What the short lines of one block said so far: its author and its time."""

    block: HtmlElement
    time_of: dict[HtmlElement, HtmlElement]
    author: str | None = None
    date: str | None = None
    author_node: HtmlElement | None = None
    labeled: bool = False
    used: list[HtmlElement] = field(default_factory=list)

    def read(self, element: HtmlElement, text: str) -> None:
        if element in self.time_of:
            take = self._timed(element)
        elif (take := self._dated(element, text)) is None:
            take = self._named(element, text)
        if take is not None and not any(take is u or u in take.iterancestors() for u in self.used):
            self.used.append(take)

    def _timed(self, element: HtmlElement) -> HtmlElement | None:
        if self.date is not None:
            return None
        time = self.time_of[element]
        self.date = time.get("datetime") or squash(time.text_content())
        return time

    def _dated(self, element: HtmlElement, text: str) -> HtmlElement | None:
        """The line as a time, or as a byline naming author and time ("NAME · DATE")."""
        if self.author is None and self.date is None and (pair := _signed(text)):
            self.author, self.date = pair
            return element
        if element.tag in ("p", "blockquote") and not (element.get("class") or element.get("id")):
            return None  # a short paragraph is words of the comment ("Ha! Called it."), unless labeled
        if not self.labeled and self.date is None and (pair := _byline(text)):
            self._forget_guess()  # the byline's name beats a guess (a comment's title)
            self.author, self.date = pair
            return element
        if self.date is None and not self.time_of and (found := _time_line(element, text)):
            take, self.date = _whole_date(element, self.block, found)
            return take
        return None

    def _named(self, element: HtmlElement, text: str) -> HtmlElement | None:
        if element.tag in ("p", "blockquote") and not (element.get("class") or element.get("id")):
            return None
        if not self.labeled and _labeled_author(element, text):
            self._forget_guess()  # a marked-up name beats the first short line
            box = _author_box(element, self.block)
            self.author, self.author_node, self.labeled = _name(text), box, True
            return box
        if self.author is None and len(text) <= 60 and not _is_date(text) and text.lower() not in _ACTIONS:
            self.author, self.author_node = _name(text), element
            return element
        return None

    def _forget_guess(self) -> None:
        if self.author_node is not None and self.author_node in self.used:
            self.used.remove(self.author_node)


def read_block(block: HtmlElement) -> tuple[RawComment, int]:
    """The comment in ``block``, and how much evidence it carries: a time, a labeled author (0–2)."""
    lines = _short_lines(block)
    # A machine-readable time is the comment's; a date-like text beside it is something
    # else's (the member's join date on a profile card).
    header = _Header(block, {node: time for time in block.iter("time") for node in time.iter()})
    for element, text in lines if len(lines) <= _HEAD + _TAIL else lines[:_HEAD] + lines[-_TAIL:]:
        header.read(element, text)
    # Separators left between the text and the name or the date ("TEXT – NAME", "NAME · DATE").
    lines_left = block_text(without_nodes(block, header.used)).split("\n")
    text = "\n".join(kept for line in lines_left if _WORDS.search(kept := line.rstrip(_TRAILING)))
    comment = RawComment(text=text, author=header.author, date_text=header.date, site_id=block.get("id"))
    return comment, (header.date is not None) + header.labeled if text else 0


def _is_date(text: str) -> bool:
    return date_like(text) and parses(text)


# The shape of a date or time, checked before dateparser: without a language it tries every
# locale, half a second for a string that is no date ("5 Kommentare", "ARD 1").
_DATE_SHAPE = re.compile(
    r"\d{1,2}\s*[./-]\s*\d{1,2}|\b\d{4}\b|\d{1,2}[:h]\d{2}|\bago\b|\bvor\b|yesterday|today|gestern|heute|il y a"
    r"|\bhace\b|\btemu\b|\bfa\b|\d+\s*(?:min|hour|day|week|month|year|std|stunde|tag|woche|monat|jahr)",
    re.IGNORECASE,
)


# The languages the page at hand prints its dates in (find_comments sets them per page).
_PAGE_DATE_LANGUAGES: ContextVar[tuple[str, ...]] = ContextVar("_PAGE_DATE_LANGUAGES", default=COMMON_DATE_LANGUAGES)


@contextmanager
def dates_read_in(languages: tuple[str, ...]) -> Iterator[None]:
    """Read the short date-like lines of one page in these languages only."""
    token = _PAGE_DATE_LANGUAGES.set(languages)
    try:
        yield
    finally:
        _PAGE_DATE_LANGUAGES.reset(token)


def parses(text: str) -> bool:
    return _parses_in(text, _PAGE_DATE_LANGUAGES.get())


@lru_cache(maxsize=4096)
def _parses_in(text: str, languages: tuple[str, ...]) -> bool:
    if not _DATE_SHAPE.search(text):
        return False
    # Whether a line is a date does not depend on the hour: the day as the base keeps one
    # dateparser for the day (dates.py).
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    moment = parse_page_date(clean_date_text(text), timezone="UTC", now=today, languages=languages, only_these=True)
    return moment is not None
