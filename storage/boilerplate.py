"""Counts of the paragraphs each source prints, for per-source boilerplate removal."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from storage.key_locks import hold, lock_key
from storage.models import SourceParagraph


@dataclass(slots=True)
class ParagraphCounts:
    """The stored counts of one article's paragraphs within its source."""

    source_id: int
    min_articles: int
    rows: dict[int, SourceParagraph] = field(default_factory=dict)

    @property
    def boilerplate(self) -> set[int]:
        return {key for key, row in self.rows.items() if row.articles >= self.min_articles}


def paragraph_counts(session: Session, source_id: int, keys: Collection[int], min_articles: int) -> ParagraphCounts:
    """What is known of these paragraphs of the source (one indexed lookup)."""
    counts = ParagraphCounts(source_id, min_articles)
    if not keys:
        return counts
    query = (
        select(SourceParagraph)
        .where(SourceParagraph.source_id == source_id, SourceParagraph.key.in_(keys))
        .execution_options(populate_existing=True)
    )
    while True:
        counts.rows = {row.key: row for row in session.scalars(query)}
        # A paragraph that is the source's boilerplate stays so: only the others' counts can
        # change under this write, so only theirs are locked (storage/key_locks.py); read
        # again when a lock was taken after the read.
        counting = [key for key in keys if (row := counts.rows.get(key)) is None or row.articles < min_articles]
        if not hold(session, (lock_key("paragraph", source_id, key) for key in counting)):
            return counts


def count_article(session: Session, counts: ParagraphCounts, keys: Collection[int], article_id: int) -> set[int]:
    """Count the article's paragraphs once; returns the articles that held a paragraph
    which has just become boilerplate (the article itself included), else nothing."""
    new = [
        {"source_id": counts.source_id, "key": key, "articles": 1, "seen_on": [article_id]}
        for key in keys
        if key not in counts.rows
    ]
    if new:
        session.execute(insert(SourceParagraph), new)
    holders: set[int] = set()
    for key in keys:
        row = counts.rows.get(key)
        if row is None or row.articles >= counts.min_articles or article_id in row.seen_on:
            continue
        row.articles += 1
        if row.articles >= counts.min_articles:
            holders.update(row.seen_on, {article_id})
            row.seen_on = []
        else:
            row.seen_on = [*row.seen_on, article_id]
    return holders
