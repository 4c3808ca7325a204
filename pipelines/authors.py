"""The article's authors as the page credits them, and where the credit was read.

Structured credit first, as the page declares it about the article: JSON-LD ``author``
of the article, microdata ``itemprop=author``, an hCard (``author vcard`` / ``fn``), a
``rel=author`` link; then the visible byline (``byline``, ``author`` and their kin
among class names); then the ``author`` meta tag; trafilatura's guess last. Credits in
comment threads, widgets, sidebars and navigation are other people's. A label is never
a name (pipelines/names.py), and an organisation credited beside people is not one of
them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from lxml.etree import XPath

from pipelines.jsonld import is_article, node_types, text_value
from pipelines.names import credit_names, looks_like_a_person
from pipelines.regions import PageLayout, hidden, tokens

if TYPE_CHECKING:
    from collections.abc import Iterator

    from lxml.html import HtmlElement

    from pipelines.sitename import SiteNames


class Credit(NamedTuple):
    """The authors' names and what they were read from ("json-ld", "hcard", "byline", …)."""

    names: list[str]
    source: str | None = None


_ORGANISATION_TYPES = frozenset({"organization", "newsmediaorganization", "corporation", "website"})
# Everything that may hold a credit, in one pass over the page (a Python scan of the
# attributes is three times as fast as one XPath predicate testing them all).
_CREDIT_CLASS = re.compile(r"author|Author|byline|Byline|autor|writer|verfasser|posted-by|submitted|auteur|credit|meta")


def _credit_elements(tree: HtmlElement) -> Iterator[HtmlElement]:
    body = tree.find("body")
    for element in (body if body is not None else tree).iterdescendants("*"):
        if (
            element.get("itemprop") == "author"
            or "author" in (element.get("rel") or "")
            or _CREDIT_CLASS.search(element.get("class") or "")
            or "author" in (element.get("id") or "")
        ):
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
_META_AUTHOR = XPath(
    "//meta[@name='author' or @property='article:author' or @name='article:author' or @name='dc.creator'"
    " or @name='DC.creator' or @name='sailthru.author' or @name='parsely-author' or @name='byl']/@content"
)


