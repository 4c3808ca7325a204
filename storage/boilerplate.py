"""Counts of the paragraphs each source prints, for per-source boilerplate removal."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from storage.key_locks import hold, lock_key
from storage.models import Source, SourceParagraph


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
        source = session.get(Source, source_id)
        assert source is not None
        learned_paragraphs(session, source.name).update(counts.boilerplate)
        if not hold(session, paragraph_lock_keys(source.name, counting)):
            return counts


def paragraph_lock_keys(source: str, keys: Iterable[int]) -> set[int]:
    """The locks of a source's counts of these paragraphs (storage/key_locks.py), by its
    name: known before its row is."""
    return {lock_key("paragraph", source, key) for key in keys}


def learned_paragraphs(session: Session, source: str) -> set[int]:
    """The keys this session has seen to be the source's boilerplate (paragraphs and title
    affixes): a paragraph that is boilerplate stays so, so what it saw holds; one learned
    since, by another process, is missing until a write of the source reads it."""
    learned: dict[str, set[int]] = session.info.setdefault("newsdedup.learned_paragraphs", {})
    return learned.setdefault(source, set())


def learn_paragraphs(session: Session, source: str, keys: Collection[int], min_articles: int) -> None:
    """Add to ``learned_paragraphs`` those of these keys the database holds to be the
    source's boilerplate (one indexed read, no lock: boilerplate stays so)."""
    if keys:
        query = (
            select(SourceParagraph.key)
            .join(Source, Source.id == SourceParagraph.source_id)
            .where(Source.name == source, SourceParagraph.key.in_(keys), SourceParagraph.articles >= min_articles)
        )
        learned_paragraphs(session, source).update(session.scalars(query))


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
