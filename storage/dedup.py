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

from datasketch import LeanMinHash
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


def copy_component(session: Session, article_id: int) -> set[int]:
    """Every article connected to this one by copy links (its story)."""
    members, frontier = {article_id}, {article_id}
    while frontier:
        batch = list(frontier)
        rows = session.execute(
            select(ArticleLink.article_id, ArticleLink.target_id).where(
                ArticleLink.kind == COPY,
                ArticleLink.article_id.in_(batch) | ArticleLink.target_id.in_(batch),
            )
        )
        found = {n for row in rows for n in row}
        frontier = found - members
        members |= frontier
    return members


def story_order(published_at: datetime | None, fetched_at: datetime, article_id: int) -> tuple:
    """Earliest published first, undated last; then first seen."""
    return (published_at is None, published_at or fetched_at, fetched_at, article_id)


def join_story(session: Session, article: Article, story_id: int, minhash: LeanMinHash) -> bool:
    """The common case: a new copy of one story that is not earlier than its canonical
    joins it with one update, without recomputing the story. False when it would become
    the canonical (then the story is recomputed)."""
    row = session.execute(
        select(Article.published_at, Article.fetched_at, ArticleSignature.minhash)
        .outerjoin(ArticleSignature, ArticleSignature.article_id == Article.id)
        .where(Article.id == story_id, Article.story_id == story_id)
    ).first()
    if row is None:
        return False
    if story_order(article.published_at, article.fetched_at, article.id) < story_order(*row[:2], story_id):
        return False
    similarity = round(float(LeanMinHash.deserialize(row.minhash).jaccard(minhash)), 4) if row.minhash else None
    article.story_id, article.story_similarity = story_id, similarity
    session.flush()
    return True


def recluster(session: Session, article_ids: Iterable[int]) -> set[int]:
    """Recompute the story of every component touching ``article_ids``; returns story ids.

    A story is a connected component of copy links, so its members and canonical do not
    depend on the order articles arrived in.
    """
    done: set[int] = set()
    stories: set[int] = set()
    for start in article_ids:
        if start in done:
            continue
        members = copy_component(session, start)
        done |= members
        stories.add(_assign_story(session, members))
    session.flush()
    return stories


def _assign_story(session: Session, members: set[int]) -> int:
    rows = session.execute(
        select(Article.id, Article.published_at, Article.fetched_at, ArticleSignature.minhash)
        .outerjoin(ArticleSignature, ArticleSignature.article_id == Article.id)
        .where(Article.id.in_(members))
    ).all()
    canonical = min(rows, key=lambda r: story_order(r.published_at, r.fetched_at, r.id))
    reference = LeanMinHash.deserialize(canonical.minhash) if canonical.minhash else None
    for row in rows:
        if row.id == canonical.id:
            similarity = 1.0
        elif reference is not None and row.minhash:
            similarity = round(float(reference.jaccard(LeanMinHash.deserialize(row.minhash))), 4)
        else:
            similarity = None
        session.execute(
            update(Article)
            .where(Article.id == row.id)
            .values(story_id=canonical.id, story_similarity=similarity)
            .execution_options(synchronize_session=False)
        )
    return canonical.id


def split_from_story(session: Session, article: Article) -> set[int]:
    """Take an article out of its story for good; returns the story ids now involved.

    The decision is stored by URL identity for every other member, so a re-import or a
    re-crawl links them again only if a user removes the split.
    """
    members = copy_component(session, article.id) - {article.id}
    keys = dict(session.execute(select(Article.id, Article.url_key).where(Article.id.in_(members))).all())
    for other_key in keys.values():
        first, second = sorted((article.url_key, other_key))
        exists = select(StorySplit.id).where(StorySplit.url_key == first, StorySplit.other_url_key == second)
        if session.scalar(exists) is None:
            session.add(StorySplit(url_key=first, other_url_key=second))
    session.execute(
        delete(ArticleLink).where(
            ArticleLink.kind == COPY,
            ((ArticleLink.article_id == article.id) & ArticleLink.target_id.in_(members))
            | ((ArticleLink.target_id == article.id) & ArticleLink.article_id.in_(members)),
        )
    )
    session.flush()
    return recluster(session, [article.id, *members])


def _chunks(values: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def story_ids(session: Session, article_ids: Collection[int]) -> dict[int, int]:
    """{article id: story id} (an article not yet clustered is its own story)."""
    rows = session.execute(select(Article.id, Article.story_id).where(Article.id.in_(article_ids)))
    return {article_id: story_id or article_id for article_id, story_id in rows}


def related_stories(session: Session, article_ids: Collection[int]) -> dict[int, set[int]]:
    """{article id: its own story and every story it quotes}."""
    related = {article_id: {story} for article_id, story in story_ids(session, article_ids).items()}
    rows = session.execute(
        select(ArticleLink.article_id, Article.story_id)
        .join(Article, Article.id == ArticleLink.target_id)
        .where(ArticleLink.kind == QUOTE, ArticleLink.article_id.in_(article_ids))
    )
    for article_id, story in rows:
        related[article_id].add(story)
    return related


def prune_quotes(session: Session, article_ids: Collection[int]) -> int:
    """Drop quote links among ``article_ids``' links that their stories now explain.

    A link A→B stops being a quote when A and B end up in one story, when B quotes
    A's story (the shared text is B's quote of it, reached before A's source was
    stored), or when both quote one same story. Returns how many were dropped.
    """
    links = session.execute(
        select(ArticleLink.id, ArticleLink.article_id, ArticleLink.target_id).where(
            ArticleLink.kind == QUOTE,
            ArticleLink.article_id.in_(article_ids) | ArticleLink.target_id.in_(article_ids),
        )
    ).all()
    if not links:
        return 0
    involved = {a for _, a, _ in links} | {b for _, _, b in links}
    own = story_ids(session, involved)
    quoted = related_stories(session, involved)
    stale = [
        link_id
        for link_id, post, source in links
        if own[post] == own[source]
        or own[post] in quoted[source]
        or (quoted[post] - {own[post], own[source]}) & (quoted[source] - {own[source]})
    ]
    if stale:
        session.execute(delete(ArticleLink).where(ArticleLink.id.in_(stale)))
        session.flush()
    return len(stale)


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
