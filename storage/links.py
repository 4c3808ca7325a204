"""Story links between articles (article_links) and the users' splits, over a caller-owned Session."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import JSON, Float, Integer, String, bindparam, delete, select
from sqlalchemy.orm import Session

from storage.dedup import QUOTE
from storage.models import ArticleLink, StorySplit, core_table

_SPLITS = select(StorySplit.url_key, StorySplit.other_url_key).where(
    (StorySplit.url_key == bindparam("url_key")) | (StorySplit.other_url_key == bindparam("url_key"))
)
_PAIR = (bindparam("article_id", type_=Integer), bindparam("target_id", type_=Integer), bindparam("kind", type_=String))
_LINK_EXISTS = select(ArticleLink.id).where(
    ArticleLink.article_id == _PAIR[0], ArticleLink.target_id == _PAIR[1], ArticleLink.kind == _PAIR[2]
)
# Inserted unless already recorded, in one statement (a lookup and an insert were two
# round trips per link, inside the write lock).
_INSERT_NEW_LINK = (
    core_table(ArticleLink)
    .insert()
    .from_select(
        ["article_id", "target_id", "kind", "method", "score", "detail"],
        select(
            *_PAIR,
            bindparam("method", type_=String),
            bindparam("score", type_=Float),
            bindparam("detail", type_=JSON),
        ).where(~_LINK_EXISTS.correlate(None).exists()),
    )
    .returning(core_table(ArticleLink).c.id)
)


def quote_links_among(session: Session, article_ids: Collection[int]) -> list[tuple[int, int, int]]:
    """(link id, post, quoted) of the quote links between two of ``article_ids``."""
    ids = list(article_ids)
    rows = session.execute(
        select(ArticleLink.id, ArticleLink.article_id, ArticleLink.target_id).where(
            ArticleLink.kind == QUOTE, ArticleLink.article_id.in_(ids), ArticleLink.target_id.in_(ids)
        )
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def delete_links(session: Session, link_ids: Collection[int]) -> None:
    if link_ids:
        session.execute(delete(ArticleLink).where(ArticleLink.id.in_(list(link_ids))))
        session.flush()


def split_keys(session: Session, url_key: str) -> set[str]:
    """URL identities a user has split from this article (never linked as copies)."""
    rows = session.execute(_SPLITS, {"url_key": url_key})
    return {other if first == url_key else first for first, other in rows}


def add_link(
    session: Session, article_id: int, target_id: int, kind: str, method: str, score: float, detail: dict
) -> bool:
    """Record that ``article_id`` copies/quotes ``target_id``; False when already recorded."""
    values = {"article_id": article_id, "target_id": target_id, "kind": kind, "method": method}
    return session.execute(_INSERT_NEW_LINK, {**values, "score": score, "detail": detail}).first() is not None


def remove_links(session: Session, article_id: int) -> set[int]:
    """Drop every link to or from an article; returns the articles it was linked with."""
    rows = session.execute(
        select(ArticleLink.article_id, ArticleLink.target_id).where(
            (ArticleLink.article_id == article_id) | (ArticleLink.target_id == article_id)
        )
    )
    neighbours = {a if b == article_id else b for a, b in rows}
    session.execute(
        delete(ArticleLink).where((ArticleLink.article_id == article_id) | (ArticleLink.target_id == article_id))
    )
    session.flush()
    return neighbours
