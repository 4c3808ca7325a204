"""Small typed queries over a caller-owned Session (they flush, never commit)."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from storage.models import Article, Comment, Source, utcnow
from storage.records import ArticleFields, CommentFields, content_hash
from storage.search import NO_FILTER, ArticleFilter
from storage.types import iso
from storage.urls import url_key


class ArticleChange(enum.Enum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class CommentMerge:
    added: int = 0
    edited: int = 0


_SOURCE_BY_NAME = select(Source).where(Source.name == bindparam("name"))
_ARTICLE_BY_URL_KEY = select(Article).where(Article.url_key == bindparam("url_key"))


def get_or_create_source(session: Session, name: str, home_url: str | None = None) -> Source:
    """The source row, remembered for the session's life (a crawl stores thousands of
    articles of a handful of sources); one rolled back since is looked up again."""
    known: dict[str, Source] = session.info.setdefault("sources_by_name", {})
    source = known.get(name)
    if source is None or source not in session:
        source = known[name] = _find_or_add_source(session, name, home_url)
    if home_url and source.home_url != home_url:
        source.home_url = home_url
    return source


def _find_or_add_source(session: Session, name: str, home_url: str | None) -> Source:
    source = session.scalar(_SOURCE_BY_NAME, {"name": name})
    if source is None:
        source = Source(name=name, home_url=home_url)
        session.add(source)
        session.flush()
    return source


def upsert_article(
    session: Session, source_name: str, fields: ArticleFields, *, home_url: str | None = None
) -> tuple[Article, ArticleChange]:
    """Insert the article, or update the row with the same URL identity (``url_key``).

    An existing article keeps its source (a saved copy of a crawled page does not move
    it, nor create an empty source). A changed text bumps ``version`` so corrections
    show up as updates, not new rows.
    """
    article = session.scalar(_ARTICLE_BY_URL_KEY, {"url_key": fields.url_key})
    values = {
        "url": fields.url,
        "title": fields.title,
        "authors": list(fields.authors),
        "published_at": fields.published_at,
        "language": fields.language,
        "sitename": fields.sitename,
        "description": fields.description,
        "categories": list(fields.categories),
        "tags": list(fields.tags),
        "text": fields.text,
        "word_count": fields.word_count,
        "content_hash": fields.content_hash,
        "http_etag": fields.http_etag,
        "http_last_modified": fields.http_last_modified,
        "declared_url_key": fields.declared_url_key,
    }
    now = utcnow()
    if article is None:
        article = Article(
            source=get_or_create_source(session, source_name, home_url),
            canonical_url=fields.canonical_url,
            url_key=fields.url_key,
            fetched_at=fields.fetched_at or now,
            updated_at=now,
            story_similarity=1.0,
            **values,
        )
        session.add(article)
        session.flush()
        # Its own story until dedup links it to another (pipelines.dedup).
        article.story_id = article.id
        session.flush()
        return article, ArticleChange.NEW
    changed = any(getattr(article, name) != value for name, value in values.items())
    article.fetched_at = fields.fetched_at or now
    if not changed:
        return article, ArticleChange.UNCHANGED
    if article.content_hash != values["content_hash"]:
        article.version += 1
        article.previous_content_hash = article.content_hash
    for name, value in values.items():
        setattr(article, name, value)
    article.updated_at = now
    session.flush()
    return article, ArticleChange.UPDATED


def replace_text(article: Article, text: str) -> None:
    """Give a stored article a cleaned text (ours, not the publisher's change: no new version)."""
    article.text = text
    article.word_count = len(text.split())
    article.content_hash = content_hash(text)
    article.updated_at = utcnow()


def merge_comments(
    session: Session, article: Article, comments: Sequence[CommentFields], *, article_is_new: bool = False
) -> CommentMerge:
    """Add comments not stored yet and update edited ones; never delete.

    A comment is the stored one with the same site id; without ids, the one with the
    same author and text, else the same author and time (its text was edited). A page
    that shows fewer comments than before (moderation, pagination) keeps the stored
    ones, and a shifted order changes only positions.
    """
    if article_is_new and not comments:
        return CommentMerge()
    # A new article has no stored comments to match against: no query.
    stored = [] if article_is_new else list(session.scalars(select(Comment).where(Comment.article_id == article.id)))
    by_site_id = {c.site_id: c for c in stored if c.site_id}
    by_text = {(c.author, content_hash(c.text)): c for c in stored}
    by_time = {(c.author, c.posted_at): c for c in stored if c.posted_at}
    keys = {c.comment_key for c in stored}
    matched: set[int] = set()
    by_position: dict[int, Comment] = {}
    added = edited = 0
    for fields in comments:
        candidates = (
            by_site_id.get(fields.site_id) if fields.site_id else None,
            by_text.get((fields.author, content_hash(fields.text))),
            by_time.get((fields.author, fields.posted_at)) if fields.posted_at else None,
        )
        row = next((c for c in candidates if c is not None and id(c) not in matched), None)
        if row is None:
            key, n = fields.key, 1
            while key in keys:  # the same words twice from one author ("+1"): both kept
                n += 1
                key = f"{fields.key}#{n}"
            keys.add(key)
            row = Comment(article_id=article.id, comment_key=key, text=fields.text, posted_at=fields.posted_at)
            session.add(row)
            added += 1
        elif row.text != fields.text:
            edited += 1
        matched.add(id(row))
        row.site_id = fields.site_id or row.site_id
        row.position = fields.position
        row.author = fields.author
        row.author_url = fields.author_url or row.author_url
        # A relative time ("3 days ago") parsed on the first sighting stays put.
        row.posted_at = row.posted_at or fields.posted_at
        row.text = fields.text
        row.markup = fields.markup
        by_position[fields.position] = row
    session.flush()
    for fields in comments:
        if fields.parent is not None and fields.parent in by_position:
            by_position[fields.position].parent_id = by_position[fields.parent].id
    session.flush()
    return CommentMerge(added=added, edited=edited)


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
        "authors": list(article.authors),
        "published_at": iso(article.published_at),
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
