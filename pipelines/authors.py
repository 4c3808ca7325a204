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

from pipelines.bylines import dated_lines, labelled_lines, visible_credits
from pipelines.jsonld import is_article, node_types, text_value
from pipelines.names import credit_names, looks_like_a_person
from pipelines.regions import PageLayout

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from lxml.html import HtmlElement

    from pipelines.sitename import SiteNames


class Credit(NamedTuple):
    """The authors' names and what they were read from ("json-ld", "hcard", "byline", …)."""

    names: list[str]
    source: str | None = None


_ORGANISATION_TYPES = frozenset({"organization", "newsmediaorganization", "corporation", "website"})
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
    candidates: Callable[[], list[str]],
    layout: PageLayout | None = None,
) -> Credit:
    """The article's authors, from the page's own credit; ``candidates()`` (trafilatura's
    author field, costly to read) only when the page credits nobody itself. ``layout``: where things sit
    on the page (with its headline's containers spared)."""
    layout = layout or PageLayout(tree)
    people, organisations = _json_ld_credits(nodes)
    declared = _names(people, site)
    accounts = bool(declared) and all(_HANDLE.match(n) and (n.islower() or "." in n) for n in declared)
    shown = next(_shown_credits(tree, site, layout), None)
    if declared and not accounts:
        # The page's byline may list every author where the metadata lists the first.
        return shown if shown is not None and _more_of_them(declared, shown) else Credit(declared, "json-ld")
    if shown is not None:
        return shown
    if declared:  # account names, where the page shows no byline of its own
        return Credit(declared, "json-ld")
    # What only metadata says counts where the page shows it too: a CMS fills the author
    # meta tag with its account or company name on every page. A person's name the page
    # declares and prints (a personal blog's owner in its footer) is its credit; trafilatura's
    # guess must be in the article itself (and is read only when nothing before it names anyone).
    sources: tuple[tuple[str, Callable[[], list[str]], bool], ...] = (
        ("meta", lambda: [v for v in _META_AUTHOR(tree) if "://" not in v], True),
        ("json-ld", lambda: organisations, False),
        ("trafilatura", candidates, False),
    )
    for source, lines, frame in sources:
        if names := _shown(_names(lines(), site), tree, layout, frame=frame):
            return Credit(names, source)
    return Credit([])


# Credits read from a line's wording, not from credit markup.
_WORDING_SOURCES = frozenset({"credit-line", "dated-line"})


def _more_of_them(declared: list[str], shown: Credit) -> bool:
    """Does the byline's markup name everyone the metadata names, and more? (A line read by
    its wording alone, "Posted by NAME, ROLE, COMPANY", does not outvote the metadata.)"""
    declared_set, shown_set = {n.casefold() for n in declared}, {n.casefold() for n in shown.names}
    return shown.source not in _WORDING_SOURCES and declared_set < shown_set


def _shown_credits(tree: HtmlElement, site: SiteNames, layout: PageLayout) -> Iterator[Credit]:
    """The credits the page shows, strongest first: credit markup, a labelled line, a
    dated meta line under the headline."""
    for source, line in visible_credits(tree, layout):
        if names := credit_names(line, site):
            yield Credit(names, source)
    for line in labelled_lines(tree, layout):
        # A line found by its wording alone must name people as names are printed.
        if (names := credit_names(line, site)) and all(looks_like_a_person(n) for n in names):
            yield Credit(names, "credit-line")
    for line in dated_lines(layout):
        # "11.12.2019 - Amelie Loevenich" under the headline: a date and a person's full name.
        names = credit_names(line, site, organisations=False)
        if names and all(looks_like_a_person(n) and " " in n for n in names):
            yield Credit(names, "dated-line")


def _names(lines: list[str], site: SiteNames) -> list[str]:
    """People named in metadata: the site or a company there is a CMS default, no credit."""
    names = [name for line in lines for name in credit_names(line, site, organisations=False)]
    return list(dict.fromkeys(names))
