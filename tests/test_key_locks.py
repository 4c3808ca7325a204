"""Writers on PostgreSQL lock what an article's write reads (storage/key_locks.py): free
keys are taken at once, a held one is waited for, a lock found held in the middle of a
write redoes the write after it, and the store makes what SQLite's single writer makes."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from pipelines.crawl_store import LOCK_ALONE, LOCK_REDONE, LOCK_SET_ASIDE, CrawlStore, StoreConfig, StoredArticle
from pipelines.items import ArticleItem
from pipelines.write import article_fields
from storage.db import make_engine, session_factory
from storage.key_locks import LockConflict, begin_article, hold, hold_stories, lock_key, try_article
from storage.records import content_hash
from tests.conftest import store_items
from tests.test_boilerplate import APPEAL, BIO, item, stats_line, story

pytestmark = pytest.mark.postgres


@contextmanager
def sessions(url: str, n: int) -> Iterator[list[Session]]:
    engine = make_engine(url, writer=True)
    opened = [session_factory(engine)() for _ in range(n)]
    try:
        yield opened
    finally:
        for session in opened:
            session.close()
        engine.dispose()


def in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    result: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: result.setdefault("value", work()), daemon=True)
    thread.start()
    return thread, result


def wait_until_blocked(url: str, thread: threading.Thread) -> None:
    """Until a session of this database waits for an advisory lock (the thread's; other
    test workers have databases of their own)."""
    engine = make_engine(url)
    try:
        for _ in range(200):
            with engine.connect() as conn:
                waiting = conn.execute(
                    text(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                    )
                ).scalar()
            if waiting:
                return
            assert thread.is_alive(), "it finished without waiting"
            time.sleep(0.05)
        raise AssertionError("no session waited for a lock")
    finally:
        engine.dispose()


def test_free_keys_are_taken_at_once_and_a_held_one_is_waited_for(pg_url: str) -> None:
    with sessions(pg_url, 2) as (first, second):
        assert begin_article(first, {lock_key("url", "a"), lock_key("band", 1)}) is True
        thread, result = in_thread(lambda: begin_article(second, {lock_key("band", 1), lock_key("url", "b")}))
        wait_until_blocked(pg_url, thread)
        first.commit()
        thread.join(10)
        assert result == {"value": False}, "waited for"
        second.commit()


def test_a_try_takes_free_keys_and_holds_none_when_one_is_held(pg_url: str) -> None:
    with sessions(pg_url, 2) as (first, second):
        begin_article(first, {lock_key("band", 1)})
        assert try_article(second, {lock_key("url", "b"), lock_key("band", 1)}) is False
        assert hold(first, [lock_key("url", "b")]) is True, "the free key was not kept"
        first.commit()
        assert try_article(second, {lock_key("url", "b"), lock_key("band", 1)}) is True
        second.commit()


def test_a_lock_found_held_mid_write_names_it(pg_url: str) -> None:
    with sessions(pg_url, 2) as (first, second):
        begin_article(first, {lock_key("story", 7)})
        begin_article(second, {lock_key("url", "b")})
        with pytest.raises(LockConflict) as conflict:
            hold_stories(second, [7, 8])
        assert conflict.value.keys == {lock_key("story", 7)}
        assert not conflict.value.exclusive


def test_hold_says_whether_it_took_a_lock(pg_url: str) -> None:
    with sessions(pg_url, 1) as (session,):
        begin_article(session, {lock_key("url", "a")})
        assert hold(session, [lock_key("url", "a")]) is False
        assert hold_stories(session, [1]) is True, "new: what was read before may have changed"
        assert hold_stories(session, [1]) is False
        session.rollback()
        session.info.clear()
        # Outside an article's transaction (SQLite, the CLI's reads) nothing is locked.
        assert hold_stories(session, [1]) is False


def test_writing_alone_waits_for_the_article_writers(pg_url: str) -> None:
    with sessions(pg_url, 2) as (first, second):
        begin_article(first, {lock_key("url", "a")})
        thread, result = in_thread(lambda: begin_article(second, (), exclusive=True))
        wait_until_blocked(pg_url, thread)
        first.commit()
        thread.join(10)
        assert result == {"value": False}
        second.commit()


def open_store(url: str, name: str) -> CrawlStore:
    store = CrawlStore(StoreConfig(database_url=url))
    store.open([name], "test")
    return store


def test_a_write_meeting_a_held_story_is_redone_after_it(pg_url: str) -> None:
    first = open_store(pg_url, "first")
    original = first.write(item(1, ledger(1), source="ledger"))
    first.close("finished", {})
    # Another writer holds the original's story (it is linking a copy of its own).
    with sessions(pg_url, 1) as (other,):
        begin_article(other, set())
        hold_stories(other, [original.article.id])
        store = open_store(pg_url, "second")
        thread, result = in_thread(lambda: store.write(item(1, ledger(1), source="courier")))
        wait_until_blocked(pg_url, thread)
        other.commit()
        thread.join(20)
    copy = result["value"]
    assert copy.links is not None and copy.links.is_copy
    assert copy.article.story_id == original.article.id
    assert store.lock_counts == {LOCK_SET_ASIDE: 0, LOCK_REDONE: 1, LOCK_ALONE: 0}
    assert store.steps.counts["lock"] == store.steps.counts["lock_wait"] == 1, "its first try, then its wait"
    assert store.steps.counts["write"] == 1, "the redone try's steps are not counted"
    store.close("finished", {})


WORDS = sorted({w.strip(".,'").lower() for w in (story(0) + " " + story(1) + " " + APPEAL + " " + BIO).split()})


def report(n: int) -> list[str]:
    """Four paragraphs of a story of its own (stories that are not copies of each other)."""
    rng = random.Random(n)
    return [" ".join(rng.choice(WORDS) for _ in range(30)).capitalize() + "." for _ in range(4)]


def ledger(n: int) -> str:
    return "\n".join([*report(n), APPEAL, stats_line(n), BIO])


def edited(n: int) -> ArticleItem:
    changed = item(n, ledger(n).replace(" ", " really ", 3))
    changed.fetched_at = changed.fetched_at.replace(year=2025)
    return changed


def scenario() -> list[ArticleItem]:
    """A source learning its boilerplate (earlier articles cleaned, signed and linked
    again), copies on another source, a post quoting a story, and an edit of a stored article."""
    own = [item(n, ledger(n)) for n in range(6)]
    # The courier runs two of the stories without the ledger's appeal, statistics and bio.
    copies = [item(n, "\n".join(report(n)), source="courier") for n in (1, 4)]
    # A blog post quoting one of them.
    post = item(9, "\n".join([*report(90)[:2], *report(3)[:2], report(91)[0]]), source="blog")
    return [*own[:3], copies[0], *own[3:], copies[1], post, edited(2)]


def stored(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT a.canonical_url, a.text, a.title, a.version, h.canonical_url"
                " FROM articles a LEFT JOIN articles h ON h.id = a.story_id"
            )
        ).all()
        links = sorted(
            conn.execute(
                text(
                    "SELECT p.canonical_url, t.canonical_url, l.kind, l.method FROM article_links l"
                    " JOIN articles p ON p.id = l.article_id JOIN articles t ON t.id = l.target_id"
                )
            ).all()
        )
    engine.dispose()
    stories: dict[str, set[str]] = defaultdict(set)
    for url_, _, _, _, head in rows:
        stories[head or url_].add(url_)
    return {
        "articles": sorted(row[:4] for row in rows),
        "stories": sorted(map(sorted, stories.values())),
        "links": links,
    }


def test_postgres_stores_what_sqlites_single_writer_stores(pg_url: str, sqlite_url: str) -> None:
    pipeline = store_items(pg_url, scenario())
    store_items(sqlite_url, scenario())
    on_postgres, on_sqlite = stored(pg_url), stored(sqlite_url)
    assert on_postgres == on_sqlite
    assert sorted(map(len, on_postgres["stories"])) == [1, 1, 1, 1, 1, 2, 2], "each copy joined its story"
    assert [kind for *_, kind, _ in on_postgres["links"]].count("quote") == 1
    assert pipeline.stats.get_value("boilerplate/articles_recleaned") > 0
    # Cleaning earlier articles again and relinking an edited one took their locks: no
    # write needed the database alone.
    assert pipeline.stats.get_value("store/lock/alone") == 0


def store_together(store: CrawlStore, items: list[ArticleItem]) -> list[StoredArticle]:
    """The articles waiting for the store at once, as a crawl's pipeline hands them over."""

    async def all_of_them() -> list[StoredArticle]:
        return await asyncio.gather(*(store.store(one) for one in items))

    return asyncio.run(all_of_them())


