"""Which stored articles have an archived response (WARC location), for reprocess and export."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Article, Source
from storage.records import WarcLocation
from storage.search import NO_FILTER, ArticleFilter


@dataclass(frozen=True, slots=True)
class ArchivedArticle:
    id: int
    url: str
    source: str
    location: WarcLocation


def archived_articles(
    session: Session, filters: ArticleFilter = NO_FILTER, *, after_id: int = 0, limit: int = 500
) -> list[ArchivedArticle]:
    """The next ``limit`` archived articles by id after ``after_id`` (keyset pages: a
    reprocess of a large archive reads them a page at a time, whatever it writes)."""
    stmt = (
        select(Article.id, Article.url, Source.name, Article.warc_file, Article.warc_offset)
        .join(Source, Article.source_id == Source.id)
        .where(Article.warc_file.is_not(None), Article.id > after_id)
        .order_by(Article.id)
        .limit(limit)
    )
    return [
        ArchivedArticle(id_, url, source, WarcLocation(file, offset))
        for id_, url, source, file, offset in session.execute(filters.apply(stmt))
    ]


def iter_archived(session: Session, filters: ArticleFilter = NO_FILTER, batch: int = 500) -> Iterator[ArchivedArticle]:
    after = 0
    while page := archived_articles(session, filters, after_id=after, limit=batch):
        yield from page
        after = page[-1].id


def count_archived(session: Session, filters: ArticleFilter = NO_FILTER, *, archived: bool = True) -> int:
    """Selected articles with an archived response, or (``archived=False``) without one:
    stored by a crawl without WARC_DIR, or from saved pages."""
    has_record = Article.warc_file.is_not(None) if archived else Article.warc_file.is_(None)
    stmt = select(func.count()).select_from(Article).join(Source, Article.source_id == Source.id).where(has_record)
    return session.scalar(filters.apply(stmt)) or 0


def source_names(session: Session, filters: ArticleFilter = NO_FILTER) -> list[str]:
    """The sources a selection touches (what a reprocess locks)."""
    stmt = select(Source.name).join(Article, Article.source_id == Source.id).distinct()
    return sorted(session.scalars(filters.apply(stmt)))
