"""Lines of navigation the extractor kept in a body: "« Previous post | Main | Next post »",
"Read also: <another article's headline>".

Movable Type's default entry template (and many classic themes) prints the links to the
previous and next entries as a paragraph inside the content column, where trafilatura
takes it for text. A short block that is nearly all link text, with several links, is
navigation wherever it sits; so is a paragraph that is a "read also" label and one link
(newsrooms set them between an article's paragraphs). The body line that is exactly
such a block's text goes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml.etree import XPath

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_BLOCKS_WITH_LINKS = XPath("//body//*[self::p or self::div or self::li or self::span][count(a[@href]) >= 2]")
_BLOCKS_WITH_A_LINK = XPath("//body//*[self::p or self::div or self::li][count(.//a[@href]) = 1]")
# "Read also:", in the languages of the newsrooms met; the label ends the line's own words.
_READ_ALSO = re.compile(
    r"^(?:read (?:also|more)|see also|related|lesen sie (?:auch|mehr)|mehr zum thema|auch interessant"
    r"|lea (?:también|más)|lea(?=\s*:)|leia (?:também|mais)|lire aussi|à lire aussi|voir aussi|leggi anche"
    r"|vedi anche|czytaj (?:też|także)|zobacz (?:też|także)|lees ook)\s*[:»›>-]?\s*",
    re.IGNORECASE,
)
# Link text this share of a block's text makes it navigation; longer blocks are prose.
_LINK_SHARE = 0.8
_MAX_CHARS = 300


def _squash(text: str) -> str:
    return " ".join(text.split())


def link_lines(tree: HtmlElement) -> set[str]:
    """The texts of the page's short blocks made of links."""
    lines = set()
    for block in _BLOCKS_WITH_LINKS(tree):
        text = _squash(block.text_content())
        if not text or len(text) > _MAX_CHARS:
            continue
        linked = sum(len(_squash(a.text_content())) for a in block.iterfind("a"))
        if linked >= _LINK_SHARE * len(text):
            lines.add(text)
    return lines | _read_also_lines(tree)


def _read_also_lines(tree: HtmlElement) -> set[str]:
    """The texts of blocks that are a "read also" label and the one link it points to."""
    lines = set()
    for block in _BLOCKS_WITH_A_LINK(tree):
        text = _squash(block.text_content())
        if len(text) > _MAX_CHARS or not (label := _READ_ALSO.match(text)) or label.end() == len(text):
            continue
        linked = _squash(block.xpath(".//a[@href]")[0].text_content())
        if len(linked) >= _LINK_SHARE * (len(text) - label.end()):
            lines.add(text)
    return lines


def without_link_lines(text: str, tree: HtmlElement) -> str:
    """The body without lines that are a navigation block's text."""
    navigation = link_lines(tree)
    if not navigation:
        return text
    return "\n".join(line for line in text.split("\n") if _squash(line) not in navigation)