def titles(url: str) -> list[str]:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = sorted(conn.execute(text("SELECT title FROM articles")).scalars())
    engine.dispose()
    return found


def test_an_article_whose_locks_are_held_is_set_aside_and_the_next_stored_first(pg_url: str) -> None:
    held, free = item(1, ledger(1)), item(2, ledger(2))
    store = open_store(pg_url, "writer")
    with sessions(pg_url, 1) as (other,):
        begin_article(other, {lock_key("url", article_fields(held).url_key)})
        thread, result = in_thread(lambda: store_together(store, [held, free]))
        wait_until_blocked(pg_url, thread)  # set aside, then, nothing else waiting, waited for
        assert titles(pg_url) == ["Story 2"], "the next article stored meanwhile"
        other.commit()
        thread.join(20)
    assert [stored.article.title for stored in result["value"]] == ["Story 1", "Story 2"]
    assert titles(pg_url) == ["Story 1", "Story 2"]
    assert store.lock_counts[LOCK_SET_ASIDE] >= 1 and store.lock_counts[LOCK_REDONE] == 0
    store.close("finished", {})


def test_versions_of_one_url_are_stored_in_the_order_they_came_when_one_is_set_aside(pg_url: str) -> None:
    older, newer, other_story = item(1, ledger(1)), edited(1), item(3, ledger(3))
    store = open_store(pg_url, "writer")
    with sessions(pg_url, 1) as (other,):
        begin_article(other, {lock_key("text", content_hash(article_fields(older).text))})
        thread, _ = in_thread(lambda: store_together(store, [older, newer, other_story]))
        wait_until_blocked(pg_url, thread)
        assert titles(pg_url) == ["Story 3"], "the newer version waits behind the older"
        other.commit()
        thread.join(20)
    engine = make_engine(pg_url)
    with engine.connect() as conn:
        current = conn.execute(text("SELECT text, version FROM articles WHERE title = 'Story 1'")).one()
    engine.dispose()
    assert current.text == article_fields(newer).text and current.version == 2
    assert store.lock_counts[LOCK_SET_ASIDE] == store.config.set_aside, "set aside as often as allowed, then waited for"
    store.close("finished", {})
