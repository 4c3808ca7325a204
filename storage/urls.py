"""Article identity from URLs: one row per article however it was reached.

Pure functions over courlan and w3lib (no Scrapy), used by the spider (comment pages),
the store (identity) and the migration that back-fills ``articles.url_key``. Every rule
about what URL names which article lives here, and only here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote_plus, urlsplit, urlunsplit

from courlan import extract_domain, normalize_url

# courlan's list of tracking parameters (utm_*, fbclid, gclid, mc_cid, …): the one
# normalize_url applies to the query, so clean_article_url and url_key drop exactly these.
from courlan.clean import TRACKERS_RE
from w3lib.url import canonicalize_url, url_query_cleaner

# Query parameters that select a rendering of the same article, not another article.
_VARIANT_PARAMS = ("amp", "outputType", "output", "m", "mobile", "cpage")
_INDEX_PAGE = re.compile(r"/(?:index|default)\.(?:html?|php|aspx?)$", re.IGNORECASE)
# WordPress gives each page of a comment thread its own URL; it is still the same article.
COMMENT_PAGE_SEGMENT = re.compile(r"/comment-page-\d+(?=/|$|[?#])")
_COMMENT_PAGE_NUMBER = re.compile(r"/comment-page-(\d+)(?=/|$)|[?&]cpage=(\d+)")
_AMP_SEGMENT = re.compile(r"/amp/?$", re.IGNORECASE)
_AMP_SUFFIX = re.compile(r"\.amp(\.html?)$", re.IGNORECASE)
# Host prefixes that serve the same article to other devices or readers.
_VARIANT_HOST = re.compile(r"^(?:www\d?|m|mobile|amp)\.", re.IGNORECASE)


def clean_article_url(url: str) -> str:
    """The readable canonical form: tracking parameters, fragment, index page and AMP path gone.

    courlan removes the trackers (utm_*, fbclid, gclid, mc_cid…), sorts the query and
    drops default ports; the variant rules here map AMP renderings onto the article.
    """
    if not url.startswith(("http://", "https://")):
        return url
    try:
        normalized = normalize_url(url)
    except ValueError:
        normalized = url
    normalized = url_query_cleaner(normalized, _VARIANT_PARAMS, remove=True)
    parts = urlsplit(normalized)
    path = COMMENT_PAGE_SEGMENT.sub("", parts.path)
    path = _AMP_SUFFIX.sub(r"\1", _AMP_SEGMENT.sub("/", _INDEX_PAGE.sub("/", path))) or "/"
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, parts.query, ""))


def is_tracker(name: str) -> bool:
    """Whether a query parameter only tracks where the reader came from: courlan's rule,
    tested as normalize_url tests it (the decoded name, lower-cased)."""
    return TRACKERS_RE.search(unquote_plus(name).lower()) is not None


def request_url(url: str) -> str:
    """The URL to fetch for a link: its tracking parameters and fragment dropped, nothing else.

    What url_key folds for these two, so a link with ``?utm_source=rss`` and the clean
    link of a sitemap are one request (the crawl's dupefilters see one URL). Everything
    else stays as the site wrote it, byte for byte: parameters that name a page
    (``?id=83``, ``?p=12``) or a rendering (``?amp=1``, ``?cpage=2``: another response),
    their order and their encoding, the path, the host.
    """
    if not url.startswith(("http://", "https://")):
        return url
    parts = urlsplit(url)
    pairs = parts.query.split("&") if parts.query else []
    query = "&".join(pair for pair in pairs if not is_tracker(pair.split("=", 1)[0]))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def is_variant_url(url: str) -> bool:
    """Whether a URL is another rendering of an article rather than its own address: what
    clean_article_url takes off its path or query (AMP, index and comment pages, rendering
    and tracking parameters), or a device host prefix url_key folds (``www.`` is no rendering)."""
    if not url.startswith(("http://", "https://")):
        return False
    parts, clean = urlsplit(url), urlsplit(clean_article_url(url))
    if parts.path.rstrip("/") != clean.path.rstrip("/"):
        return True
    if set(parse_qsl(parts.query, keep_blank_values=True)) != set(parse_qsl(clean.query, keep_blank_values=True)):
        return True
    prefix = _VARIANT_HOST.match(parts.hostname or "")
    return prefix is not None and not prefix.group().lower().startswith("www")


def url_key(url: str) -> str:
    """The identity of an article URL: its clean form without scheme, ``www.``/``m.``/``amp.``
    host prefix and trailing slash, so http/https, mobile and desktop copies are one row."""
    clean = clean_article_url(url)
    parts = urlsplit(clean)
    if parts.scheme not in ("http", "https"):
        return clean
    host = _VARIANT_HOST.sub("", parts.hostname or "")
    if parts.port:
        host = f"{host}:{parts.port}"
    key = f"{host}{parts.path.rstrip('/') or ''}"
    return f"{key}?{parts.query}" if parts.query else key


def same_site(first: str, second: str) -> bool:
    """Whether two http(s) URLs belong to one registered domain (mobile/AMP hosts included)."""
    return _site(first) == _site(second) is not None


def _site(url: str) -> str | None:
    if not url.startswith(("http://", "https://")):
        return None
    return extract_domain(url, fast=True) or urlsplit(url).hostname


def without_comment_page(url: str) -> str:
    """The article a comment page belongs to: WordPress's /comment-page-N/ and ?cpage=N removed.

    WordPress gives each comment page its own canonical link; it is still the same article.
    """
    cleaned = url_query_cleaner(url, ("cpage",), remove=True, keep_fragments=True)
    return COMMENT_PAGE_SEGMENT.sub("", cleaned)


def comment_page_number(url: str) -> int | None:
    """The page of a comment thread a URL shows (comment-page-N, ?cpage=N), if it names one."""
    match = _COMMENT_PAGE_NUMBER.search(url.split("#", 1)[0])
    return int(match.group(1) or match.group(2)) if match else None


def comment_thread_base(url: str) -> str:
    """The article URL a comment page belongs to: no page part, fragment or index.html."""
    url = without_comment_page(url.split("#", 1)[0])
    return re.sub(r"/index\.html?$", "/", url).rstrip("/")


@dataclass(frozen=True, slots=True)
class ArticleIdentity:
    """Where an article lives (``canonical_url``), and another site's URL it declares, if any.

    Syndication partners often set rel=canonical to the original on another site; that
    page is still a copy with its own URL, source and comments, linked to the original
    (method "url") rather than stored over it.
    """

    canonical_url: str
    declared_elsewhere: str | None = None


def article_identity(
    fetched_url: str, canonical: str | None, og_url: str | None, home_url: str | None = None
) -> ArticleIdentity:
    """One article's identity from the URL it was fetched at and the URLs it declares.

    A declared URL is trusted on the site the page came from (or the source's home site,
    so a mirror or test server of a configured source maps onto the real URLs). A saved
    page has no site of its own: its og:url stands for it.
    """
    own = fetched_url if fetched_url.startswith(("http://", "https://")) else og_url
    trusted = [url for url in (own, home_url) if url]
    declared = canonical or og_url
    if declared and (not trusted or any(same_site(declared, url) for url in trusted)):
        return ArticleIdentity(clean_article_url(declared))
    if own:
        return ArticleIdentity(clean_article_url(own), clean_article_url(declared) if declared else None)
    return ArticleIdentity(canonicalize_url(without_comment_page(fetched_url)))
