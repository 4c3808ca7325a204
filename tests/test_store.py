"""StorePipeline against a real PostgreSQL server whose connections are dropped mid-crawl."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime

import pytest
from scrapy.utils.test import get_crawler
from sqlalchemy import text
from sqlalchemy.orm import object_session

from pipelines.crawl_store import CrawlStore, StoreConfig, StoreFailed
from pipelines.extract import Extraction
from pipelines.items import ArticleItem
from pipelines.store import StorePipeline
from storage.db import make_engine
from tests.conftest import close_store, stored_articles
from tests.test_boilerplate import item as boilerplate_item

WHEN = datetime(2024, 12, 20, tzinfo=UTC)


def article(n: int) -> ArticleItem:
    url = f"https://example.org/{n}"
    item = ArticleItem(url=url, body=b"", fetched_at=WHEN, source="example")
    item.extraction = Extraction(text=f"Article number {n}. " * 20, canonical_url=url, title=f"Article {n}")
    return item


def drop_connections(url: str) -> None:
    """What a server restart, a failover or an admin does to our session."""
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    admin.dispose()


def store(
    url: str, commit_every: int, items_before: int, items_after: int, *, fetch_before_drop: bool = False
) -> tuple[StorePipeline, str | None]:
    crawler = get_crawler(settings_dict={"NEWSDEDUP_DATABASE_URL": url, "STORE_COMMIT_EVERY": commit_every})
    pipeline = StorePipeline.from_crawler(crawler)

    async def crawl() -> str | None:
        await pipeline.open_spider()
        for n in range(1, items_before + 1):
            await pipeline.process_item(article(n))
        if fetch_before_drop:  # a 304's frontier row, in the open transaction
            pipeline.fetch_outcome("example", "https://example.org/unchanged", "not_modified", 304)
            await pipeline.store.call(lambda: None)
        drop_connections(url)
        failure = None
        try:
            for n in range(items_before + 1, items_before + items_after + 1):
                await pipeline.process_item(article(n))
        except StoreFailed as exc:
            failure = str(exc)
        with contextlib.suppress(StoreFailed):
            await close_store(pipeline)
        return failure

    return pipeline, asyncio.run(crawl())


def test_connection_dropped_between_commits_is_survived(pg_url: str) -> None:
    _, failure = store(pg_url, commit_every=1, items_before=1, items_after=1)
    assert failure is None
    assert sorted(a["title"] for a in stored_articles(pg_url)) == ["Article 1", "Article 2"]


def test_postgres_commits_each_article_so_a_dropped_connection_loses_none(pg_url: str) -> None:
    # An article is a transaction of its own on PostgreSQL (its key locks are held to its
    # commit): STORE_COMMIT_EVERY batches SQLite's commits only.
    pipeline, failure = store(pg_url, commit_every=2, items_before=3, items_after=1)
    assert failure is None
    assert sorted(a["title"] for a in stored_articles(pg_url)) == [f"Article {n}" for n in range(1, 5)]
    assert pipeline.stats.get_value("store/step/commit/count") == 4


def test_connection_dropped_mid_transaction_fails_loudly_and_keeps_committed_articles(pg_url: str) -> None:
    pipeline, failure = store(pg_url, commit_every=2, items_before=3, items_after=1, fetch_before_drop=True)
    assert failure is not None and "\n" not in failure
    assert "127.0.0.1:5432/test" in failure and "commit failed" in failure
    assert "frontier rows of the last fetches not stored" in failure
    assert pipeline.stats.get_value("store/failed") == failure
    # Articles 1-3 were committed; the 304's row was in the transaction the server dropped.
    assert sorted(a["title"] for a in stored_articles(pg_url)) == ["Article 1", "Article 2", "Article 3"]


@pytest.mark.parametrize("commit_every", [1, 3])
def test_everything_is_committed_at_close(sqlite_url: str, commit_every: int) -> None:
    crawler = get_crawler(settings_dict={"NEWSDEDUP_DATABASE_URL": sqlite_url, "STORE_COMMIT_EVERY": commit_every})
    pipeline = StorePipeline.from_crawler(crawler)

    async def crawl() -> None:
        await pipeline.open_spider()
        for n in range(1, 6):
            await pipeline.process_item(article(n))
        await close_store(pipeline)

    asyncio.run(crawl())
    assert len(stored_articles(sqlite_url)) == 5
    assert crawler.stats.get_value("store/articles_new") == 5


def test_the_pipeline_reads_a_stored_article_without_the_store_session(sqlite_url: str) -> None:
    """The store thread's next rollback expires what it stored: the pipeline, on the event
    loop, must not load it again through the session the store thread is using."""
    store = CrawlStore(StoreConfig(database_url=sqlite_url))
    store.open(["reader"], "test")
    stored = store.write(boilerplate_item(1, "The harbour reopens in May after a long winter of repairs. " * 8))
    session = object_session(stored.article)
    assert session is not None
    session.expire(stored.article)
    store.close("finished", {})  # its session closed: the article is detached and expired
    pipeline = StorePipeline(store, get_crawler())
    pipeline._count(stored)
    assert pipeline.stats.get_value("store/articles_new") == 1
    assert stored.canonical_url == "https://ledger.example/2024/05/01/story.html"