def _json_ld_credits(nodes: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """People and organisations JSON-LD credits as the authors of the article."""
    people: list[str] = []
    organisations: list[str] = []
    # The article's own node first: a page also carries other nodes (a video, a review).
    for node in sorted((n for n in nodes if "comment" not in node_types(n)), key=lambda n: not is_article(n)):
        author = node.get("author") or node.get("creator")
        for credit in author if isinstance(author, list) else [author]:
            name = text_value(credit)
            if name is None:
                continue
            kind = node_types(credit) if isinstance(credit, dict) else set()
            (organisations if kind & _ORGANISATION_TYPES else people).append(name)
        if people or organisations:
            break
    return people, organisations


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


def _visible_credits(tree: HtmlElement, layout: PageLayout) -> Iterator[tuple[str, str]]:
    """(source, credit line) for each credit element in the article, strongest kinds first."""
    found: dict[str, list[str]] = {
        "itemprop": [], "hcard": [], "rel-author": [], "byline": [], "meta-line": [], "author-box": []
    }  # fmt: skip
    for element in _credit_elements(tree):
        # A photo's credit is the photographer's.
        if hidden(element) or _IN_FIGURE(element) or layout.around_article(element):
            continue
        kind = _element_kind(element)
        if element.get("itemprop") == "author":
            found["itemprop"].append(_name_of(element))
        elif "author" in (element.get("rel") or "").split() and element.tag == "a":
            found["rel-author"].append(_shown_text(element))
        elif kind == "byline":
            if fn := element.xpath(".//*[contains(concat(' ', @class, ' '), ' fn ')]"):
                found["hcard"].append(_shown_text(fn[0]))
            elif links := element.xpath(_PROFILE_LINKS):
                # "Von <a href=/autor/jane-roe>Jane Roe</a> | Politik | 3 Min.": the linked names.
                found["byline"].append(", ".join(_shown_text(a) for a in links))
            elif len(line := _shown_text(element)) <= _MAX_LINE_CHARS:
                # Longer, it is a post that WordPress's post_class() names "author-jane-roe".
                found["byline"].append(line)
        elif kind == "meta-line" and (links := element.xpath(_PROFILE_LINKS)):
            found["meta-line"].append(", ".join(_shown_text(a) for a in links))
        elif kind == "author-box" and (name := element.xpath(_BOX_NAME)):
            found["author-box"].append(_shown_text(name[0]))
    for source, lines in found.items():
        for line in lines:
            yield source, line


def _labelled_lines(tree: HtmlElement, layout: PageLayout) -> Iterator[str]:
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


# An account name, not a person's as shown ("robert.stitz", "arianschlichenmayer").
_HANDLE = re.compile(r"^[\w.-]+$")


def _site_header_or_footer(element: HtmlElement, layout: PageLayout) -> bool:
    """In the page's own header or footer (an imprint, a copyright line), not an article's."""
    ancestors = [a for a in element.iterancestors() if a not in layout.spared]
    if any(a.tag in ("article", "main") for a in ancestors):
        return False
    return any(a.tag in ("header", "footer") or a.get("id") in ("header", "footer", "colophon") for a in ancestors)


def _shown(names: list[str], tree: HtmlElement, layout: PageLayout, *, frame: bool) -> list[str]:
    """Those of ``names`` the page shows outside its navigation and sidebars; with
    ``frame`` False, not in the site's own header or footer either."""
    shown = []
    for name in names:
        folded = name.casefold()
        for text in tree.xpath("//body//text()[contains(., $first)]", first=name.split()[0]):
            element = text.getparent()
            if (
                folded in text.casefold()
                and not layout.around_article(element)
                and (frame or not _site_header_or_footer(element, layout))
            ):
                shown.append(name)
                break
    return shown


def article_authors(
    tree: HtmlElement,
    nodes: list[dict[str, Any]],
    site: SiteNames,
    candidates: list[str],
    layout: PageLayout | None = None,
) -> Credit:
    """The article's authors, from the page's own credit; ``candidates`` (trafilatura's
    author field) only when the page credits nobody itself. ``layout``: where things sit
    on the page (with its headline's containers spared)."""
    layout = layout or PageLayout(tree)
    people, organisations = _json_ld_credits(nodes)
    declared = _names(people, site)
    if declared and not all(_HANDLE.match(n) and (n.islower() or "." in n) for n in declared):
        return Credit(declared, "json-ld")
    for source, line in _visible_credits(tree, layout):
        if names := credit_names(line, site):
            return Credit(names, source)
    if declared:  # account names, where the page shows no byline of its own
        return Credit(declared, "json-ld")
    for line in _labelled_lines(tree, layout):
        # A line found by its wording alone must name people as names are printed.
        if (names := credit_names(line, site)) and all(looks_like_a_person(n) for n in names):
            return Credit(names, "credit-line")
    # What only metadata says counts where the page shows it too: a CMS fills the author
    # meta tag with its account or company name on every page. A person's name the page
    # declares and prints (a personal blog's owner in its footer) is its credit; trafilatura's
    # guess must be in the article itself.
    for source, lines, frame in (
        ("meta", [v for v in _META_AUTHOR(tree) if "://" not in v], True),
        ("json-ld", organisations, False),
        ("trafilatura", candidates, False),
    ):
        if names := _shown(_names(lines, site), tree, layout, frame=frame):
            return Credit(names, source)
    return Credit([])


def _names(lines: list[str], site: SiteNames) -> list[str]:
    """People named in metadata: the site or a company there is a CMS default, no credit."""
    names = [name for line in lines for name in credit_names(line, site, organisations=False)]
    return list(dict.fromkeys(names))
