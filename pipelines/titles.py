"""The article's headline as the page shows it, and where it was read.

A reader takes the headline from the top of the article, not from the browser tab:
``<title>`` and og:title often carry the site's name ("Headline | The City Ledger",
Movable Type's "Blog Name: Post Title", WordPress Kubrick's "Blog » Blog Archive »
Post") or a kicker and wording of their own, and a page's first ``<h1>`` is often the
site's logo. So the visible headings come first: the one a metadata title confirms
(it is that title, or a run of its segments), else the article's own ``<h1>`` (not a
logo, not in navigation or a sidebar, without its kicker line). With no such heading,
the metadata titles in order (JSON-LD ``headline``, og:title, twitter:title, ``<title>``)
without the site's name in front or behind.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from lxml.etree import XPath
from lxml.html import HtmlElement

from pipelines.declarations import declarations
from pipelines.jsonld import is_article, text_value
from pipelines.regions import AROUND_TAGS, PageLayout, hidden, page_ancestors
from pipelines.sitename import SEPARATOR, SiteNames, name_key

if TYPE_CHECKING:
    from collections.abc import Iterable


class Title(NamedTuple):
    """A headline and what it was read from ("h1", "entry-title", "og:title", "title", …)."""

    text: str | None = None
    source: str | None = None
    # The heading it was read from: the article sits in that heading's containers.
    element: HtmlElement | None = None


# Headline markup of the engines: hAtom/WordPress ``entry-title``, Blogger ``post-title``,
# Movable Type ``entry-header``, Ghost ``article-title``, phpBB ``topic-title``, XenForo
# ``p-title-value``, schema.org microdata ``itemprop=headline``.
_HEADLINE_CLASSES = (
    "entry-title",
    "post-title",
    "entry-header",
    "article-title",
    "headline",
    "topic-title",
    "p-title-value",
    "title",
)
# Simple steps, in document order: a predicate on every element of the page cost 3.5 ms a
# page, these 1.3 ms; a <div>'s class tokens are checked in _heading.
_HEADINGS = XPath(
    "//h1 | //h2 | //h3 | //h4 | //@itemprop[.='headline']/parent::*[not(self::meta)]"
    " | //div[contains(@class, 'title') or contains(@class, 'headline') or contains(@class, 'entry-header')]"
    " | //span[contains(@class, 'title') or contains(@class, 'headline')]"
    " | //p[contains(@class, 'title') or contains(@class, 'headline')]"
)
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4"})
# A heading in a page footer is the site's too (a byline may sit in an entry's footer).
_CHROME_TAGS = frozenset({*AROUND_TAGS, "footer", "label"})
# The site's logo and name in its header.
# Its class and id tokens, tested in one search of the two values (a token begins and
# ends at the string's ends or at whitespace).
_LOGO_LABEL = re.compile(
    r"(?<!\S)(?:logo|site-?title|site-?name|site-?logo|blog-?title|blog-?name|branding|site-branding|brand|"
    r"masthead|header-title|blogtitle|blogname|banner-title|navbar-brand)(?!\S)|(?<![^\s_-])logo(?![^\s_-])",
    re.IGNORECASE,
)
_LOGO_IDS = re.compile(r"^(?:logo|site-?title|site-?name|blog-?title|branding|masthead|banner|header|headimg|title)$")
# A kicker (the topic line above a headline, "Klimaschutz", "Interne Unterlagen im
# Netz") or a label ("Patch Notes") set in its own element inside the heading.
_KICKER_TOKEN = re.compile(
    r"(?:^|[-_])(?:kicker|dachzeile|topline|overline|over-?title|eyebrow|roofline|supertitle|super-?headline|"
    r"pre-?title|flag|label|rubric|category|spitzmarke|tag|subtitle|sub-?headline|subline)(?:$|[-_])",
    re.IGNORECASE,
)
# Words of a WordPress classic theme's title that are no part of the headline.
_ENGINE_SEGMENTS = frozenset(map(name_key, ("Blog Archive", "Blog Archiv", "Archive", "Archiv", "View topic")))
_LOGO_DEPTH = 3
MAX_TITLE_CHARS = 300
_MIN_TITLE_CHARS = 2


def _kicker_line(child: HtmlElement) -> bool:
    """A heading's first element set on a line of its own above the headline: a <small>,
    one a <br> follows ("<small>Tunesien</small><br>Große Aufgaben …")."""
    parent = child.getparent()
    if parent is None or (parent.text or "").strip() or child.getprevious() is not None:
        return False
    after = child.getnext()
    return child.tag == "small" or (after is not None and after.tag == "br" and not (child.tail or "").strip())


def _shown_text(element: HtmlElement, drop_kicker: bool) -> str:
    """The element's text as a reader sees it: without hidden parts, with ``drop_kicker``
    without kicker elements; a line break is a space."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in ("script", "style", "noscript"):
            kicker = drop_kicker and (
                any(_KICKER_TOKEN.search(t) for t in (child.get("class") or "").split()) or _kicker_line(child)
            )
            if child.tag == "br":
                parts.append(" ")
            elif not hidden(child) and not kicker:
                parts.append(" " + _shown_text(child, drop_kicker) + " ")
        parts.append(child.tail or "")
    return "".join(parts)


