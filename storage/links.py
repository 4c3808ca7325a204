"""Story links between articles (article_links) and the users' splits, over a caller-owned Session."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from storage.dedup import QUOTE
from storage.models import ArticleLink, StorySplit, core_table

_INSERT_LINK = core_table(ArticleLink).insert()
_SPLITS = select(StorySplit.url_key, StorySplit.other_url_key).where(
    (StorySplit.url_key == bindparam("url_key")) | (StorySplit.other_url_key == bindparam("url_key"))
)
_LINK_EXISTS = select(ArticleLink.id).where(
    ArticleLink.article_id == bindparam("article_id"),
    ArticleLink.target_id == bindparam("target_id"),
    ArticleLink.kind == bindparam("kind"),
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
    pair = {"article_id": article_id, "target_id": target_id, "kind": kind}
    if session.scalar(_LINK_EXISTS, pair) is not None:
        return False
    session.execute(_INSERT_LINK, {**pair, "method": method, "score": score, "detail": detail})
    return True


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
