"""One crawl at a time per source and database, released by the operating system if the process dies.

PostgreSQL: a session advisory lock on a dedicated connection. SQLite: an flock on a
file beside the database. Neither can be left behind by a SIGKILL or a power loss.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

LOCK_NAME = "newsdedup-crawl"


class CrawlLocked(RuntimeError):
    """Another crawl is writing to this database."""


def _advisory_key(name: str) -> int:
    return int.from_bytes(hashlib.sha1(name.encode()).digest()[:8], "big", signed=True)


def source_lock_names(sources: Iterable[str]) -> list[str]:
    """The crawl lock names of configured sources (shared by the crawl and the import check)."""
    return [f"source:{name}" for name in sources]


def _lock_offset(name: str) -> int:
    # Byte-range locks in one file, one byte per name.
    return 1 + int.from_bytes(hashlib.sha1(name.encode()).digest()[:4], "big") % (2**31 - 2)


@contextmanager
def crawl_lock(engine: Engine, names: Iterable[str] = (LOCK_NAME,)) -> Iterator[None]:
    """Hold one lock per name (a source, a folder) for a crawl; CrawlLocked if one is taken.

    Crawls of different sources write to one database side by side; a second run of the
    same source (an overlapping cron run) is refused.
    """
    where = engine.url.render_as_string(hide_password=True)
    names = sorted(set(names))

    def busy(name: str) -> CrawlLocked:
        return CrawlLocked(
            f"{where}: another crawl is running on this database ({name}); "
            "wait for it to finish (overlapping runs are refused)"
        )

    if engine.dialect.name == "sqlite":
        path = _lock_path(engine)
        if path is None:
            yield
            return
        with path.open("a+") as handle:
            taken: list[int] = []
            try:
                for name in names:
                    try:
                        fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _lock_offset(name))
                    except OSError:
                        raise busy(name) from None
                    taken.append(_lock_offset(name))
                yield
            finally:
                for offset in taken:
                    fcntl.lockf(handle, fcntl.LOCK_UN, 1, offset)
        return
    connection = engine.connect()
    try:
        keys: list[int] = []
        try:
            for name in names:
                key = _advisory_key(name)
                if not connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar():
                    raise busy(name)
                keys.append(key)
            yield
        finally:
            # If the server dropped the connection, the locks went with it: nothing to release.
            with suppress(SQLAlchemyError):
                for key in keys:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
    finally:
        connection.close()


@contextmanager
def schema_lock(engine: Engine) -> Iterator[None]:
    """Wait for any other process creating or checking the schema (two first runs at once)."""
    if engine.dialect.name == "sqlite":
        path = _lock_path(engine, "schema")
        if path is None:
            yield
            return
        # Its own file: closing any handle on a file drops all of a process's POSIX locks
        # on it, and the crawl locks must outlive this one.
        with path.open("a+") as handle:
            fcntl.lockf(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.lockf(handle, fcntl.LOCK_UN)
        return
    with engine.connect() as connection:
        key = _advisory_key("newsdedup-schema")
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        try:
            yield
        finally:
            with suppress(SQLAlchemyError):
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})


def _lock_path(engine: Engine, kind: str = "crawl") -> Path | None:
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    return Path(database).with_name(f"{Path(database).name}.{kind}.lock")


def write_lock(session: Session) -> None:
    """Serialise writers of one database until this transaction ends.

    Linking an article reads the index and then writes to it; two processes doing so
    at once would each miss the other's copy. On PostgreSQL a transaction-level
    advisory lock orders them; SQLite writers already hold the file's write lock from
    BEGIN IMMEDIATE (storage.db.make_engine).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _advisory_key("newsdedup-write")})
