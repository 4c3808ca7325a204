"""An article's write locks on PostgreSQL: as narrow as its reads, so writers of different
stories store side by side and N writers give the rows one writer gives.

Storing an article reads state other writers change, then writes on it. Each such read
is covered by a transaction-level advisory lock on what it reads, held to the commit:

- its URL identities and text hash: the row it upserts, the identity candidates
  (``"url"``, ``"text"``);
- its signature's band and passage keys: the dedup candidates (``"band"``, ``"passage"``);
- its source's counts of the paragraphs and title affixes it carries, those not yet the
  source's boilerplate (``"paragraph"``, by source name);
- the story of every article whose story it reads or rewrites (``"story"``).

Two articles that could link share a key, so their writes are ordered; articles of
different stories do not wait for each other. An earlier article the write changes (one
the source's boilerplate cleans again, an edited one linked afresh) has its keys and
stories locked the same way. Every article writer also holds the database's write lock
shared; work that reaches past one article's keys (a user's split, an index rebuild)
takes it exclusively (storage.locks.write_lock) and runs alone.

The keys known before the write (``begin_article``: pipelines.write.plan_write says
which) are tried in one statement, and when another writer holds one, waited for in
key order with nothing else held, or (``try_article``) not waited for: the store sets
the article aside and writes others first (pipelines/crawl_store.py). Keys found only
by reading (a candidate's story, passages, a text that lost more boilerplate than
planned: ``hold``) are tried without waiting; when another writer has one,
``LockConflict`` says so and the article's transaction is rolled back and redone with
them among the keys waited for. A transaction holding locks never waits for another
lock, so the waits cannot deadlock. SQLite has one writer at a time anyway (BEGIN
IMMEDIATE): there, and in any session not begun with ``begin_article``, the functions
here do nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import text
from sqlalchemy.orm import Session

from storage.locks import WRITE_KEY, write_lock

T = TypeVar("T")

_INFO = "newsdedup.key_locks"
# The write lock shared (the array's first key), then the others in the array's order,
# in one round trip: tried (the keys not taken come back), or waited for.
_TRY_ALL = text(
    "SELECT k FROM unnest(CAST(:keys AS bigint[])) WITH ORDINALITY AS t(k, n)"
    " WHERE NOT (CASE WHEN n = 1 THEN pg_try_advisory_xact_lock_shared(k) ELSE pg_try_advisory_xact_lock(k) END)"
)
_TAKE = text(
    "SELECT count(CASE WHEN n = 1 THEN pg_advisory_xact_lock_shared(k) ELSE pg_advisory_xact_lock(k) END)"
    " FROM unnest(CAST(:keys AS bigint[])) WITH ORDINALITY AS t(k, n)"
)
_TRY = text("SELECT k FROM unnest(CAST(:keys AS bigint[])) AS k WHERE pg_try_advisory_xact_lock(k)")


def lock_key(kind: str, *parts: object) -> int:
    """The advisory lock key of one thing a write reads: ``lock_key("band", key)``."""
    name = ":".join((kind, *map(str, parts)))
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def index_keys(band_keys: Iterable[int], passage_keys: Iterable[int]) -> set[int]:
    """The locks of a signature's band and passage keys (its rows in the dedup index)."""
    return {lock_key("band", key) for key in band_keys} | {lock_key("passage", key) for key in passage_keys}


def identity_keys(url_key: str, declared_url_key: str | None, content_hash: str) -> set[int]:
    """The locks of an article's URL identities and text: its row, its identity candidates."""
    keys = {lock_key("url", url_key), lock_key("text", content_hash)}
    if declared_url_key:
        keys.add(lock_key("url", declared_url_key))
    return keys


class LockConflict(Exception):
    """The article's write found it needs a lock another writer holds (``keys``), or the
    database alone (``exclusive``): roll back and redo it with them."""

    def __init__(self, keys: Collection[int] = (), *, exclusive: bool = False, why: str = "") -> None:
        super().__init__(why or f"{len(keys)} locks held by another writer")
        self.keys = frozenset(keys)
        self.exclusive = exclusive


@dataclass(slots=True)
class _Held:
    exclusive: bool
    keys: set[int] = field(default_factory=set)
    # Articles this transaction inserted: no other writer sees them, or their stories,
    # before it commits, and then its locks are gone anyway.
    created: set[int] = field(default_factory=set)


def try_article(session: Session, keys: Iterable[int]) -> bool:
    """Open an article's transaction (PostgreSQL; the session's transaction holds nothing
    yet) with the write lock shared and ``keys`` if no other writer holds one of them, in
    one round trip. False, the transaction rolled back and nothing held, when one does."""
    held = _Held(False, set(keys))
    session.info[_INFO] = held
    if not session.scalars(_TRY_ALL, {"keys": [WRITE_KEY, *sorted(held.keys)]}).first():
        return True
    session.rollback()
    end_article(session)
    return False


def begin_article(session: Session, keys: Iterable[int], *, exclusive: bool = False) -> bool:
    """Open an article's transaction with its locks: the write lock shared and ``keys``,
    or the write lock alone, exclusively. True when they were free and taken at once;
    False when another writer held one and they were waited for (tried first, then
    waited for in key order with nothing else held, so that waits cannot deadlock)."""
    if exclusive:
        session.info[_INFO] = _Held(True)
        write_lock(session)
        return False
    keys = set(keys)
    if try_article(session, keys):
        return True
    session.execute(_TAKE, {"keys": [WRITE_KEY, *sorted(keys)]})
    session.info[_INFO] = _Held(False, keys)
    return False


def end_article(session: Session) -> None:
    """The transaction ended (committed or rolled back): its locks went with it."""
    session.info.pop(_INFO, None)


def hold(session: Session, keys: Iterable[int]) -> bool:
    """Take these locks too, without waiting. True when one was not held before: what was
    read before it was taken may have changed, so the caller reads it again. LockConflict
    when another writer holds one."""
    held: _Held | None = session.info.get(_INFO)
    if held is None or held.exclusive:
        return False
    new = set(keys) - held.keys
    if not new:
        return False
    taken = set(session.scalars(_TRY, {"keys": sorted(new)}))
    held.keys |= taken
    if missing := new - taken:
        raise LockConflict(missing)
    return True


def created(session: Session, article_id: int) -> None:
    """This transaction inserted the article: its story (its own id) needs no lock."""
    held: _Held | None = session.info.get(_INFO)
    if held is not None:
        held.created.add(article_id)


def hold_stories(session: Session, story_ids: Iterable[int]) -> bool:
    """``hold`` the stories with these ids (an article not yet clustered is its own story)."""
    held: _Held | None = session.info.get(_INFO)
    if held is None or held.exclusive:
        return False
    return hold(session, (lock_key("story", story) for story in story_ids if story not in held.created))


def read_stories(session: Session, read: Callable[[], T], stories: Callable[[T], Iterable[int]]) -> T:
    """``read()``, with the stories its answer names held: read again until reading took no
    new story lock (another writer may have moved an article between the read and the lock)."""
    while True:
        answer = read()
        if not hold_stories(session, stories(answer)):
            return answer
