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

from sqlalchemy import ARRAY, BigInteger, Insert, Integer, bindparam, delete, func, or_, select, update
from sqlalchemy.orm import Session

from storage import key_locks
from storage.models import Article, ArticleLink, ArticleSignature, DedupBand, DedupPassage, core_table

COPY = "copy"
QUOTE = "quote"

# The statements run for every stored article are built once, with bound parameters:
# building a select() costs more than SQLite running it (band lookup: 250 µs built per
# call, 85 µs prebuilt; bench/db_write_rate.py). Lists are expanding parameters.
_STORED_SIGNATURE = select(ArticleSignature.minhash, ArticleSignature.params).where(
    ArticleSignature.article_id == bindparam("article_id")
)
_INSERT_SIGNATURE = core_table(ArticleSignature).insert()
_INSERT_BAND = core_table(DedupBand).insert()
_INSERT_PASSAGE = core_table(DedupPassage).insert()
_ARTICLE_ID = bindparam("article_id", type_=Integer)


def _index_rows(insert: Insert, keys: str) -> Insert:
    """Insert one row per key of an array parameter for ``article_id``."""
    rows = select(func.unnest(bindparam(keys, type_=ARRAY(BigInteger))), _ARTICLE_ID)
    return insert.from_select(["key", "article_id"], rows)


# PostgreSQL: the signature and its index rows in one statement, one round trip instead
# of three and no row-by-row executemany of the keys.
_SAVE_SIGNATURE_PG = _index_rows(_INSERT_PASSAGE, "passage_keys").add_cte(
    _INSERT_SIGNATURE.values(
        article_id=_ARTICLE_ID,
        minhash=bindparam("minhash"),
        params=bindparam("params"),
        shingle_count=bindparam("shingle_count"),
        bands=bindparam("bands"),
        passages=bindparam("passages"),
    ).cte("signature"),
    _index_rows(_INSERT_BAND, "band_keys").cte("bands"),
)
_SHARED = func.count().label("shared")
_BAND_MATCHES = (
    select(DedupBand.article_id, _SHARED)
    .where(DedupBand.key.in_(bindparam("keys", expanding=True)), DedupBand.article_id != bindparam("article_id"))
    .group_by(DedupBand.article_id)
    .order_by(_SHARED.desc(), DedupBand.article_id)
    .limit(bindparam("limit"))
)
_BAND_MATCHES_IN_WINDOW = _BAND_MATCHES.join(Article, Article.id == DedupBand.article_id).where(
    or_(Article.published_at.is_(None), Article.published_at.between(bindparam("start"), bindparam("end")))
)
# Document frequency of passage fingerprints, counted in stories (copies of one text
# count once): the linker decides which are boilerplate from it (pipelines/dedup/boilerplate.py).
_PASSAGE_STORIES = (
    select(DedupPassage.key, func.count(func.distinct(func.coalesce(Article.story_id, Article.id))))
    .join(Article, Article.id == DedupPassage.article_id)
    .where(DedupPassage.key.in_(bindparam("keys", expanding=True)))
    .group_by(DedupPassage.key)
)
_PASSAGE_MATCHES = (
    select(DedupPassage.article_id, _SHARED)
    .where(DedupPassage.key.in_(bindparam("keys", expanding=True)), DedupPassage.article_id != bindparam("article_id"))
    .group_by(DedupPassage.article_id)
    .having(bindparam("min_shared") <= _SHARED)
    .order_by(_SHARED.desc(), DedupPassage.article_id)
    .limit(bindparam("limit"))
)
_PASSAGE_HOLDERS = select(DedupPassage.article_id).where(DedupPassage.key.in_(bindparam("keys", expanding=True)))
_INDEXED = select(func.count()).select_from(ArticleSignature)
_SAME_TEXT_OR_DECLARED = select(Article.id, Article.url_key, Article.declared_url_key).where(
    (Article.content_hash == bindparam("content_hash")) | (Article.declared_url_key == bindparam("url_key")),
    Article.id != bindparam("article_id"),
)
_SAME_TEXT_OR_DECLARED_EITHER_WAY = select(Article.id, Article.url_key, Article.declared_url_key).where(
    (Article.content_hash == bindparam("content_hash"))
    | (Article.declared_url_key == bindparam("url_key"))
    | (Article.url_key == bindparam("declared_url_key")),
    Article.id != bindparam("article_id"),
)
_CANDIDATES = select(
    Article.id,
    Article.source_id,
    Article.content_hash,
    Article.url_key,
    Article.published_at,
    Article.fetched_at,
    Article.story_id,
    Article.published_source,
).where(Article.id.in_(bindparam("ids", expanding=True)))


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
    published_source: str | None = None


def foreign_params(session: Session, params: str) -> str | None:
    """Parameters of a stored signature built differently from ``params``, if any."""
    stmt = select(ArticleSignature.params).where(ArticleSignature.params != params).limit(1)
    return session.scalar(stmt)


