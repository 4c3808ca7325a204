"""The article's own authors: from its byline or metadata, never from a comment thread or
a widget ("Recent comments", "Our reporters"), without "By" prefixes or credit lines.

trafilatura finds author names wherever a class says "author"; a name counts here only
when the page declares it (meta author, JSON-LD, rel=author) or shows it outside
comments, widgets and sidebars. When no such name is left, the visible byline is read.
"""

from __future__ import annotations

import copy
import json
import re
from typing import TYPE_CHECKING

from lxml.etree import XPath

from pipelines.comments.markup import THREAD_MARK, squash, without

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Page parts that are not the article, by a token of their class or id ("widget_recent_comments",
# "sidebar-first", "comment-wrapper"); an element holding the article's <h1> is never one
# of them (<body class="showing-comments">).
_NOT_ARTICLE_TOKEN = re.compile(
    r"(?:^|[-_])(?:comments?|widget|sidebar|recent|related|popular|promo|respond|rail)(?:$|[-_])", re.IGNORECASE
)
_LABELS = XPath("//@class | //@id")
_ALWAYS_OUTSIDE = XPath(f"//aside | //nav | //*[@{THREAD_MARK}]")


def _outside_article(tree: HtmlElement) -> list[HtmlElement]:
    found = list(_ALWAYS_OUTSIDE(tree))
    for value in _LABELS(tree):
        element = value.getparent()
        if any(_NOT_ARTICLE_TOKEN.search(t) for t in value.split()) and not element.xpath(".//h1"):
            found.append(element)
    return list(dict.fromkeys(found))


_BYLINES = (
    "//*[@rel='author' or @itemprop='author' or contains(@class, 'byline') or contains(@class, 'author')]"
    "[not(ancestor::aside or ancestor::nav)]"
)
_BYLINE_DATES = ".//time | .//*[contains(@class, 'date') or contains(@class, 'time')]"
_PREFIX = re.compile(
    r"^(?:(?:posted|written|published|reported|words|text|story)\s+by|by|von|par|por|di|door|av|autor(?:in)?|author)"
    r"\s*:?\s+",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"\s*(?:;|,|&|\band\b|\bund\b|\||/)\s*", re.IGNORECASE)
MAX_NAME_CHARS = 60
_MARK = "data-newsdedup-outside"


def declared_authors(tree: HtmlElement) -> set[str]:
    """Author names the page declares in its metadata, case-folded."""
    names = {squash(n) for n in tree.xpath("//meta[@name='author' or @property='article:author']/@content")}
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            stack = [json.loads(script)]
        except ValueError:
            continue
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                if "Comment" in str(node.get("@type", "")):
                    continue  # a commenter is no author of the article
                author = node.get("author")
                for person in author if isinstance(author, list) else [author]:
                    name = person.get("name") if isinstance(person, dict) else person
                    if isinstance(name, str):
                        names.add(squash(name))
                stack.extend(v for k, v in node.items() if k in ("@graph", "mainEntity", "itemListElement"))
    # "Jane Roe; John Doe" in one meta tag declares two names.
    return {part.casefold() for n in names for part in _SEPARATOR.split(_PREFIX.sub("", n)) if part}


def _article_text(tree: HtmlElement) -> str:
    """The page's visible text without comments, widgets, sidebars and navigation."""
    outside = _outside_article(tree)
    for node in outside:
        node.set(_MARK, "")
    try:
        clone = copy.deepcopy(tree)
    finally:
        for node in outside:
            del node.attrib[_MARK]
    for node in clone.xpath(f"//*[@{_MARK}]"):
        if node.getparent() is not None:
            node.drop_tree()
    return squash(" ".join(clone.xpath("//body//text()[not(ancestor::script or ancestor::style)]"))).casefold()


def _site_names(tree: HtmlElement, sitename: str | None) -> list[str]:
    names = [sitename or "", *tree.xpath("//meta[@property='og:site_name']/@content")]
    title = squash(" ".join(tree.xpath("//title//text()")))
    if parts := re.split(r"\s+[|–—-]\s+", title):
        names.append(parts[-1])  # "Headline | The City Ledger"
    return [squash(n).casefold() for n in names if len(squash(n)) >= 3]


def clean_name(name: str, sites: list[str]) -> str | None:
    """A person's name without "By", a trailing credit line ("THE CITY LEDGER") or shouting."""
    name = _PREFIX.sub("", squash(name)).strip(" ,;:|-–—")
    for site in sites:
        if name.casefold().endswith(site) and len(name) > len(site):
            name = name[: -len(site)].strip(" ,;:|-–—")
        if name.casefold() == site:
            return None
    if not name or len(name) > MAX_NAME_CHARS or not re.search(r"[^\W\d_]", name):
        return None
    return name.title() if name.isupper() and len(name) > 3 else name


def _split(names: list[str], sites: list[str]) -> list[str]:
    found = [clean_name(part, sites) for name in names for part in _SEPARATOR.split(_PREFIX.sub("", squash(name)))]
    return list(dict.fromkeys(n for n in found if n))


def article_authors(tree: HtmlElement, candidates: list[str], sitename: str | None = None) -> list[str]:
    """The article's authors, from trafilatura's ``candidates`` and the page's own byline."""
    sites = _site_names(tree, sitename)
    names = _split(candidates, sites)
    if names:
        declared = declared_authors(tree)
        text = _article_text(tree)
        names = [n for n in names if n.casefold() in declared or n.casefold() in text]
    if names:
        return names
    outside = set(_outside_article(tree))
    for byline in tree.xpath(_BYLINES):
        if any(a in outside for a in (byline, *byline.iterancestors())):
            continue
        # The name, without the date themes put in the same line ("BY NAME 3 months ago").
        line = squash(without(byline, _BYLINE_DATES, chrome=False).text_content())
        line = re.split(r"\d", line, maxsplit=1)[0]
        if 0 < len(line) <= 2 * MAX_NAME_CHARS and (found := _split([line], sites)):
            return found
    return []
