"""Engine and session helpers, and schema migration through Alembic."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DATABASE_URL_ENV = "NEWSDEDUP_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///newsdedup.db"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class SchemaOutOfDate(RuntimeError):
    """The database schema is older (or newer) than this version of newsdedup."""


def resolve_database_url(explicit: str | None = None) -> str:
    """The DB URL to use: an explicit one, else $NEWSDEDUP_DATABASE_URL, else SQLite in the cwd."""
    return explicit or os.environ.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL


# A crawl's writer runs the same small index lookups thousands of times while the tables
# grow from nothing. psycopg prepares a statement on its 5th run, and PostgreSQL then
# keeps a generic plan costed on the statistics of that moment (none yet, before
# autoanalyze catches up, or ever with autovacuum off): over a 10k-article import the
# band lookup went from 0.8 to 6.3 ms and the identity lookup from 0.4 to 4.9 ms. With
# fresh statistics, a 40-key passage lookup was planned in parallel, and starting the
# workers took most of its 6.3 ms. A plan per execution and no parallel workers kept
# the store at 7.5–9 ms an article from the first quarter to the last
# (bench/db_write_rate.py, docs/benchmarks.md).
WRITER_PG_OPTIONS = "-c plan_cache_mode=force_custom_plan -c max_parallel_workers_per_gather=0"


def make_engine(url: str, *, writer: bool = False) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout for concurrent runs.

    On SQLite the transactions are begun by SQLAlchemy, not guessed by pysqlite (the
    recipe in SQLAlchemy's SQLite dialect docs), so savepoints work; a ``writer``
    begins with BEGIN IMMEDIATE, taking the write lock before it reads: two crawls
    writing one file then wait for each other instead of failing on a stale snapshot,
    and each sees the other's committed articles when it links its own.
    """
    sa_url = make_url(url)
    if sa_url.get_backend_name() == "postgresql" and writer:
        return create_engine(sa_url, pool_pre_ping=True, connect_args={"options": WRITER_PG_OPTIONS})
    if sa_url.get_backend_name() != "sqlite":
        return create_engine(sa_url, pool_pre_ping=True)
    engine = create_engine(sa_url, connect_args={"timeout": 30})
    begin = "BEGIN IMMEDIATE" if writer else "BEGIN"

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if sa_url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection: Connection) -> None:
        connection.exec_driver_sql(begin)

    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed on success and rolled back on error."""
    with session_factory(engine)() as session, session.begin():
        yield session


@contextmanager
def session_for_url(url: str) -> Iterator[Session]:
    """One short unit of work on a database given by URL (its own engine, then disposed).

    For work outside a crawl's own session: reading the frontier at start, recording a
    run, a CLI summary.
    """
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to ``revision`` (Alembic, same path for every caller)."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def schema_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def check_schema(engine: Engine) -> None:
    """Raise SchemaOutOfDate, saying what to run, unless the DB is at the head revision."""
    current, head = schema_revision(engine), head_revision()
    if current != head:
        where = engine.url.render_as_string(hide_password=True)
        state = "has no newsdedup schema" if current is None else f"is at revision {current}, expected {head}"
        raise SchemaOutOfDate(f"{where} {state}: run `newsdedup db upgrade --db {where}`")


def prepare_database(engine: Engine) -> None:
    """Create the schema in an empty database; refuse one that is out of date.

    A brand-new database is the normal first run, so it is migrated silently; an older
    schema holds a user's data, so upgrading it stays an explicit `newsdedup db upgrade`.
    """
    from storage.locks import schema_lock

    with schema_lock(engine):  # two first runs at once: one creates, the other waits and checks
        if schema_revision(engine) is None and not _has_tables(engine):
            migrate(engine)
            return
        check_schema(engine)


def _has_tables(engine: Engine) -> bool:
    from sqlalchemy import inspect

    return bool(inspect(engine).get_table_names())


def create_postgres_database(url: str) -> None:
    """CREATE DATABASE for a PostgreSQL ``url`` when its server does not have it yet
    (through the server's `postgres` database; the benches and tests use it)."""
    target = make_url(url)
    admin = make_engine(target.set(database="postgres").render_as_string(hide_password=False))
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database})
            if exists.scalar() is None:
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()
