"""Reader comments as structured records: one parser per blog-engine markup.

Each parser finds the comments its engine renders and returns them in page order;
the first parser that finds any wins. The containers they know are also pruned from
the page before trafilatura runs, so comment text never lands in an article body.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from pipelines.dates import parse_page_date
from storage.records import CommentFields

if TYPE_CHECKING:
    from typing import Self

    from lxml.html import HtmlElement
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from pipelines.items import ArticleItem

logger = logging.getLogger(__name__)


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# Whole comment sections, removed before main-text extraction.
COMMENT_SECTION_XPATHS: tuple[str, ...] = (
    "//*[@id='comments' or @id='comment-section' or @id='respond' or @id='disqus_thread']",
    f"//*[{_has_class('commentlist')} or {_has_class('comment-list')} or {_has_class('comments')}]",
    f"//*[{_has_class('comments-body')} or {_has_class('comments-post')} or {_has_class('comment-respond')}]",
)
# Chrome inside a comment that is not its text.
_COMMENT_CHROME = (
    f".//*[{_has_class('comment-author')} or {_has_class('comment-meta')} or {_has_class('commentmetadata')}"
    f" or {_has_class('comment-metadata')} or {_has_class('reply')} or {_has_class('says')}"
    f" or {_has_class('comments-post')} or {_has_class('comment-footer')}]"
    " | .//script | .//style | .//form | .//img | .//noscript"
)
_BLOCKS = ".//*[self::p or self::pre or self::li or self::h3 or self::h4]"


@dataclass(slots=True)
class RawComment:
    """A comment as found in the markup, before its date is parsed."""

    text: str
    author: str | None = None
    author_url: str | None = None
    date_text: str | None = None
    site_id: str | None = None
    parent_index: int | None = None


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
    lines = (" ".join(line.split()) for block in blocks for line in block.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _strip_chrome(element: HtmlElement, extra_xpath: str | None = None) -> HtmlElement:
    clone = copy.deepcopy(element)
    for node in clone.xpath(_COMMENT_CHROME + (f" | {extra_xpath}" if extra_xpath else "")):
        if node.getparent() is not None:
            node.drop_tree()
    return clone


def _first_text(element: HtmlElement, xpath: str) -> str | None:
    for node in element.xpath(xpath):
        text = node if isinstance(node, str) else node.text_content()
        if text := " ".join(text.split()):
            return text
    return None


_WP_COMMENT = f"//li[{_has_class('comment')} or {_has_class('pingback')} or {_has_class('trackback')}]"


def wordpress(tree: HtmlElement) -> list[RawComment]:
    """WordPress comment lists: li.comment with a vcard author, threaded by nesting."""
    items = tree.xpath(_WP_COMMENT)
    index = {item: i for i, item in enumerate(items)}
    comments = []
    for item in items:
        own = _strip_chrome(item, extra_xpath=f".//*[self::ol or self::ul][{_has_class('children')}]")
        author_node = item.xpath(f".//*[{_has_class('fn')}][1]")
        parent = next((index[a] for a in item.iterancestors("li") if a in index), None)
        comments.append(
            RawComment(
                text=block_text(own),
                author=" ".join(author_node[0].text_content().split()) if author_node else None,
                author_url=_first_text(author_node[0], ".//a/@href") if author_node else None,
                date_text=_first_text(
                    item,
                    f"(.//*[{_has_class('comment-meta')} or {_has_class('commentmetadata')}"
                    f" or {_has_class('comment-metadata')}]//time/@datetime"
                    f" | .//*[{_has_class('comment-meta')} or {_has_class('commentmetadata')}"
                    f" or {_has_class('comment-metadata')}])[1]",
                ),
                site_id=item.get("id"),
                parent_index=parent,
            )
        )
    return comments


_SAID = re.compile(r"^On (?P<date>.+?), (?P<author>[^,]+?) (?:said|wrote):?$")


def on_date_said(tree: HtmlElement) -> list[RawComment]:
    """'On September 18, 2010 at 2:46 pm, anan said:' headers followed by the text."""
    comments = []
    for header in tree.xpath(
        "//*[self::p or self::div or self::span or self::cite or self::h4][starts-with(normalize-space(.), 'On ')]"
    ):
        match = _SAID.match(" ".join(header.text_content().split()))
        if not match or header.xpath(".//*[self::p or self::div]"):
            continue
        container = header.getparent()
        body = _strip_chrome(container)
        for node in body.xpath(".//*"):
            if " ".join(node.text_content().split()) == match.group(0) and node.getparent() is not None:
                node.drop_tree()
                break
        comments.append(
            RawComment(
                text=block_text(body),
                author=match.group("author"),
                author_url=_first_text(header, ".//a[not(starts-with(@href, '#'))]/@href"),
                date_text=match.group("date"),
                site_id=container.get("id"),
            )
        )
    return comments


_POSTED_BY = re.compile(r"^Posted by:?\s*(?P<author>.+?)\s+at\s+(?P<date>.+?)(?:\s*\([^)]*\))?(?:\s*\|.*)?$")


def posted_by(tree: HtmlElement) -> list[RawComment]:
    """Movable Type / Minx / TypePad: the text, then 'Posted by: NAME at DATE'."""
    comments = []
    footers = tree.xpath(
        "//*[starts-with(normalize-space(.), 'Posted by')]"
        "[ancestor::*[contains(@class, 'comment') or contains(@id, 'comment')]]"
    )
    for footer in footers:
        if footer.xpath(".//*[starts-with(normalize-space(.), 'Posted by')]"):
            continue  # only the innermost element carrying the line
        match = _POSTED_BY.match(" ".join(footer.text_content().split()))
        if not match:
            continue
        container = footer.getparent()
        body = _strip_chrome(container)
        for node in body.xpath(".//*[starts-with(normalize-space(.), 'Posted by')]"):
            if node.getparent() is not None:
                node.drop_tree()
        text = block_text(body)
        # Minx and MT number their comments in the text itself ("1 It's bad news…").
        text = re.sub(rf"^{len(comments) + 1}\.?\s+", "", text)
        comments.append(
            RawComment(
                text=text,
                author=match.group("author"),
                author_url=_first_text(footer, ".//a[not(starts-with(@href, '#'))]/@href"),
                date_text=match.group("date"),
                site_id=container.get("id") or _first_text(container, ".//a[@name]/@name"),
            )
        )
    return comments


PARSERS: dict[str, Callable[[HtmlElement], list[RawComment]]] = {
    "wordpress": wordpress,
    "on-date-said": on_date_said,
    "posted-by": posted_by,
}


def parse_comments(
    tree: HtmlElement, *, timezone: str, fetched_at: datetime, language: str | None = None
) -> list[CommentFields]:
    """All reader comments of a page, in page order, with parsed times."""
    languages = [language] if language else None
    for markup, parser in PARSERS.items():
        raw = [c for c in parser(tree) if c.text]
        if not raw:
            continue
        return [
            CommentFields(
                position=i + 1,
                text=c.text,
                markup=markup,
                author=c.author,
                author_url=c.author_url,
                posted_at=parse_page_date(c.date_text, timezone=timezone, now=fetched_at, languages=languages)
                if c.date_text
                else None,
                parent=c.parent_index + 1 if c.parent_index is not None else None,
                site_id=c.site_id,
            )
            for i, c in enumerate(raw)
        ]
    return []


class CommentsPipeline:
    """Counts the comments the extract stage parsed, or discards them when disabled.

    Parsing happens in the extract stage's worker so each page is parsed once; this
    stage owns the comment settings and stats.
    """

    def __init__(self, enabled: bool, stats: StatsCollector) -> None:
        self.enabled, self.stats = enabled, stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(crawler.settings.getbool("COMMENTS_ENABLED", True), crawler.stats)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        if not self.enabled:
            item.comments = []
            return item
        for comment in item.comments:
            self.stats.inc_value(f"comments/markup/{comment.markup}")
        self.stats.inc_value("comments/parsed", len(item.comments))
        if item.comments and any(c.posted_at is None for c in item.comments):
            self.stats.inc_value("comments/undated", sum(c.posted_at is None for c in item.comments))
        return item
