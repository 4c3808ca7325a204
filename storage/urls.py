"""Article identity from URLs: one row per article however it was reached.

Pure functions over courlan and w3lib (no Scrapy), used by the store pipeline and by
the migration that back-fills ``articles.url_key``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from courlan import extract_domain, normalize_url
from w3lib.url import url_query_cleaner

# Query parameters that select a rendering of the same article, not another article.
_VARIANT_PARAMS = ("amp", "outputType", "output", "m", "mobile", "cpage")
_INDEX_PAGE = re.compile(r"/(?:index|default)\.(?:html?|php|aspx?)$", re.IGNORECASE)
# WordPress gives each page of a comment thread its own URL; it is still the same article.
COMMENT_PAGE_SEGMENT = re.compile(r"/comment-page-\d+(?=/|$|[?#])")
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
