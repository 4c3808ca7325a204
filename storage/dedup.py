"""The persistent dedup index and story clusters, as queries over a caller-owned Session.

The index lives in indexed tables (dedup_bands, dedup_passages), so it is shared by
every process writing to the database, survives restarts without recomputation, and a
lookup costs a few index probes instead of an in-memory LSH of the whole archive.
"""

from __future__ import annotations

import struct
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Article, ArticleLink, ArticleSignature, DedupBand, DedupPassage, StorySplit

COPY = "copy"
QUOTE = "quote"


def pack_keys(keys: Iterable[int]) -> bytes:
    values = list(keys)
    return struct.pack(f"<{len(values)}q", *values)


def unpack_keys(data: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(data) // 8}q", data))


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored article that may be a copy of, or quoted by, the article being linked."""

    id: int
    source_id: int
    content_hash: str
    url_key: str
    published_at: datetime | None
    fetched_at: datetime
    story_id: int | None


def foreign_params(session: Session, params: str) -> str | None:
    """Parameters of a stored signature built differently from ``params``, if any."""
    stmt = select(ArticleSignature.params).where(ArticleSignature.params != params).limit(1)
    return session.scalar(stmt)


def stored_signature(session: Session, article_id: int) -> tuple[bytes, str] | None:
    """The stored (minhash bytes, params) of an article, if it is indexed."""
    row = session.execute(
        select(ArticleSignature.minhash, ArticleSignature.params).where(ArticleSignature.article_id == article_id)
    ).first()
    return (bytes(row[0]), row[1]) if row else None


def save_signature(
    session: Session,
    article_id: int,
    *,
    minhash: bytes,
    params: str,
    shingle_count: int,
    band_keys: Sequence[int],
    passage_keys: Sequence[int],
) -> None:
    """Store the signature and add its rows to the band and passage indexes."""
    session.add(
        ArticleSignature(
            article_id=article_id,
            minhash=minhash,
            params=params,
            shingle_count=shingle_count,
            bands=pack_keys(band_keys),
            passages=pack_keys(passage_keys),
        )
    )
    if band_keys:
        session.execute(insert(DedupBand), [{"key": k, "article_id": article_id} for k in set(band_keys)])
    if passage_keys:
        session.execute(insert(DedupPassage), [{"key": k, "article_id": article_id} for k in set(passage_keys)])
    session.flush()


def drop_signature(session: Session, article_id: int) -> None:
    """Take an article out of the indexes (its text changed, or it is being rebuilt)."""
    signature = session.get(ArticleSignature, article_id)
    if signature is None:
        return
    for table, keys in ((DedupBand, signature.bands), (DedupPassage, signature.passages)):
        for chunk in _chunks(unpack_keys(keys), 500):
            session.execute(delete(table).where(table.article_id == article_id, table.key.in_(chunk)))
    session.delete(signature)
    session.flush()


def band_candidates(
    session: Session, article: Article, keys: Sequence[int], window: timedelta | None, limit: int
) -> list[int]:
    """Articles sharing an LSH band with ``keys``, most shared bands first.

    With a window, only articles published within it of this one (or undated ones).
    """
    shared = func.count().label("shared")
    stmt = (
        select(DedupBand.article_id, shared)
        .where(DedupBand.key.in_(set(keys)), DedupBand.article_id != article.id)
        .group_by(DedupBand.article_id)
        .order_by(shared.desc(), DedupBand.article_id)
        .limit(limit)
    )
    if window is not None and article.published_at is not None:
        stmt = stmt.join(Article, Article.id == DedupBand.article_id).where(
            or_(
                Article.published_at.is_(None),
                Article.published_at.between(article.published_at - window, article.published_at + window),
            )
        )
    return [row[0] for row in session.execute(stmt)]


def passage_candidates(
    session: Session, article_id: int, keys: Sequence[int], *, min_shared: int, max_articles: int, limit: int
) -> list[int]:
    """Articles sharing at least ``min_shared`` passage fingerprints with ``keys``.

    A fingerprint found in more than ``max_articles`` articles is a site's boilerplate
    (a disclaimer, a newsletter blurb), not a quote, and is ignored.
    """
    if not keys:
        return []
    common = (
        select(DedupPassage.key)
        .where(DedupPassage.key.in_(set(keys)))
        .group_by(DedupPassage.key)
        .having(func.count() > max_articles)
    )
    usable = set(keys) - set(session.scalars(common))
    if not usable:
        return []
    shared = func.count().label("shared")
    stmt = (
        select(DedupPassage.article_id, shared)
        .where(DedupPassage.key.in_(usable), DedupPassage.article_id != article_id)
        .group_by(DedupPassage.article_id)
        .having(shared >= min_shared)
        .order_by(shared.desc(), DedupPassage.article_id)
        .limit(limit)
    )
    return [row[0] for row in session.execute(stmt)]


def identity_candidates(session: Session, article: Article) -> dict[int, str]:
    """Articles that are this one by declaration or by identical text: {id: method}.

    One query: same text (content_hash), or one declares the other's URL as canonical.
    """
    match = (Article.content_hash == article.content_hash) | (Article.declared_url_key == article.url_key)
    if article.declared_url_key:
        match = match | (Article.url_key == article.declared_url_key)
    rows = session.execute(
        select(Article.id, Article.url_key, Article.declared_url_key).where(match, Article.id != article.id)
    )
    found: dict[int, str] = {}
    for other, key, declared in rows:
        by_url = declared == article.url_key or (article.declared_url_key and key == article.declared_url_key)
        found[other] = "url" if by_url else "text_hash"
    return found


def candidates(session: Session, ids: Collection[int]) -> list[Candidate]:
    rows = session.execute(
        select(
            Article.id,
            Article.source_id,
            Article.content_hash,
            Article.url_key,
            Article.published_at,
            Article.fetched_at,
            Article.story_id,
        ).where(Article.id.in_(ids))
    )
    return [Candidate(*row) for row in rows]


def texts(session: Session, ids: Collection[int]) -> dict[int, str]:
    return dict(session.execute(select(Article.id, Article.text).where(Article.id.in_(ids))).all())


def split_keys(session: Session, url_key: str) -> set[str]:
    """URL identities a user has split from this article (never linked as copies)."""
    rows = session.execute(
        select(StorySplit.url_key, StorySplit.other_url_key).where(
            (StorySplit.url_key == url_key) | (StorySplit.other_url_key == url_key)
        )
    )
    return {other if first == url_key else first for first, other in rows}


def add_link(
    session: Session, article_id: int, target_id: int, kind: str, method: str, score: float, detail: dict
) -> bool:
    """Record that ``article_id`` copies/quotes ``target_id``; False when already recorded."""
    exists = select(ArticleLink.id).where(
        ArticleLink.article_id == article_id, ArticleLink.target_id == target_id, ArticleLink.kind == kind
    )
    if session.scalar(exists) is not None:
        return False
    session.add(
        ArticleLink(article_id=article_id, target_id=target_id, kind=kind, method=method, score=score, detail=detail)
    )
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


def _chunks(values: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def clear_index(session: Session) -> None:
    """Forget every signature, index row and link; each article becomes its own story.

    The users' splits (story_splits) stay: a rebuild honours them.
    """
    for table in (ArticleLink, DedupBand, DedupPassage, ArticleSignature):
        session.execute(delete(table))
    session.execute(
        update(Article).values(story_id=Article.id, story_similarity=1.0).execution_options(synchronize_session=False)
    )
    session.flush()
