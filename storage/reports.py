"""Reports over the whole database: the biggest stories, per-source health, streamed exports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Integer, case, cast, func, select
from sqlalchemy.orm import Session, aliased

from storage.dedup import QUOTE
from storage.models import Article, ArticleLink, Comment, CrawlRun, SeenUrl, Source
from storage.search import NO_FILTER, ArticleFilter
from storage.types import iso

EXPORT_BATCH = 500


def biggest_stories(
    session: Session, filters: ArticleFilter = NO_FILTER, *, limit: int | None = 20
) -> list[dict[str, Any]]:
    """Stories of a period ranked by copies plus quoting posts, the way a media monitor reads a
    news day: a story counts in the period (and for the other filters) by its canonical
    (earliest) article."""
    member, target = aliased(Article), aliased(Article)
    # Correlated counts, so only the period's stories are counted (indexed on story_id).
    copies = select(func.count()).where(member.story_id == Article.id).scalar_subquery()
    sites = select(func.count(func.distinct(member.source_id))).where(member.story_id == Article.id).scalar_subquery()
    quoted_by = (
        select(func.count(func.distinct(ArticleLink.article_id)))
        .join(target, target.id == ArticleLink.target_id)
        .where(ArticleLink.kind == QUOTE, target.story_id == Article.id)
        .scalar_subquery()
    )
    stories = (
        select(Article.id.label("story_id"), copies.label("copies"), sites.label("sites"), quoted_by.label("quoted_by"))
        .join(Source, Source.id == Article.source_id)
        .where(Article.story_id == Article.id)
    )
    stories = filters.apply(stories)
    counted = stories.subquery("counted")
    stmt = (
        select(Article, Source.name, counted.c.copies, counted.c.sites, counted.c.quoted_by)
        .join(counted, counted.c.story_id == Article.id)
        .join(Source, Source.id == Article.source_id)
        .order_by((counted.c.copies + counted.c.quoted_by).desc(), Article.published_at.desc().nulls_last(), Article.id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        {
            "story_id": article.id,
            "title": article.title,
            "source": source,
            "published_at": iso(article.published_at),
            "canonical_url": article.canonical_url,
            "copies": n_copies,
            "sources": n_sources,
            "quoted_by": n_quoted,
        }
        for article, source, n_copies, n_sources, n_quoted in session.execute(stmt)
    ]


def source_stats(session: Session) -> list[dict[str, Any]]:
    """Per source: articles, copies of other sites' stories, comments, last finished crawl,
    and how many of the fetched URLs failed."""
    articles = (
        select(
            Article.source_id,
            func.count().label("articles"),
            func.sum(cast(Article.story_id != Article.id, Integer)).label("copies"),
            func.max(Article.published_at).label("newest"),
        )
        .group_by(Article.source_id)
        .subquery()
    )
    comments = (
        select(Article.source_id, func.count(Comment.id).label("comments"))
        .join(Comment, Comment.article_id == Article.id)
        .group_by(Article.source_id)
        .subquery()
    )
    fetches = (
        select(
            SeenUrl.source_id,
            func.count().label("urls"),
            func.sum(case((SeenUrl.outcome.like("error:%"), 1), else_=0)).label("errors"),
        )
        .group_by(SeenUrl.source_id)
        .subquery()
    )
    stmt = (
        select(
            Source.name,
            articles.c.articles,
            articles.c.copies,
            articles.c.newest,
            comments.c.comments,
            fetches.c.urls,
            fetches.c.errors,
        )
        .outerjoin(articles, articles.c.source_id == Source.id)
        .outerjoin(comments, comments.c.source_id == Source.id)
        .outerjoin(fetches, fetches.c.source_id == Source.id)
        .order_by(Source.name)
    )
    last_crawls = _last_finished_crawls(session)
    return [
        _source_row(name, n_articles, n_copies, newest, n_comments, n_urls, n_errors, last_crawls)
        for name, n_articles, n_copies, newest, n_comments, n_urls, n_errors in session.execute(stmt)
    ]


def _source_row(
    name: str,
    n_articles: int | None,
    n_copies: int | None,
    newest: Any,
    n_comments: int | None,
    n_urls: int | None,
    n_errors: int | None,
    last_crawls: dict[str, Any],
) -> dict[str, Any]:
    urls, errors = n_urls or 0, n_errors or 0
    return {
        "source": name,
        "articles": n_articles or 0,
        "copies": int(n_copies or 0),
        "comments": n_comments or 0,
        "newest_article": iso(newest),
        "last_crawl": last_crawls.get(name),
        "urls_fetched": urls,
        "fetch_errors": errors,
        "error_rate": round(errors / urls, 4) if urls else None,
    }


def _last_finished_crawls(session: Session) -> dict[str, str]:
    """{source: when the newest finished run that crawled it ended} (runs record per_source)."""
    last: dict[str, str] = {}
    stmt = (
        select(CrawlRun.finished_at, CrawlRun.per_source)
        .where(CrawlRun.status == "finished")
        .order_by(CrawlRun.finished_at.desc())
        .limit(500)
    )
    for finished_at, per_source in session.execute(stmt):
        for name in per_source or {}:
            last.setdefault(name, iso(finished_at) or "")
    return last


ARTICLE_COLUMNS = (
    "id",
    "source",
    "published_at",
    "title",
    "authors",
    "language",
    "word_count",
    "canonical_url",
    "url",
    "story_id",
    "story_similarity",
    "comments",
    "text",
)
COMMENT_COLUMNS = ("id", "article_id", "article_url", "position", "parent_position", "author", "posted_at", "text")
STORY_COLUMNS = ("story_id", "title", "source", "published_at", "canonical_url", "copies", "sources", "quoted_by")


def export_articles(session: Session, filters: ArticleFilter) -> Iterator[dict[str, Any]]:
    """Articles as flat rows, streamed (yield_per): constant memory on any archive size."""
    n_comments = select(func.count()).where(Comment.article_id == Article.id).scalar_subquery()
    stmt = filters.apply(
        select(Article, Source.name, n_comments).join(Source, Source.id == Article.source_id)
    ).order_by(Article.id)
    if not filters.all_copies:
        stmt = stmt.where(Article.story_id == Article.id)
    for article, source, comments in session.execute(stmt.execution_options(yield_per=EXPORT_BATCH)):
        yield {
            "id": article.id,
            "source": source,
            "published_at": iso(article.published_at),
            "title": article.title,
            "authors": list(article.authors),
            "language": article.language,
            "word_count": article.word_count,
            "canonical_url": article.canonical_url,
            "url": article.url,
            "story_id": article.story_id,
            "story_similarity": article.story_similarity,
            "comments": comments,
            "text": article.text,
        }


def export_comments(session: Session, filters: ArticleFilter) -> Iterator[dict[str, Any]]:
    """Comments of the filtered articles (every copy's own comments), streamed."""
    parent = aliased(Comment)
    stmt = filters.apply(
        select(Comment, Article.canonical_url, parent.position)
        .join(Article, Article.id == Comment.article_id)
        .join(Source, Source.id == Article.source_id)
        .outerjoin(parent, parent.id == Comment.parent_id)
    ).order_by(Comment.article_id, Comment.position)
    for comment, article_url, parent_position in session.execute(stmt.execution_options(yield_per=EXPORT_BATCH)):
        yield {
            "id": comment.id,
            "article_id": comment.article_id,
            "article_url": article_url,
            "position": comment.position,
            "parent_position": parent_position,
            "author": comment.author,
            "posted_at": iso(comment.posted_at),
            "text": comment.text,
        }


def export_stories(session: Session, filters: ArticleFilter) -> Iterator[dict[str, Any]]:
    yield from biggest_stories(session, filters, limit=None)
