"""When an article was published, to the minute, from the page's own metadata.

htmldate (through trafilatura) takes a date in the URL (``/2024/05/14/…``) before the
page's metadata and keeps no time of day, so same-day articles all tie at midnight and
quote direction and story canonicals fall back to import order. Here the page's own
statements come first, in their written zone: ``article:published_time``, JSON-LD
``datePublished``, microdata, Dublin Core, then a ``<time datetime>``. The URL's date is
a cross-check, and the fallback when the page says nothing; trafilatura's guess is last.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from htmldate.extractors import extract_url_date
from htmldate.utils import Extractor

from pipelines.dates import localize
from pipelines.declarations import declarations
from pipelines.jsonld import json_ld_nodes, node_types
from pipelines.regions import PageLayout
from pipelines.shown_date import shown_date

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from pipelines.trafilatura_compat import PageMetadata

logger = logging.getLogger(__name__)

# Where each kind of statement sits, strongest first (the page's own publication time).
_PUBLISHED_META = ("article:published_time", "og:article:published_time")
# Dublin Core's names, the capitals of "DCTERMS", "DC" and "ISSUED"/"CREATED"/"DATE" read as small letters.
_DUBLIN_CORE = frozenset({"dcterms.issued", "dc.date.issued", "dcterms.created", "dc.date.created", "dc.date"})
_DUBLIN_CORE_CASE = str.maketrans("DCTERMSAEIUD", "dctermsaeiud")
# A <time> inside reader comments or a sidebar is someone else's time.
_TIME = (
    "//time[@datetime][not(ancestor::*[contains(@class, 'comment') or contains(@id, 'comment')"
    " or self::aside or self::footer])]"
)
_ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                  "opinionnewsarticle", "backgroundnewsarticle", "liveblogposting", "webpage"}  # fmt: skip
# A page's statement and its URL's date further apart than this disagree (a day either
# way is the same instant written in another zone, or a post dated late at night).
_AGREE = timedelta(days=1)
_URL_DATES = Extractor(extensive=False, max=datetime(2100, 1, 1), min=datetime(1990, 1, 1), original=True,
                       format="%Y-%m-%d")  # fmt: skip


class Published(NamedTuple):
    """A publication time (timezone-aware, UTC) and what it was read from."""

    at: datetime | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class _Found:
    moment: datetime  # aware, in the zone the page wrote it in
    timed: bool  # a time of day, not only a date
    source: str


def published_time(
    tree: HtmlElement,
    url: str,
    guesses: PageMetadata | None,
    timezone: str,
    nodes: list[dict[str, Any]] | None = None,
    layout: PageLayout | None = None,
    headline: HtmlElement | None = None,
    fetched_at: datetime | None = None,
) -> Published:
    """The page's publication time and its source.

    ``guesses``: trafilatura's metadata of the page, whose (htmldate's) date is used when
    nothing the page shows or states gives one; times written without a zone are in
    ``timezone``, the site's. ``nodes``: the page's JSON-LD (pipelines/jsonld.py);
    ``layout``: where elements sit, so a related post's ``<time>`` is not the article's;
    ``headline``: the heading the title was read from, under which a page prints its date.
    """
    stated = _stated(tree, timezone, json_ld_nodes(tree) if nodes is None else nodes, layout or PageLayout(tree))
    url_date = _url_date(url, timezone)
    if stated is not None:
        if url_date is None or abs(stated.moment.date() - url_date.date()) <= _AGREE:
            return Published(stated.moment.astimezone(UTC), stated.source)
        # They disagree: a <time> may be another article's; the metadata is the page's word.
        if stated.source != "time":
            logger.debug("%s: %s %s, URL says %s", url, stated.source, stated.moment, url_date.date())
            return Published(stated.moment.astimezone(UTC), f"{stated.source}; URL date {url_date:%Y-%m-%d} differs")
    if url_date is not None:
        return Published(url_date.astimezone(UTC), "url")
    layout = layout or PageLayout(tree)
    if (shown := shown_date(headline, layout, timezone, fetched_at or datetime.now(UTC))) is not None:
        return Published(shown, "shown")
    guessed = guesses.date if guesses is not None else None
    if guessed and (moment := _parse(guessed, timezone)) is not None:
        return Published(moment.moment.astimezone(UTC), "htmldate")
    return Published()


def _stated(tree: HtmlElement, timezone: str, nodes: list[dict[str, Any]], layout: PageLayout) -> _Found | None:
    """The first parseable statement, strongest first; a later one with a time of day
    refines a bare date only when it falls on that day."""
    dated: _Found | None = None
    for source, value in _statements(tree, nodes, layout):
        found = _parse(value, timezone, source)
        if found is None:
            continue
        if found.timed and (dated is None or abs(found.moment.date() - dated.moment.date()) <= _AGREE):
            return found
        dated = dated or found
    return dated


def _statements(tree: HtmlElement, nodes: list[dict[str, Any]], layout: PageLayout) -> Iterator[tuple[str, str]]:
    declared = declarations(tree)
    for value in declared.meta_content(properties=_PUBLISHED_META, names=_PUBLISHED_META[:1]):
        yield "article:published_time", value
    for value in _json_ld_dates(nodes):
        yield "json-ld", value
    # A related post's or a teaser's date is another article's.
    microdata = (v.getparent() for v in declared.labels if v.attrname == "itemprop" and v == "datePublished")
    for node in microdata:
        if not layout.around_article(node):
            yield "microdata", node.get("content") or node.get("datetime") or node.text_content()
    for meta in declared.metas:
        name, value = meta.get("name") or "", meta.get("content")
        if value is not None and name.translate(_DUBLIN_CORE_CASE) in _DUBLIN_CORE:
            yield "dublin-core", value
    for node in tree.xpath(_TIME):
        if not layout.around_article(node):
            yield "time", node.get("datetime")


def _json_ld_dates(nodes: list[dict[str, Any]]) -> Iterator[str]:
    """datePublished of article-like JSON-LD objects (first), then of any object."""
    dated = [node for node in nodes if isinstance(node.get("datePublished"), str)]
    for node in sorted(dated, key=lambda n: not node_types(n) & _ARTICLE_TYPES):
        yield node["datePublished"]


def _parse(value: str, timezone: str, source: str = "") -> _Found | None:
    """An ISO 8601 (or RFC 2822) time; one written without a zone is in the site's."""
    value = value.strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
        timed = "T" in value or ":" in value
    except ValueError:
        try:
            moment, timed = parsedate_to_datetime(value), True
        except (TypeError, ValueError, IndexError):
            return None
    if not 1990 <= moment.year <= 2100:
        return None
    return _Found(localize(moment, timezone), timed, source)


def _url_date(url: str, timezone: str) -> datetime | None:
    """The date a URL carries (``/2024/05/14/``), as midnight in the site's zone."""
    found = extract_url_date(url, _URL_DATES)
    return localize(datetime.fromisoformat(found), timezone) if found else None
