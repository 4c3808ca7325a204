"""Stories as clusters: connected components of copy links, their canonical member, and
the quote links their composition explains (queries over a caller-owned Session)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from storage import key_locks
from storage import links as story_links
from storage.dedup import COPY, QUOTE
from storage.models import Article, ArticleLink, ArticleSignature, StorySplit, core_table

if TYPE_CHECKING:
    from datasketch import LeanMinHash

# Run for many stored articles: built once (see storage.dedup).
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_COPY_NEIGHBOURS = select(ArticleLink.article_id, ArticleLink.target_id).where(
    ArticleLink.kind == COPY, ArticleLink.article_id.in_(_IDS) | ArticleLink.target_id.in_(_IDS)
)
_CANONICAL = (
    select(Article.published_at, Article.fetched_at, ArticleSignature.minhash)
    .outerjoin(ArticleSignature, ArticleSignature.article_id == Article.id)
    .where(Article.id == bindparam("story_id"), Article.story_id == bindparam("story_id"))
)
_MEMBERS = (
    select(Article.id, Article.published_at, Article.fetched_at, ArticleSignature.minhash, Article.story_id)
    .outerjoin(ArticleSignature, ArticleSignature.article_id == Article.id)
    .where(Article.id.in_(_IDS))
)
# Core, not ORM: one executemany for a component's members.
_ARTICLES = core_table(Article)
_SET_STORY = (
    update(_ARTICLES)
    .where(_ARTICLES.c.id == bindparam("article_id"))
    .values(story_id=bindparam("story_id"), story_similarity=bindparam("similarity"))
)
_STORY_IDS = select(Article.id, Article.story_id).where(Article.id.in_(_IDS))
_QUOTED_STORIES = (
    select(ArticleLink.article_id, Article.story_id, ArticleLink.target_id)
    .join(Article, Article.id == ArticleLink.target_id)
    .where(ArticleLink.kind == QUOTE, ArticleLink.article_id.in_(_IDS))
)
_QUOTES_TOUCHING = select(ArticleLink.id, ArticleLink.article_id, ArticleLink.target_id).where(
    ArticleLink.kind == QUOTE, ArticleLink.article_id.in_(_IDS) | ArticleLink.target_id.in_(_IDS)
)


def copy_component(session: Session, article_id: int) -> set[int]:
    """Every article connected to this one by copy links (its story)."""
    members, frontier = {article_id}, {article_id}
    while frontier:
        rows = session.execute(_COPY_NEIGHBOURS, {"ids": list(frontier)})
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
    key_locks.hold_stories(session, [story_id])
    row = session.execute(_CANONICAL, {"story_id": story_id}).first()
    if row is None:
        return False
    if story_order(article.published_at, article.fetched_at, article.id) < story_order(*row[:2], story_id):
        return False
    similarity = round(float(_minhash(row.minhash).jaccard(minhash)), 4) if row.minhash else None
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
    params = {"ids": list(members)}
    rows = key_locks.read_stories(
        session, lambda: session.execute(_MEMBERS, params).all(), lambda found: (r.story_id or r.id for r in found)
    )
    canonical = min(rows, key=lambda r: story_order(r.published_at, r.fetched_at, r.id))
    reference = _minhash(canonical.minhash) if canonical.minhash else None
    updates = []
    for row in rows:
        if row.id == canonical.id:
            similarity = 1.0
        elif reference is not None and row.minhash:
            similarity = round(float(reference.jaccard(_minhash(row.minhash))), 4)
        else:
            similarity = None
        updates.append({"article_id": row.id, "story_id": canonical.id, "similarity": similarity})
    session.execute(_SET_STORY, updates)
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


def story_ids(session: Session, article_ids: Collection[int]) -> dict[int, int]:
    """{article id: story id} (an article not yet clustered is its own story)."""
    params = {"ids": list(article_ids)}
    return key_locks.read_stories(
        session,
        lambda: {article_id: story_id or article_id for article_id, story_id in session.execute(_STORY_IDS, params)},
        lambda stories: stories.values(),
    )


def related_stories(session: Session, article_ids: Collection[int]) -> dict[int, set[int]]:
    """{article id: its own story and every story it quotes}."""
    related = {article_id: {story} for article_id, story in story_ids(session, article_ids).items()}
    params = {"ids": list(article_ids)}
    rows = key_locks.read_stories(
        session,
        lambda: session.execute(_QUOTED_STORIES, params).all(),
        lambda found: (story or target for _, story, target in found),
    )
    for article_id, story, target in rows:
        # A quoted article not yet clustered is its own story (as in story_ids).
        related[article_id].add(story or target)
    return related


def quote_links_among(session: Session, article_ids: Collection[int]) -> list[tuple[int, int, int]]:
    """(link id, post, quoted) of the quote links between two of ``article_ids``, the
    stories of their ends held (storage/key_locks.py: a writer reading those links waits)."""
    ids = list(article_ids)

    def read() -> tuple[list[tuple[int, int, int]], dict[int, int | None]]:
        links = story_links.quote_links_among(session, ids)
        ends = list({end for _, post, quoted in links for end in (post, quoted)})
        stories = {article: story for article, story in session.execute(_STORY_IDS, {"ids": ends})} if ends else {}
        return links, stories

    links, _ = key_locks.read_stories(session, read, lambda found: (s or a for a, s in found[1].items()))
    return links


def prune_quotes(session: Session, article_ids: Collection[int]) -> int:
    """Drop quote links among ``article_ids``' links that their stories now explain.

    A link A→B stops being a quote when A and B end up in one story, when B quotes
    A's story (the shared text is B's quote of it, reached before A's source was
    stored), or when both quote one same story. Returns how many were dropped.
    """
    links = session.execute(_QUOTES_TOUCHING, {"ids": list(article_ids)}).all()
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


def _minhash(data: bytes) -> LeanMinHash:
    # datasketch (and scipy with it) loads only when a story is relinked: the query
    # commands that import this module start ~1 s faster without it.
    from datasketch import LeanMinHash

    return LeanMinHash.deserialize(data)
