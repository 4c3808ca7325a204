"""Where a page prints its credits, and the credit lines themselves (pipelines/authors.py
decides among them).

A byline is told by the words of its class and id tokens ("post-author", "article__author",
"liveArticleAuthorDateBlock", "elementor-post-info__item--type-author"), not by a
substring (WordPress's "meta-prep-author" holds the "Posted on" label); a post's meta line
by the link to an author page in it; an author box by its name element. Lines found by
their wording ("Von …", "Posted by …", "Autor: …") and short dated lines under the
headline come after them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from lxml.etree import XPath

from pipelines.declarations import declarations
from pipelines.regions import PageLayout, hidden, tokens
from pipelines.shown_date import first_date

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Everything that may hold a credit, in one pass over the page (a Python scan of the
# attributes is three times as fast as one XPath predicate testing them all).
_CREDIT_CLASS = re.compile(r"author|Author|byline|Byline|autor|writer|verfasser|posted-by|submitted|auteur|credit|meta")


def _credit_elements(tree: HtmlElement) -> Iterator[HtmlElement]:
    """The elements inside the page's body (or its root) whose itemprop, rel, class or
    id may mark a credit, in page order."""
    body = tree.find("body")
    scope = body if body is not None else tree
    last = None
    for value in declarations(tree).labels:
        name = value.attrname
        if not (
            (name == "class" and _CREDIT_CLASS.search(value))
            or (name == "id" and "author" in value)
            or (name == "rel" and "author" in value)
            or (name == "itemprop" and value == "author")
        ):
            continue
        element = value.getparent()
        if element is not last and element is not scope and any(a is scope for a in element.iterancestors()):
            last = element
            yield element


# What a class or id token says an element is, read from its words ("post-author",
# "article__author", "liveArticleAuthorDateBlock", "elementor-post-info__item--type-author"):
# a byline, an author box after the article, or the post's meta line; not WordPress's
# "meta-prep-author" (the "Posted on" label), an avatar or a comment's author.
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_CREDIT_WORDS = frozenset(
    {"byline", "author", "authors", "autor", "autoren", "autorin", "auteur", "auteurs", "writer", "verfasser",
     "credit", "submitted", "vcard"}
)  # fmt: skip
_BOX_WORDS = frozenset({"bio", "box", "card", "profile", "about", "description"})
_NOT_CREDIT_WORDS = frozenset(
    {"prep", "avatar", "image", "img", "photo", "pic", "posts", "social", "archive", "label", "title", "heading",
     "icon", "comment", "comments", "reply", "more", "other", "related", "list", "follow"}
)  # fmt: skip
_POST_WORDS = frozenset({"entry", "post", "article", "story", "news"})
_META_WORDS = frozenset({"meta", "info", "details", "metadata"})


def _token_kind(token: str) -> str | None:
    words = set(re.split(r"[-_]+", _CAMEL.sub("-", token).lower()))
    if words & _CREDIT_WORDS or token.lower() in ("posted-by", "by-author"):
        if words & _NOT_CREDIT_WORDS:
            return None
        return "author-box" if words & _BOX_WORDS else "byline"
    if words & _POST_WORDS and words & _META_WORDS:
        return "meta-line"
    return None


def _element_kind(element: HtmlElement) -> str | None:
    kinds = {_token_kind(t) for t in tokens(element)}
    return next((kind for kind in ("byline", "author-box", "meta-line") if kind in kinds), None)


# Links to an author's page inside a byline.
_PROFILE_LINKS = (
    ".//a[contains(@href, 'author') or contains(@href, 'autor') or contains(@href, 'profil')"
    " or contains(@href, '/user') or contains(@href, '/people/') or contains(@href, '/team/')"
    " or contains(@href, 'redakteur') or contains(@href, 'journalist') or @rel='author']"
)
# The name in an author box: its name element, else its heading.
_BOX_NAME = (
    ".//*[contains(@class, 'name') or contains(@class, 'Name')][not(.//*[contains(@class, 'name')])]"
    " | .//*[self::h2 or self::h3 or self::h4 or self::h5 or self::strong][1]"
)
_IN_FIGURE = XPath("boolean(ancestor::figure or ancestor::figcaption)")
_SHORT_TEXTS = XPath("//body//text()[string-length(normalize-space()) > 1][string-length(normalize-space()) < 80]")
# A credit label as printed (capitalised: not "von" inside a sentence), at the start of a
# line or after its first item ("yas! | By Cara Stiles | April 13").
_CREDIT_IN_LINE = re.compile(
    r"(?:(?:^|[|•·–—-]\s*)(?:By|BY|Von|VON|Par|Por|Door|Posted by|Written by|Geschrieben von|Verfasst von|"
    r"Erstellt von|Eingestellt von|Veröffentlicht von|Ein Beitrag von|Ein Artikel von|Eine Kolumne von|"
    r"Ein Interview von|Ein Gastbeitrag von|Text von)|(?:^|[|•·–—-]\s*|\s)(?:Text (?:&|und) Fotos?|Autor(?:in)?|"
    r"Author|Auteur\s?|Text|Redaktion|Herausgeber|Von|By)(?=:)):?(?=\s|[A-ZÀ-Þ]|$)|(?:责任编辑|作者|记者|記者)[:：]"
)
_LABEL_WORD = re.compile(
    r"(?i:by|von|par|por|door|autor|author|auteur|text|redaktion|herausgeber)|责任编辑|作者|记者|記者"
)
_CREDIT_START_LOWER = re.compile(r"(?:by|von|par|por)\s+[^\W\d_][^\W\d_]*\b", re.UNICODE)
_MAX_LINE_CHARS = 120
_MAX_NAME_LINE_CHARS = 60


def _shown_text(element: HtmlElement) -> str:
    """The element's text without parts hidden from sight ("Author" for screen readers)."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in ("script", "style", "noscript") and not hidden(child):
            parts.append(" " + _shown_text(child) + " ")
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _name_of(element: HtmlElement) -> str:
    """A microdata or hCard element's name: its ``name``/``fn`` part, its content, its text."""
    named = element.xpath(".//*[@itemprop='name'] | .//*[contains(concat(' ', @class, ' '), ' fn ')]")
    if named:
        return named[0].get("content") or _shown_text(named[0])
    return element.get("content") or _shown_text(element)