# Soft hyphens and zero-width characters: a word's break points, not its letters.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
# What is left of a kicker's separator ("<span>Kicker</span>: Headline" without the kicker).
_EDGE_PUNCTUATION = " :|-–—·•"


def clean_title(text: str) -> str:
    text = " ".join(text.translate(_INVISIBLE).split())
    return text.strip(_EDGE_PUNCTUATION) if len(text.strip(_EDGE_PUNCTUATION)) >= _MIN_TITLE_CHARS else text


def heading_text(element: HtmlElement) -> str:
    """A heading's headline: its shown text, without a kicker set apart in its own element."""
    headline = clean_title(_shown_text(element, drop_kicker=True))
    return headline or clean_title(_shown_text(element, drop_kicker=False))


def _parts(element: HtmlElement) -> list[str]:
    """The texts of a heading's child elements ("<span>Kicker</span><span>Headline</span>")."""
    children = [c for c in element if isinstance(c.tag, str) and c.tag != "br" and not hidden(c)]
    if len(children) < 2:
        return []
    return [t for c in children if len(t := clean_title(_shown_text(c, drop_kicker=True))) >= _MIN_TITLE_CHARS]


_LINKS = XPath(".//a[@href] | ancestor::a[@href]")


def _links_home(element: HtmlElement, url: str) -> bool:
    """The heading is one link to the site's front page: a logo."""
    links = _LINKS(element)
    if len(links) != 1:
        return False
    href = links[0].get("href", "").strip()
    base = re.sub(r"^(https?://[^/]+).*$", r"\1", url)
    return href in ("/", "./", "index.html", "index.php") or href.rstrip("/") in (base, base.replace("://www.", "://"))


class _Heading:
    """A heading of the page. Whether it sits outside the article and the texts of its
    parts are read when asked: only a heading a metadata title confirms, or an <h1>, is
    (most of a page's headings are neither)."""

    def __init__(self, element: HtmlElement, text: str, source: str, rank: int, logo: bool, layout: PageLayout):
        self.element, self.text, self.source, self._layout = element, text, source, layout
        self.rank = rank  # 0: <h1> or headline markup, 1: another heading
        self.logo = logo

    @cached_property
    def outside(self) -> bool:
        return self._layout.around_article(self.element, _CHROME_TAGS)

    @cached_property
    def parts(self) -> list[str]:
        """Its child elements' texts, when it has several."""
        return _parts(self.element)


def _heading(element: HtmlElement, url: str, layout: PageLayout) -> _Heading | None:
    classes = (element.get("class") or "").split()
    markup = next((c for c in _HEADLINE_CLASSES if c in classes), None)
    if element.get("itemprop") == "headline":
        markup = "itemprop-headline"
    elif element.tag not in _HEADING_TAGS and markup in (None, "title"):
        return None  # a <div class="title-small">: no headline markup
    if hidden(element) or any(hidden(a) for a in page_ancestors(element)):
        return None
    text = heading_text(element)
    if not _MIN_TITLE_CHARS <= len(text) <= MAX_TITLE_CHARS:
        return None
    source = markup or element.tag
    # A logo sits in the site's header, a few levels up at most.
    logo = any(
        _LOGO_LABEL.search(f"{node.get('class') or ''} {node.get('id') or ''}") or _LOGO_IDS.match(node.get("id") or "")
        for node in (element, *page_ancestors(element)[:_LOGO_DEPTH])
    ) or _links_home(element, url)
    rank = 0 if element.tag == "h1" or (markup and markup != "title") else 1
    return _Heading(element, text, source, rank, logo, layout)


def _metadata_titles(tree: HtmlElement, nodes: list[dict[str, Any]]) -> list[Title]:
    found = [Title(text_value(n.get("headline")), "json-ld") for n in nodes if is_article(n)]
    found += [Title(text_value(n.get("headline")), "json-ld") for n in nodes if not is_article(n)]
    declared = declarations(tree)
    for source in ("og:title", "twitter:title"):
        values = declared.meta_content(properties=(source,), names=(source,))
        found += [Title(clean_title(v), source) for v in values[:1]]
    found.append(Title(html_title(tree), "title"))
    return [t for t in found if t.text and len(t.text) <= MAX_TITLE_CHARS * 2]


