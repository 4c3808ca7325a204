"""Writing articles, sources and comments over a caller-owned Session (flushes, never commits).

Reading them back is storage/articles.py."""

from __future__ import annotations

import enum
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from storage.key_locks import created, hold, identity_keys
from storage.models import Article, Comment, Source, utcnow
from storage.records import ArticleFields, CommentFields, WarcLocation, content_hash
from storage.urls import is_variant_url
from storage.versions import DEFAULT_HISTORY, REPROCESS, HistoryConfig, keep_version, tracked_changes


class ArticleChange(enum.Enum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class CommentMerge:
    added: int = 0
    edited: int = 0
    # Marked removed (a complete re-read no longer had them), and shown again.
    removed: int = 0
    restored: int = 0


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
    session: Session,
    source_name: str,
    fields: ArticleFields,
    *,
    home_url: str | None = None,
    changed: list[str] | None = None,
    history: HistoryConfig = DEFAULT_HISTORY,
) -> tuple[Article, ArticleChange]:
    """Insert the article, or update the row with the same URL identity (``url_key``).

    An existing article keeps its source (a saved copy of a crawled page does not move
    it, nor create an empty source). A changed text, title, authors or time bumps
    ``version`` so corrections show up as updates, not new rows, and the state replaced
    is kept as a version (storage/versions.py; ``history`` says whether, how many, and
    where this fetch came from). The names of the stored fields that take a new value
    ("text", "title", …) are appended to ``changed`` when it is given (reprocess
    reports them).
    """
    article = session.scalar(_ARTICLE_BY_URL_KEY, {"url_key": fields.url_key})
    values = _article_values(fields)
    if article is None:
        return _insert_article(session, source_name, fields, values, home_url), ArticleChange.NEW
    now = utcnow()
    if is_variant_url(fields.url) and not is_variant_url(article.url):
        # An AMP, mobile or tracking-link rendering of an article stored from its own URL:
        # the row keeps that rendering, whichever was fetched first (a fleet's workers
        # fetch them in any order).
        return article, ArticleChange.UNCHANGED
    differ = [name for name, value in values.items() if getattr(article, name) != value]
    if changed is not None:
        changed.extend(differ)
    last_seen, article.fetched_at = article.fetched_at, fields.fetched_at or now
    # The same archived record extracted again: whatever changed, the publisher did not.
    same_response = fields.warc is not None and tuple(fields.warc) == (article.warc_file, article.warc_offset)
    if fields.warc is not None or differ:
        # The row now holds what this fetch gave: it points to this fetch's record, or to
        # none (not archived) rather than to an older capture it no longer matches.
        for name, value in _warc_columns(fields.warc).items():
            setattr(article, name, value)
    if not differ:
        return article, ArticleChange.UNCHANGED
    if tracked := tracked_changes(article, values):
        origin = REPROCESS if same_response else history.origin
        # A new extraction of an old response happens now; an edit, when it was fetched.
        replaced_at = now if origin == REPROCESS else article.fetched_at
        keep_version(
            session,
            article,
            values,
            tracked,
            last_seen=last_seen,
            replaced_at=replaced_at,
            origin=origin,
            config=history,
        )
        article.version += 1
        if "text" in tracked:
            article.previous_content_hash = article.content_hash
    for name, value in values.items():
        setattr(article, name, value)
    article.updated_at = now
    session.flush()
    return article, ArticleChange.UPDATED


def _article_values(fields: ArticleFields) -> dict[str, Any]:
    """The columns a fetch sets, compared with the stored row to tell an update."""
    return {
        "url": fields.url,
        "title": fields.title,
        "title_source": fields.title_source,
        "authors": list(fields.authors),
        "authors_source": fields.authors_source,
        "published_at": fields.published_at,
        "published_source": fields.published_source,
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


def _insert_article(
    session: Session, source_name: str, fields: ArticleFields, values: dict[str, Any], home_url: str | None
) -> Article:
    now = utcnow()
    article = Article(
        source=get_or_create_source(session, source_name, home_url),
        canonical_url=fields.canonical_url,
        url_key=fields.url_key,
        fetched_at=fields.fetched_at or now,
        updated_at=now,
        story_similarity=1.0,
        **_warc_columns(fields.warc),
        **values,
    )
    session.add(article)
    session.flush()
    # Its own story until dedup links it to another (pipelines.dedup).
    article.story_id = article.id
    session.flush()
    created(session, article.id)
    return article


def locked_articles(session: Session, ids: Collection[int]) -> list[Article]:
    """Stored articles this write is about to change, under their identities' locks
    (storage/key_locks.py: a writer storing one of them again waits), read again after a
    lock is taken."""
    query = select(Article).where(Article.id.in_(list(ids))).execution_options(populate_existing=True)
    while True:
        articles = list(session.scalars(query))
        keys = set().union(*(identity_keys(a.url_key, a.declared_url_key, a.content_hash) for a in articles))
        if not hold(session, keys):
            return articles


def replace_text(article: Article, text: str) -> None:
    """Give a stored article a cleaned text (ours, not the publisher's change: no new version)."""
    article.text = text
    article.word_count = len(text.split())
    article.content_hash = content_hash(text)
    article.updated_at = utcnow()


def _warc_columns(location: WarcLocation | None) -> dict[str, Any]:
    return {"warc_file": location.file if location else None, "warc_offset": location.offset if location else None}


def merge_comments(
    session: Session,
    article: Article,
    comments: Sequence[CommentFields],
    *,
    article_is_new: bool = False,
    complete: bool = False,
    seen_at: datetime | None = None,
) -> CommentMerge:
    """Add comments not stored yet and update edited ones; never delete.

    A comment is the stored one with the same site id; without ids, the one with the
    same author and text, else the same author and time (its text was edited). A page
    that shows fewer comments than before keeps the stored ones, and a shifted order
    changes only positions. Only when ``comments`` are the ``complete`` thread (every
    comment page read again) are the stored ones it lacks marked removed, at ``seen_at``;
    a part of a thread (a comment page not fetched) says nothing of the others. A
    re-read finding no comment at all marks none: a changed template or a closed
    thread is likelier than every reader's comment deleted. A removed comment that
    shows again is unmarked.
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
    added = edited = restored = 0
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
        else:
            edited += row.text != fields.text
            restored += row.removed_at is not None
            row.removed_at = None
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
    removed = 0
    if complete and comments:
        for row in stored:
            if id(row) not in matched and row.removed_at is None:
                row.removed_at = seen_at or utcnow()
                removed += 1
    session.flush()
    return CommentMerge(added=added, edited=edited, removed=removed, restored=restored)
