"""Reader comments as structured records, whatever blog engine rendered them.

Every markup parser runs on the page; the one that finds the most complete comments
(author and text) wins, so a Blogger page is not half-read as WordPress. When none
matches, the structural fallback reads the comment section by its shape. The comment
containers are also pruned from the page before trafilatura runs, so comment text never
lands in an article body.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Container
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from pipelines.comments import cms, engines, fallback, reviews, schema
from pipelines.comments.markup import (
    COMMENT_SECTION_XPATH,
    RawComment,
    block_text,
    clean_date_text,
    complete_date,
    first_text,
)
from pipelines.comments.reading import dates_read_in
from pipelines.dates import date_languages, parse_machine_date, parse_page_date
from storage.records import CommentFields

if TYPE_CHECKING:
    from lxml.html import HtmlElement


__all__ = [
    "COMMENT_SECTION_XPATH",
    "FORUM",
    "PARSERS",
    "FoundComments",
    "RawComment",
    "block_text",
    "find_comments",
    "parse_comments",
]

logger = logging.getLogger(__name__)

FORUM = "forum"
# In order of preference when two parsers find equally many complete comments: the
# header patterns ("On DATE, NAME said:") are more specific than the WordPress item
# classes that custom comment callbacks keep.
PARSERS: dict[str, Callable[[HtmlElement], list[RawComment]]] = {
    "posted-by": engines.posted_by,
    "on-date-said": engines.on_date_said,
    "numbered-says": engines.numbered_says,
    "wordpress": engines.wordpress,
    "drupal": cms.drupal,
    FORUM: cms.forum,
    "blogger": engines.blogger,
    "judgeme": reviews.judgeme,
    "schema-microdata": schema.microdata,
    "schema-jsonld": schema.jsonld,
}
FALLBACK = "fallback"


class PageWords(Container[str]):
    """Whether the page's HTML holds a word, each word looked for once (a miss reads the
    whole page)."""

    def __init__(self, markup: str) -> None:
        self.markup = markup
        self._found: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        if (found := self._found.get(word)) is None:
            found = self._found[word] = word in self.markup
        return found


def _any_of(*words: str) -> Callable[[Container[str]], bool]:
    return lambda page: any(word in page for word in words)


# What each parser's markup cannot do without, as the page's HTML spells it (a class, an
# id, a header's words): a parser whose words the markup lacks does not walk the tree.
# Each walk of a real page costs ~0.3 ms, and a page carries one engine's markup at most
# (on the 884 real pages each gate but WordPress's and Drupal's "comment" opened on 0-10%).
MARKUP_WORDS: dict[str, Callable[[Container[str]], bool]] = {
    "posted-by": lambda m: "posted" in m or "trackbacks" in m or ("Posted" in m and "comment" in m),
    "on-date-said": lambda m: ("said" in m or "wrote" in m) and "On" in m,
    "numbered-says": _any_of("says"),
    "wordpress": _any_of("comment", "pingback", "trackback"),
    "drupal": _any_of("comment"),
    FORUM: _any_of(
        "postbody", "postbit", "postcontainer", "post_message_", "data-author", "crawler-post", "topic-body"
    ),
    "blogger": _any_of("comments-block", "comment-thread"),
    "judgeme": _any_of("jdgm-rev"),
    "schema-microdata": _any_of("schema.org/Comment", "schema.org/UserComments"),
    "schema-jsonld": _any_of("comment"),
}


def _complete(comments: list[RawComment]) -> int:
    return sum(bool(c.text and c.author) for c in comments)


FoundComments = tuple[str, list[RawComment]]


def find_comments(tree: HtmlElement, markup: str | None = None) -> FoundComments:
    """The markup name and raw comments of the best-matching parser (or the fallback).

    ``markup``: the HTML the tree was parsed from; parsers whose MARKUP_WORDS it lacks
    are not run."""
    best_name, best = FALLBACK, list[RawComment]()
    words = PageWords(markup) if markup is not None else None
    with dates_read_in(date_languages(first_text(tree, "/html/@lang"))):
        for name, parser in PARSERS.items():
            if words is not None and not MARKUP_WORDS[name](words):
                continue
            found = parser(tree)
            if _complete(found) > _complete(best):
                best_name, best = name, found
        if not best:
            best = fallback.structural(tree)
    return best_name, best


def comment_time(
    comment: RawComment, *, timezone: str, fetched_at: datetime, languages: tuple[str, ...]
) -> datetime | None:
    """The comment's time: the visible date when it is complete (a year, or "3 days ago"),
    else the machine-readable one, else whatever the visible text gives.

    Visible first because some themes label local times as UTC in their markup
    (WordPress before 5.3 did), and the visible time read in the site's zone is right.
    """
    visible = clean_date_text(comment.date_text or "")
    machine = comment.machine_date
    if machine and not complete_date(visible) and (moment := parse_machine_date(machine, timezone)):
        return moment
    read = partial(parse_page_date, timezone=timezone, now=fetched_at, languages=languages, only_these=True)
    for candidate in filter(None, (visible, machine)):
        if moment := read(candidate):
            return moment
    return parse_machine_date(machine, timezone) if machine else None


def _parent_position(parent_index: int | None, position_of: dict[int, int]) -> int | None:
    return None if parent_index is None else position_of.get(parent_index)


def parse_comments(
    tree: HtmlElement,
    *,
    timezone: str,
    fetched_at: datetime,
    language: str | None = None,
    first_position: int = 1,
    found: FoundComments | None = None,
) -> list[CommentFields]:
    """All reader comments of a page, in page order, with parsed times (``found``: what
    find_comments already read on this tree)."""
    markup, raw = found or find_comments(tree)
    kept = [i for i, c in enumerate(raw) if c.text]
    position_of = {old: first_position + new for new, old in enumerate(kept)}
    # The article's language and the common ones, not all of dateparser's ~200: readers
    # date their comments as the page does, and a line none of these reads cost 20 ms to
    # refuse in every locale (on the real pages, the two the others read were English).
    languages = date_languages(language)
    return [
        CommentFields(
            position=position_of[i],
            text=raw[i].text,
            markup=markup,
            author=raw[i].author,
            author_url=raw[i].author_url,
            posted_at=comment_time(raw[i], timezone=timezone, fetched_at=fetched_at, languages=languages),
            parent=_parent_position(raw[i].parent_index, position_of),
            site_id=raw[i].site_id,
        )
        for i in kept
    ]