def stored_signature(session: Session, article_id: int) -> tuple[bytes, str] | None:
    """The stored (minhash bytes, params) of an article, if it is indexed."""
    row = session.execute(_STORED_SIGNATURE, {"article_id": article_id}).first()
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
    row = {
        "article_id": article_id,
        "minhash": minhash,
        "params": params,
        "shingle_count": shingle_count,
        "bands": pack_keys(band_keys),
        "passages": pack_keys(passage_keys),
    }
    if session.get_bind().dialect.name == "postgresql":
        keys = {"band_keys": list(set(band_keys)), "passage_keys": list(set(passage_keys))}
        session.execute(_SAVE_SIGNATURE_PG, {**row, **keys})
        return
    session.execute(_INSERT_SIGNATURE, row)
    if band_keys:
        session.execute(_INSERT_BAND, [{"key": k, "article_id": article_id} for k in set(band_keys)])
    if passage_keys:
        session.execute(_INSERT_PASSAGE, [{"key": k, "article_id": article_id} for k in set(passage_keys)])


def drop_signature(session: Session, article_id: int) -> None:
    """Take an article out of the indexes (its text changed, or it is being rebuilt)."""
    signature = session.get(ArticleSignature, article_id)
    if signature is None:
        return
    # Writers reading these keys see this article among their candidates until it commits.
    key_locks.hold(session, key_locks.index_keys(unpack_keys(signature.bands), unpack_keys(signature.passages)))
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
    params = {"keys": list(set(keys)), "article_id": article.id, "limit": limit}
    if window is not None and article.published_at is not None:
        params.update(start=article.published_at - window, end=article.published_at + window)
        return list(session.scalars(_BAND_MATCHES_IN_WINDOW, params))
    return list(session.scalars(_BAND_MATCHES, params))


def passage_candidates(
    session: Session, article_id: int, keys: Collection[int], *, min_shared: int, limit: int
) -> dict[int, int]:
    """{article: shared fingerprints} for articles sharing at least ``min_shared`` of ``keys``.

    The caller passes the rare fingerprints only (see passage_stories): text many
    unrelated documents carry is no evidence that two of them are related.
    """
    if not keys:
        return {}
    params = {"keys": list(keys), "article_id": article_id, "min_shared": min_shared, "limit": limit}
    return dict(session.execute(_PASSAGE_MATCHES, params).all())


def passage_stories(session: Session, keys: Collection[int]) -> dict[int, int]:
    """{fingerprint: how many stories hold it} (its document frequency in the index)."""
    if not keys:
        return {}
    return dict(session.execute(_PASSAGE_STORIES, {"keys": list(keys)}).all())


def indexed_count(session: Session) -> int:
    """How many articles the index holds (what a document frequency is relative to)."""
    return session.scalar(_INDEXED) or 0


def passage_holders(session: Session, keys: Collection[int]) -> set[int]:
    """Every indexed article holding one of ``keys``."""
    return set(session.scalars(_PASSAGE_HOLDERS, {"keys": list(keys)})) if keys else set()


def stored_passages(session: Session, article_ids: Collection[int]) -> dict[int, set[int]]:
    """{article: its passage fingerprints}, from the stored signatures."""
    rows = session.execute(
        select(ArticleSignature.article_id, ArticleSignature.passages).where(
            ArticleSignature.article_id.in_(article_ids)
        )
    )
    return {article_id: set(unpack_keys(data)) for article_id, data in rows}


def identity_candidates(session: Session, article: Article) -> dict[int, str]:
    """Articles that are this one by declaration or by identical text: {id: method}.

    One query: same text (content_hash), or one declares the other's URL as canonical.
    """
    params = {"content_hash": article.content_hash, "url_key": article.url_key, "article_id": article.id}
    if declared := article.declared_url_key:
        rows = session.execute(_SAME_TEXT_OR_DECLARED_EITHER_WAY, {**params, "declared_url_key": declared})
    else:
        rows = session.execute(_SAME_TEXT_OR_DECLARED, params)
    found: dict[int, str] = {}
    for other, key, declared in rows:
        by_url = declared == article.url_key or (article.declared_url_key and key == article.declared_url_key)
        found[other] = "url" if by_url else "text_hash"
    return found


def candidates(session: Session, ids: Collection[int]) -> list[Candidate]:
    """The candidates' rows, their stories held (storage/key_locks.py): the linker reads and joins them."""
    params = {"ids": list(ids)}
    return key_locks.read_stories(
        session,
        lambda: [Candidate(*row) for row in session.execute(_CANDIDATES, params)],
        lambda found: (candidate.story_id or candidate.id for candidate in found),
    )


def texts(session: Session, ids: Collection[int]) -> dict[int, str]:
    return dict(session.execute(select(Article.id, Article.text).where(Article.id.in_(ids))).all())


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