def html_title(tree: HtmlElement) -> str | None:
    """The page's <title>, wherever a broken page put it, but not an SVG icon's."""
    titles = declarations(tree).titles
    return clean_title(titles[0].text_content()) or None if titles else None


def _segments(title: str) -> list[str]:
    return [s for s in SEPARATOR.split(title) if s.strip()]


def confirms(heading: str, title: str) -> bool:
    """Is the heading that title, or a run of the title's segments ("Post" in "Blog » Post")?"""
    key = name_key(heading)
    if not key:
        return False
    if key == name_key(title):
        return True
    keys = [name_key(s) for s in _segments(title)]
    return any(key == "".join(keys[i:j]) for i in range(len(keys)) for j in range(i + 1, len(keys) + 1))


def without_site_name(title: str, site: SiteNames) -> str:
    """The title without the site's name (or an engine's "Blog Archive") before or after it."""
    pieces = SEPARATOR.split(title)
    separators = SEPARATOR.findall(title)

    def droppable(piece: str) -> bool:
        return not piece.strip() or site.matches(piece) or name_key(piece) in _ENGINE_SEGMENTS

    start, end = 0, len(pieces)
    while end - start > 1 and droppable(pieces[start]):
        start += 1
    while end - start > 1 and droppable(pieces[end - 1]):
        end -= 1
    kept = [pieces[start]]
    for i in range(start + 1, end):
        kept += [separators[i - 1], pieces[i]]
    return "".join(kept).strip() or title


def _confirmed_text(heading: _Heading, metas: list[Title]) -> str | None:
    """The heading's headline a metadata title confirms: a part of it set apart in its own
    element when one is (a kicker line above it, "<span>Kicker</span><span>Headline</span>",
    is no part of the headline), else the whole heading."""
    parts = sorted(heading.parts, key=len, reverse=True)
    return next((text for text in (*parts, heading.text) if any(confirms(text, m.text or "") for m in metas)), None)


def _best_heading(headings: Iterable[_Heading]) -> _Heading | None:
    """The article's own headline among unconfirmed headings: a single <h1>-rank heading
    in the page's content (several of them are teasers or sections)."""
    content = [h for h in headings if h.rank == 0 and not h.logo and not h.outside]
    distinct = list(dict.fromkeys(h.text for h in content))
    return content[0] if len(distinct) == 1 else None


def page_title(
    tree: HtmlElement, url: str, nodes: list[dict[str, Any]], site: SiteNames, layout: PageLayout | None = None
) -> Title:
    """The headline the page shows, and its source (see the module's docstring)."""
    layout = layout or PageLayout(tree)
    headings = [h for e in _HEADINGS(tree) if (h := _heading(e, url, layout)) is not None]
    site = site.extended(h.text for h in headings if h.logo)
    # A metadata title that is the site's name exactly is a front page's, and says nothing;
    # a heading the metadata calls the headline is no site name, however alike they are.
    metas = [t for t in _metadata_titles(tree, nodes) if name_key(t.text or "") not in site.keys]
    headlines = {name_key(t.text or "") for t in metas if t.source != "title"}

    def candidate(heading: _Heading) -> bool:
        # A heading the metadata names as the headline word for word is the article's,
        # whatever its container is called (Blogger's posts sit in a "widget").
        named = name_key(heading.text) in headlines
        return (named or not site.matches(heading.text)) and ((heading.rank == 0 and named) or not heading.outside)

    for rank in (0, 1):
        confirmed = [
            Title(text, heading.source, heading.element)
            for heading in headings
            if heading.rank == rank and (text := _confirmed_text(heading, metas)) and candidate(heading)
        ]
        if confirmed:
            # "Headline - Forum Name" confirms the forum's <h1> too: the headline is the
            # longer of the two.
            return max(confirmed, key=lambda t: len(t.text or ""))
    if (heading := _best_heading(h for h in headings if h.rank == 0 and candidate(h))) is not None:
        return Title(heading.text, heading.source, heading.element)
    for meta in metas:
        if text := without_site_name(meta.text or "", site):
            return Title(_without_trailing_name(text), meta.source)
    return Title()


_TRAILING_NAME = re.compile(r"^(?P<headline>.+?)\s+(?:\||·|»|::)\s+(?P<name>[^|·»]+)$")


def _without_trailing_name(title: str) -> str:
    """'Headline | Name' with a name the page does not declare: a pipe (or a middle dot,
    a guillemet) before a last segment at most half as long sets off the site's name, not
    words of the headline (a dash or a colon may be either; a longer name is learned from
    the source's other titles, pipelines/source_titles.py)."""
    if (match := _TRAILING_NAME.match(title)) and 2 * len(match["name"]) <= len(match["headline"]):
        return match["headline"]
    return title