def visible_credits(tree: HtmlElement, layout: PageLayout) -> Iterator[tuple[str, str]]:
    """(source, credit line) for each credit element in the article, strongest kinds first."""
    found: dict[str, list[str]] = {
        "itemprop": [], "hcard": [], "rel-author": [], "byline": [], "meta-line": [], "author-box": []
    }  # fmt: skip
    for element in _credit_elements(tree):
        kind = _element_kind(element)
        if element.get("itemprop") == "author":
            kind = "itemprop"
        elif "author" in (element.get("rel") or "").split() and element.tag == "a":
            kind = "rel-author"
        # What names nothing of the kind ("meta" or "credit" in another word) is not
        # placed; a photo's credit is the photographer's.
        if kind is None or hidden(element) or _IN_FIGURE(element) or layout.around_article(element):
            continue
        if credit := _credit_of(element, kind):
            found[credit[0]].append(credit[1])
    for source, lines in found.items():
        for line in lines:
            yield source, line


def _credit_of(element: HtmlElement, kind: str) -> tuple[str, str] | None:
    """(source, line) of a credit element of this kind, or None where it holds no credit."""
    line: str | None = None
    if kind == "itemprop":
        line = _name_of(element)
    elif kind == "rel-author":
        line = _shown_text(element)
    elif kind == "byline":
        return _byline(element)
    elif kind == "meta-line" and (links := element.xpath(_PROFILE_LINKS)):
        line = ", ".join(_shown_text(a) for a in links)
    elif kind == "author-box" and (name := element.xpath(_BOX_NAME)):
        line = _shown_text(name[0])
    return None if line is None else (kind, line)


def _byline(element: HtmlElement) -> tuple[str, str] | None:
    if fn := element.xpath(".//*[contains(concat(' ', @class, ' '), ' fn ')]"):
        return "hcard", _shown_text(fn[0])
    if links := element.xpath(_PROFILE_LINKS):
        # "Von <a href=/autor/jane-roe>Jane Roe</a> | Politik | 3 Min.": the linked names.
        return "byline", ", ".join(_shown_text(a) for a in links)
    if len(line := _shown_text(element)) <= _MAX_LINE_CHARS:
        # Longer, it is a post that WordPress's post_class() names "author-jane-roe".
        return "byline", line
    return None


def labelled_lines(tree: HtmlElement, layout: PageLayout) -> Iterator[str]:
    """Short lines of the article that begin with a credit label ("Von Jane Roe",
    "Geschrieben von Cooper", "Posted by jancak") whatever their markup."""
    seen: set[HtmlElement] = set()
    for text in _SHORT_TEXTS(tree):
        if not _LABEL_WORD.search(text):
            continue
        # The line the text is part of: a label and the name may be apart ("von <em>Name</em>").
        element = text.getparent().getparent() if text.is_tail else text.getparent()
        if element is None or element in seen:
            continue
        seen.add(element)
        line = _shown_text(element)
        if len(line) > _MAX_LINE_CHARS:
            continue
        # "Posted by NAME" anywhere in the line; "von Jane Roe" alone in a short one.
        lower = _CREDIT_START_LOWER.match(line) and len(line) <= _MAX_NAME_LINE_CHARS
        if (_CREDIT_IN_LINE.search(line) or lower) and not hidden(element) and not layout.around_article(element):
            yield line
            # A label alone in its element ("<span>| By</span> <span>NAME</span>"): the
            # name is in the line around it.
            if (parent := element.getparent()) is not None and len(around := _shown_text(parent)) <= _MAX_LINE_CHARS:
                yield around


_AFTER_HEADLINE = XPath("following::text()[normalize-space()][position() <= 12]")


def dated_lines(layout: PageLayout) -> Iterator[str]:
    """The short lines right under the headline that print a whole date: a meta line."""
    if layout.headline is None:
        return
    for text in _AFTER_HEADLINE(layout.headline):
        element = text.getparent()
        line = _shown_text(element) if element is not None else ""
        if len(line) <= _MAX_NAME_LINE_CHARS and first_date(line) and not layout.around_article(element):
            yield line
