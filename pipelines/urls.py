"""URL helpers shared by the spider and the store."""

from __future__ import annotations

from dataclasses import dataclass

from w3lib.url import canonicalize_url, url_query_cleaner

from storage.urls import COMMENT_PAGE_SEGMENT, clean_article_url, same_site


def without_comment_page(url: str) -> str:
    """The article a comment page belongs to: WordPress's /comment-page-N/ and ?cpage=N removed.

    WordPress gives each comment page its own canonical link; it is still the same article.
    """
    cleaned = url_query_cleaner(url, ("cpage",), remove=True, keep_fragments=True)
    return COMMENT_PAGE_SEGMENT.sub("", cleaned)


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
