"""Reading stored articles back: listings (one row per story), JSON documents, lookup by id or URL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased, selectinload

from storage.models import Article, Comment, Source
from storage.search import NO_FILTER, ArticleFilter
from storage.types import iso
from storage.urls import url_key


@dataclass(frozen=True, slots=True)
class ArticleRow:
    id: int
    source: str
    title: str | None
    authors: list[str]
    published_at: str | None
    canonical_url: str
    words: int
    comments: int
    story_id: int | None = None
    # Articles in its story (1: no syndicated copy stored).
    copies: int = 1


def list_articles(session: Session, filters: ArticleFilter = NO_FILTER, *, limit: int | None = 50) -> list[ArticleRow]:
    """Newest first, with comment and copy counts; the listing behind `newsdedup articles`.

    One row per story (its canonical member) unless ``all_copies``; with a source
    filter, that source's articles whichever member of their story they are.
    """
    # Correlated counts: computed for the page of rows shown, not for the whole archive.
    member = aliased(Article)
    comment_count = select(func.count()).where(Comment.article_id == Article.id).scalar_subquery()
    story_size = select(func.count()).where(member.story_id == Article.story_id).scalar_subquery()
    stmt = (
        select(Article, Source.name, comment_count, story_size)
        .join(Source, Article.source_id == Source.id)
        .order_by(Article.published_at.desc().nulls_last(), Article.id)
    )
    if not filters.all_copies and filters.source is None:
        stmt = stmt.where((Article.story_id == Article.id) | Article.story_id.is_(None))
    stmt = filters.apply(stmt)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        ArticleRow(
            id=article.id,
            source=source_name,
            title=article.title,
            authors=list(article.authors),
            published_at=iso(article.published_at),
            canonical_url=article.canonical_url,
            words=article.word_count,
            comments=n,
            story_id=article.story_id,
            copies=size or 1,
        )
        for article, source_name, n, size in session.execute(stmt)
    ]


def count_rows(session: Session) -> dict[str, int]:
    return {
        "sources": session.scalar(select(func.count()).select_from(Source)) or 0,
        "articles": session.scalar(select(func.count()).select_from(Article)) or 0,
        "comments": session.scalar(select(func.count()).select_from(Comment)) or 0,
    }


def article_documents(session: Session, *, source: str | None = None) -> Iterator[dict[str, Any]]:
    """Each stored article as a plain dict with its source and comments (thread order).

    Streams with yield_per so an export of a large archive runs in constant memory.
    """
    stmt = (
        select(Article, Source.name)
        .join(Source, Article.source_id == Source.id)
        .order_by(Source.name, Article.canonical_url)
        # Comments come in one query per batch of 200 articles, not one per article.
        .options(selectinload(Article.comments))
        .execution_options(yield_per=200)
    )
    if source is not None:
        stmt = stmt.where(Source.name == source)
    for article, source_name in session.execute(stmt):
        yield article_document(article, source_name)


def article_document(article: Article, source_name: str) -> dict[str, Any]:
    """One article with its comments as a plain dict (``parent`` is the parent's position)."""
    positions = {c.id: c.position for c in article.comments}
    return {
        "id": article.id,
        "source": source_name,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "title": article.title,
        "title_source": article.title_source,
        "authors": list(article.authors),
        "authors_source": article.authors_source,
        "published_at": iso(article.published_at),
        "published_source": article.published_source,
        "language": article.language,
        "categories": list(article.categories),
        "tags": list(article.tags),
        "text": article.text,
        "content_hash": article.content_hash,
        "comments": [
            {
                "position": c.position,
                "author": c.author,
                "author_url": c.author_url,
                "posted_at": iso(c.posted_at),
                "text": c.text,
                "parent": positions.get(c.parent_id) if c.parent_id else None,
                "site_id": c.site_id,
                "markup": c.markup,
            }
            for c in article.comments
        ],
    }


def find_article(session: Session, id_or_url: str) -> tuple[Article, str] | None:
    """An article by id, fetch URL or canonical URL, with its source's name."""
    stmt = select(Article, Source.name).join(Source, Article.source_id == Source.id)
    if id_or_url.isdigit():
        stmt = stmt.where(Article.id == int(id_or_url))
    else:
        # Any variant of the URL finds it (AMP, mobile, tracking parameters, http/https).
        stmt = stmt.where(
            (Article.url_key == url_key(id_or_url)) | (Article.canonical_url == id_or_url) | (Article.url == id_or_url)
        )
    row = session.execute(stmt.limit(1)).first()
    return (row[0], row[1]) if row else None
