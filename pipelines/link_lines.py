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

# Blocks with two or more links of their own: found from the links up (a link after
# another), a third of the cost of testing every element of the page.
_BLOCKS_WITH_LINKS = XPath(
    "//body//a[@href][preceding-sibling::a[@href]]/parent::*[self::p or self::div or self::li or self::span]"
)
# The links whose words are a given text's (the rest of a "read also" line).
_LINKS_IN = XPath("//body//a[@href][normalize-space(.) != ''][contains($rest, normalize-space(.))]")
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
    return lines


def _read_also(line: str, tree: HtmlElement) -> bool:
    """A "read also" label and a link that makes the rest of the line. Asked of the body's
    lines, few of which begin with a label, rather than of every block of the page."""
    if len(line) > _MAX_CHARS or not (label := _READ_ALSO.match(line)) or label.end() == len(line):
        return False
    rest = line[label.end() :]
    return any(len(_squash(a.text_content())) >= _LINK_SHARE * len(rest) for a in _LINKS_IN(tree, rest=rest))


def without_link_lines(text: str, tree: HtmlElement) -> str:
    """The body without lines that are a navigation block's text or a "read also" link."""
    navigation = link_lines(tree)

    def kept(line: str) -> bool:
        squashed = _squash(line)
        return squashed not in navigation and not _read_also(squashed, tree)

    return "\n".join(line for line in text.split("\n") if kept(line))
