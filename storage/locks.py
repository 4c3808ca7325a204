"""One crawl at a time per source and database, released by the operating system if the process dies.

PostgreSQL: a session advisory lock on a dedicated connection. SQLite: a byte-range lock
(lockf) in a file beside the database. Neither can be left behind by a SIGKILL or a power
loss, so whether a crawl's lock is held tells another process whether it is still alive
(``locks_held``, used by storage/runs.py).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import struct
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

LOCK_NAME = "newsdedup-crawl"

# The crawl locks this process holds in SQLite lock files: {lock file: [(handle, names)]}.
# F_GETLK reports other processes' locks only, and closing any handle on the file drops
# all of this process's locks in it: a probe answers for these names itself and asks the
# kernel through one of these handles instead of opening (and closing) its own.
_HELD: dict[Path, list[tuple[IO[str], frozenset[str]]]] = {}
_HELD_GUARD = threading.Lock()


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
        with _file_locks(path, names, busy):
            yield
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
def _file_locks(path: Path, names: list[str], busy: Callable[[str], CrawlLocked]) -> Iterator[None]:
    """One byte per name in the lock file beside a SQLite database."""
    lock_file = path.resolve()
    with _HELD_GUARD:
        # One handle per file in a process: closing a second one would drop the first's
        # locks. POSIX locks never conflict within a process, so a second crawl of a
        # name in this process is refused here (as PostgreSQL refuses another session).
        mine = _HELD.setdefault(lock_file, [])
        if clash := sorted(set(names) & {name for _, own in mine for name in own}):
            raise busy(clash[0])
        handle = mine[0][0] if mine else path.open("a+")
        entry = (handle, frozenset(names))
        mine.append(entry)
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
        with _HELD_GUARD:
            mine.remove(entry)
            if not mine:
                del _HELD[lock_file]
                handle.close()


def locks_held(session: Session, names: Iterable[str]) -> set[str]:
    """Which of these crawl locks a live process (this one included) holds now.

    Looked at without taking them: taking one to test it would, for that moment, refuse a
    crawl starting on it. PostgreSQL lists every session's advisory locks in pg_locks;
    SQLite asks the kernel which bytes of the lock file are locked (F_GETLK). A database
    without a lock file (in memory), or a platform whose ``struct flock`` is not known
    here, counts every lock as held: a run is never called dead on a guess.
    """
    names = set(names)
    if not names:
        return set()
    engine = session.get_bind().engine
    if engine.dialect.name == "postgresql":
        # A bigint key shows as its high half in classid and its low half in objid
        # (objsubid 1); advisory locks belong to one database.
        rows = session.execute(
            text(
                "SELECT classid, objid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 AND granted"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        )
        taken = {(int(high) << 32) | int(low) for high, low in rows}
        return {name for name in names if _advisory_key(name) & (2**64 - 1) in taken}
    path = _lock_path(engine)
    if path is None or sys.platform != "linux":
        return names
    # Under the guard: a crawl_lock taken meanwhile in this process would lose its locks
    # when the probe's own handle is closed.
    with _HELD_GUARD:
        mine = _HELD.get(path.resolve(), [])
        if mine:
            held = {name for _, own in mine for name in own} & names
            return held | {name for name in names - held if _locked_by_other(mine[0][0], name)}
        if not path.exists():
            return set()
        with path.open("rb") as handle:
            return {name for name in names if _locked_by_other(handle, name)}


def _locked_by_other(handle: IO, name: str) -> bool:
    """F_GETLK on the name's byte: F_UNLCK back when no other process could lock it."""
    # Linux's struct flock: l_type, l_whence, (padding), l_start, l_len, l_pid, (padding).
    query = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, _lock_offset(name), 1, 0)
    answer = fcntl.fcntl(handle.fileno(), fcntl.F_GETLK, query)
    return struct.unpack("hhqqi4x", answer)[0] != fcntl.F_UNLCK


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


# The database's write lock (write_lock), shared by article writers (storage/key_locks.py).
WRITE_KEY = _advisory_key("newsdedup-write")


def write_lock(session: Session, *, shared: bool = False) -> None:
    """Order this transaction against other writers of the database until it ends.

    Exclusive: it writes alone (a user's split, an index rebuild, an article's last try
    after two that met other writers' locks). Shared: it writes beside other shared holders, each
    ordered only by the key locks of what it reads (storage/key_locks.py: an article's
    write), or by row locks (a fetch's frontier row). SQLite writers already hold the
    file's write lock from BEGIN IMMEDIATE (storage.db.make_engine), so there this does nothing.
    """
    if session.get_bind().dialect.name == "postgresql":
        take = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        session.execute(text(f"SELECT {take}(:key)"), {"key": WRITE_KEY})
