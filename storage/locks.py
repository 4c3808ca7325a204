"""One crawl at a time per database, released by the operating system if the process dies.

PostgreSQL: a session advisory lock on a dedicated connection. SQLite: an flock on a
file beside the database. Neither can be left behind by a SIGKILL or a power loss.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

LOCK_NAME = "newsdedup-crawl"


class CrawlLocked(RuntimeError):
    """Another crawl is writing to this database."""


def _advisory_key(name: str) -> int:
    return int.from_bytes(hashlib.sha1(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def crawl_lock(engine: Engine, name: str = LOCK_NAME) -> Iterator[None]:
    where = engine.url.render_as_string(hide_password=True)
    busy = f"{where}: another crawl is running on this database; wait for it to finish (overlapping runs are refused)"
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if not database or database == ":memory:":
            yield
            return
        path = Path(database).with_name(Path(database).name + ".crawl.lock")
        with path.open("a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise CrawlLocked(busy) from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    connection = engine.connect()
    try:
        key = _advisory_key(name)
        if not connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar():
            raise CrawlLocked(busy)
        try:
            yield
        finally:
            # If the server dropped the connection, the lock went with it: nothing to release.
            with suppress(SQLAlchemyError):
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
    finally:
        connection.close()
