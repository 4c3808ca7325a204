"""Databases the benchmarks fill: their own, never one a user keeps data in."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from storage.db import make_engine

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
