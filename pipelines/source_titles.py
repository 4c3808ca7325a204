"""Per-source title affixes: the site's name a source writes beside every headline.

A page that shows no headline of its own leaves only its metadata title ("Post Title |
The Ledger"), and when it does not name its site (no og:site_name) one page cannot tell
"The Ledger" from words of the headline. A source's pages can: the segment their
``<title>`` elements share before or after a separator is the source's name. As
paragraphs are for boilerplate (pipelines/boilerplate.py), each candidate affix is
counted per source (storage/boilerplate.py); once ``min_articles`` articles of the
source carry it, it goes from all their titles, the earlier rows included. A title the
page shows as its headline (an ``<h1>``, an ``entry-title``) stays as shown.

The affix functions are pure; the last two run in the store's session.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from pipelines.sitename import SEPARATOR, name_key
from storage.boilerplate import ParagraphCounts, count_article, paragraph_counts
from storage.models import Article
from storage.queries import locked_articles

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from pipelines.boilerplate import BoilerplateConfig

# Titles read from metadata (pipelines/titles.py); the others are what the page shows.
METADATA_SOURCES = frozenset({"json-ld", "og:title", "twitter:title", "title", "trafilatura"})
LEARNED = "+source-affix"
# A site's name and its section ("Forum | MacTechNews.de"): up to two segments a side.
_MAX_AFFIX_SEGMENTS = 2
_MAX_AFFIX_CHARS = 80


def _key(side: str, segments: list[str]) -> int:
    words = " ".join(name_key(s) for s in segments)
    digest = hashlib.blake2b(f"title-{side}\x1f{words}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _split(title: str) -> tuple[list[str], list[str]]:
    return SEPARATOR.split(title), SEPARATOR.findall(title)


def affix_keys(title: str | None) -> set[int]:
    """Keys of the segments before and after the title's headline that could be its site's name."""
    pieces, _ = _split(title or "")
    keys: set[int] = set()
    for n in range(1, min(_MAX_AFFIX_SEGMENTS, len(pieces) - 1) + 1):
        for side, run in (("prefix", pieces[:n]), ("suffix", pieces[-n:])):
            if all(name_key(p) for p in run) and sum(map(len, run)) <= _MAX_AFFIX_CHARS:
                keys.add(_key(side, run))
    return keys


def without_affixes(title: str, learned: set[int]) -> str:
    """The title without the learned affixes in front and behind (never all of it)."""
    pieces, separators = _split(title)
    start, end = 0, len(pieces)
    for n in range(_MAX_AFFIX_SEGMENTS, 0, -1):
        if end - start > n and _key("prefix", pieces[start : start + n]) in learned:
            start += n
        if end - start > n and _key("suffix", pieces[end - n : end]) in learned:
            end -= n
    if (start, end) == (0, len(pieces)):
        return title
    kept = [pieces[start]]
    for i in range(start + 1, end):
        kept += [separators[i - 1], pieces[i]]
    return "".join(kept).strip()


def _retitled(title: str | None, source: str | None, learned: set[int]) -> tuple[str | None, str | None]:
    if title is None or (source or "").removesuffix(LEARNED) not in METADATA_SOURCES:
        return title, source
    if (stripped := without_affixes(title, learned)) == title:
        return title, source
    return stripped, (source or "").removesuffix(LEARNED) + LEARNED


def remove_source_affixes(
    session: Session, source_id: int, title: str | None, title_source: str | None, html_title: str | None,
    config: BoilerplateConfig,
) -> tuple[str | None, str | None, ParagraphCounts, set[int]]:  # fmt: skip
    """The title without what the source is known to write beside its headlines, its
    source, and the counts of its page's affixes (for ``count_and_retitle``)."""
    keys = affix_keys(html_title)
    counts = paragraph_counts(session, source_id, keys, config.min_articles)
    return *_retitled(title, title_source, counts.boilerplate), counts, keys


def count_and_retitle(session: Session, article: Article, counts: ParagraphCounts, keys: set[int]) -> int:
    """Count the page's affixes for its source; when that makes one the source's, it goes
    from the titles of every article holding it, this one and the earlier ones. Returns
    how many titles changed so."""
    holders = count_article(session, counts, keys, article.id)
    if not holders:
        return 0
    learned = counts.boilerplate
    changed = 0
    for held in locked_articles(session, holders):
        title, source = _retitled(held.title, held.title_source, learned)
        if title != held.title:
            held.title, held.title_source = title, source
            changed += 1
    return changed
