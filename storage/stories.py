"""Stories as users read them: a story's copies, the posts quoting it, what it quotes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from storage.dedup import COPY, QUOTE
from storage.models import Article, ArticleLink, Source
from storage.types import iso


def _member(article: Article, source: str) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": source,
        "title": article.title,
        "canonical_url": article.canonical_url,
        "published_at": iso(article.published_at),
        "similarity": article.story_similarity,
    }


def story_document(session: Session, article_id: int) -> dict[str, Any]:
    """The story an article belongs to: canonical member, every copy with the link that
    put it there, the posts that quote the story and the stories it quotes."""
    story_id = session.scalar(select(Article.story_id).where(Article.id == article_id)) or article_id
    rows = session.execute(
        select(Article, Source.name)
        .join(Source, Source.id == Article.source_id)
        .where(Article.story_id == story_id)
        .order_by(Article.published_at.nulls_last(), Article.fetched_at, Article.id)
    ).all()
    member_ids = [article.id for article, _ in rows]
    links: dict[int, list[dict[str, Any]]] = {}
    for link in session.scalars(
        select(ArticleLink).where(ArticleLink.kind == COPY, ArticleLink.article_id.in_(member_ids))
    ):
        links.setdefault(link.article_id, []).append(
            {"matched": link.target_id, "method": link.method, "score": link.score, **link.detail}
        )
    copies = [{**_member(article, source), "links": links.get(article.id, [])} for article, source in rows]
    return {
        "story_id": story_id,
        "canonical": copies[0] if copies else None,
        "copies": copies,
        "quoted_by": _quotes(session, member_ids, incoming=True),
        "quotes": _quotes(session, member_ids, incoming=False),
    }


def _quotes(session: Session, member_ids: list[int], *, incoming: bool) -> list[dict[str, Any]]:
    """Quote links into the story (posts quoting it) or out of it (what it quotes)."""
    other = aliased(Article)
    near, far = (
        (ArticleLink.target_id, ArticleLink.article_id) if incoming else (ArticleLink.article_id, ArticleLink.target_id)
    )
    rows = session.execute(
        select(other, Source.name, ArticleLink.score, near, ArticleLink.detail)
        .join(ArticleLink, far == other.id)
        .join(Source, Source.id == other.source_id)
        .where(ArticleLink.kind == QUOTE, near.in_(member_ids))
        .order_by(other.published_at.nulls_last(), other.id)
    ).all()
    return [
        {
            **_member(article, source),
            "story_id": article.story_id,
            "fraction_quoted": score,
            "member": member,
            # The runs of text the two share (boilerplate left out): why they are linked.
            "passages": (detail or {}).get("passages", []),
        }
        for article, source, score, member, detail in rows
    ]
