"""Per-source boilerplate: paragraphs a source prints on many of its articles.

A support appeal ("X is reader-supported…"), a subscription line, page statistics
("Post contains 276 words, total size 2 kb."), an "About the author" bio: trafilatura
cannot tell them from the article on one page, but across a source's pages they repeat
word for word. As Media Cloud drops sentences a media source repeats, a paragraph found
on ``min_articles`` different articles of one source is that source's boilerplate and is
removed from its bodies. Text on one page only is never removed.

The paragraph functions are pure; the last two run in the store's session, with the
counts kept by storage/boilerplate.py.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

from pipelines.dedup.text import simplify
from pipelines.settings_reader import from_settings
from storage.boilerplate import ParagraphCounts, count_article, paragraph_counts
from storage.models import Article
from storage.queries import locked_articles, replace_text

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings
    from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class BoilerplateConfig:
    """BOILERPLATE_<FIELD> settings; defaults live here so the importer shares them."""

    SETTINGS_PREFIX: ClassVar[str] = "BOILERPLATE"

    enabled: bool = True
    # Three, not two: an article and one re-post of it share every paragraph.
    min_articles: int = 3
    # Shorter paragraphs ("Share", "Read more") say too little to be counted.
    min_words: int = 4
    # Longer ones are article text, and counting them would only grow the table.
    max_chars: int = 1500
    # A page losing more than this to boilerplate is a copy of another article of the
    # source, not a page with boilerplate: it keeps its text.
    max_removed_fraction: float = 0.5


_ZEROS = re.compile("0+")


def boilerplate_config(settings: BaseSettings) -> BoilerplateConfig:
    """BoilerplateConfig from the BOILERPLATE_* settings (a paragraph on one article and
    one re-post of it is no boilerplate: BOILERPLATE_MIN_ARTICLES is at least 2)."""
    config = from_settings(BoilerplateConfig, settings)
    return replace(config, min_articles=max(2, config.min_articles))


def paragraph_key(paragraph: str, config: BoilerplateConfig) -> int | None:
    """A signed 64-bit key of the paragraph's words (case, accents, digits folded, so
    "Post contains 276 words" and "Post contains 512 words" are one line), or None when
    it is too short or too long to count."""
    if len(paragraph) > config.max_chars:
        return None
    words = simplify(paragraph)
    if len(words) < config.min_words:
        return None
    # simplify() made every digit a 0; any number of them is one number.
    digest = hashlib.blake2b(_ZEROS.sub("0", " ".join(words)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def paragraph_keys(text: str, config: BoilerplateConfig) -> dict[int, str]:
    """Key → paragraph, for the text's countable paragraphs (one entry per distinct one)."""
    keys: dict[int, str] = {}
    for paragraph in text.split("\n"):
        if (key := paragraph_key(paragraph, config)) is not None:
            keys.setdefault(key, paragraph)
    return keys


def without_paragraphs(text: str, boilerplate: set[int], config: BoilerplateConfig) -> str:
    """The text minus its boilerplate paragraphs; unchanged when that would take most of it."""
    if not boilerplate:
        return text
    kept = [p for p in text.split("\n") if paragraph_key(p, config) not in boilerplate]
    removed = len(text) - sum(len(p) + 1 for p in kept) + 1
    if removed > config.max_removed_fraction * len(text):
        return text
    return "\n".join(kept)


def remove_source_boilerplate(
    session: Session, source_id: int, text: str, config: BoilerplateConfig, keys: dict[int, str] | None = None
) -> tuple[str, ParagraphCounts, dict[int, str]]:
    """The text without what the source is known to repeat, and its paragraphs' counts
    (for ``count_and_clean`` once the article has its row); ``keys``: the text's
    ``paragraph_keys`` when they are known."""
    keys = paragraph_keys(text, config) if keys is None else keys
    counts = paragraph_counts(session, source_id, keys, config.min_articles)
    return without_paragraphs(text, counts.boilerplate, config), counts, keys


def count_and_clean(
    session: Session,
    article: Article,
    raw_text: str,
    counts: ParagraphCounts,
    keys: dict[int, str],
    config: BoilerplateConfig,
) -> list[Article]:
    """Count the article's paragraphs for its source. When that makes a paragraph
    boilerplate, it goes from every article holding it, this one and the earlier ones;
    returns the articles whose text changed so (to be signed and linked again)."""
    holders = count_article(session, counts, keys, article.id)
    if not holders:
        return []
    changed = []
    for held in locked_articles(session, holders):
        own = raw_text if held.id == article.id else held.text
        held_keys = paragraph_keys(own, config)
        boilerplate = paragraph_counts(session, counts.source_id, held_keys, config.min_articles).boilerplate
        if (cleaned := without_paragraphs(own, boilerplate, config)) != held.text:
            replace_text(held, cleaned)
            changed.append(held)
    return changed
