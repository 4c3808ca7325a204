"""URL helpers shared by the spider and the store."""

from __future__ import annotations

import re

from w3lib.url import url_query_cleaner

_COMMENT_PAGE_SEGMENT = re.compile(r"/comment-page-\d+(?=/|$|[?#])")


def without_comment_page(url: str) -> str:
    """The article a comment page belongs to: WordPress's /comment-page-N/ and ?cpage=N removed.

    WordPress gives each comment page its own canonical link; it is still the same article.
    """
    cleaned = url_query_cleaner(url, ("cpage",), remove=True, keep_fragments=True)
    return _COMMENT_PAGE_SEGMENT.sub("", cleaned)
