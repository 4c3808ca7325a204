"""Databases the benchmarks fill: their own, never one a user keeps data in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from storage.db import make_engine
from storage.records import content_hash

BENCH_DATABASE = "newsdedup_bench"


def bench_database(url: str) -> str:
    """A PostgreSQL URL is turned into one for the bench's own database (created if missing)."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() != "postgresql":
        return url
    engine = make_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": BENCH_DATABASE}):
            conn.execute(text(f"CREATE DATABASE {BENCH_DATABASE}"))
    engine.dispose()
    return sa_url.set(database=BENCH_DATABASE).render_as_string(hide_password=False)


def empty(engine: Engine) -> None:
    """Drop everything in the bench's PostgreSQL database (a SQLite file is deleted by the caller)."""
    if engine.dialect.name == "postgresql":
        assert engine.url.database == BENCH_DATABASE, "only the bench's own database is emptied"
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


def article_row(n: int, published: datetime, text: str = "", **columns: Any) -> dict[str, Any]:
    """One synthetic ``articles`` row for a bulk insert: its own URL, its own story."""
    return {
        "id": n,
        "source_id": 0,
        "url": f"https://synthetic.example/{n}",
        "canonical_url": f"https://synthetic.example/{n}",
        "url_key": f"synthetic.example/{n}",
        "text": text,
        "word_count": len(text.split()),
        "content_hash": content_hash(text) if text else f"{n:064x}",
        "published_at": published,
        "fetched_at": published,
        "updated_at": published,
        "authors": [],
        "categories": [],
        "tags": [],
        "version": 1,
        "story_id": n,
        **columns,
    }
