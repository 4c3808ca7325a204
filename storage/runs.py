"""crawl_runs: one row per crawl, opened when it starts and closed with its counts.

A run's ``workers`` are the processes doing it (one for a plain run, any number for a
fleet run), each with the crawl locks it holds until its end is recorded
(storage/locks.py). The operating system frees those locks when a process dies, so an
unfinished worker whose locks are free is dead; that, never the start of another crawl
(crawls of different sources run side by side), is what makes a run ``interrupted``.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from storage.locks import locks_held
from storage.models import CrawlRun, utcnow
from storage.types import iso

RUNNING, FINISHED, INTERRUPTED = "running", "finished", "interrupted"

# What a worker's store steps cost: {step: {"count": n, "ms": total}} (pipelines/store_steps.py).
Steps = dict[str, dict[str, float]]


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def worker_lock_name(fleet_run: str) -> str:
    """The lock a fleet worker holds to say it is alive (fleet workers hold no source locks)."""
    return f"fleet:{fleet_run}:{this_worker()}"


def start_run(session: Session, spider: str, locks: Sequence[str]) -> int:
    """Open a plain run, whose process holds ``locks`` (taken by the caller).

    Runs still marked running that held one of these locks are recorded as interrupted:
    the caller could take the lock, so their process is gone. Runs of other sources are
    left to a run of their own (``recent_runs`` shows them dead meanwhile); fleet runs
    end when none of their workers is alive.
    """
    mine = set(locks)
    plain = select(CrawlRun).where(CrawlRun.status == RUNNING, CrawlRun.fleet_run.is_(None))
    for run in session.scalars(plain):
        # Rows written before runs recorded their locks keep the old rule: any later run ends them.
        if mine & _locks(run.workers) or not _locks(run.workers):
            run.workers = [_ended(w, INTERRUPTED) for w in run.workers]
            run.status, run.finished_at = INTERRUPTED, utcnow()
    _end_dead_fleet_runs(session, exclude=None)
    run = CrawlRun(spider=spider, host=socket.gethostname(), pid=os.getpid(), workers=[_entry(locks)])
    session.add(run)
    session.flush()
    return run.id


def finish_run(
    session: Session, run_id: int, status: str, per_source: dict[str, Any], steps: Steps | None = None
) -> None:
    """The run's end: its status, its counts per source and what its store's steps cost
    (``steps``, kept on its worker's entry)."""
    run = session.get(CrawlRun, run_id)
    if run is not None:
        run.workers = [_ended(w, status) | ({"steps": steps} if steps else {}) for w in run.workers]
        run.status, run.per_source, run.finished_at = status, per_source, utcnow()


def join_run(session: Session, spider: str, fleet_run: str, locks: Sequence[str] = ()) -> int:
    """The fleet run's row, created by whichever worker comes first, with this worker added.

    Workers start at once: the row is inserted with ON CONFLICT DO NOTHING, then locked
    (FOR UPDATE) while this worker adds itself, so no worker's entry is lost. Other fleet
    runs none of whose workers is alive are recorded as interrupted on the way.
    """
    _end_dead_fleet_runs(session, exclude=fleet_run)
    insert = pg_insert(CrawlRun).values(
        spider=spider, fleet_run=fleet_run, status=RUNNING, per_source={}, workers=[], started_at=utcnow()
    )
    session.execute(insert.on_conflict_do_nothing(index_elements=["fleet_run"]))
    run = _locked_fleet_run(session, fleet_run)
    run.workers = [*run.workers, _entry(locks)]
    run.status, run.finished_at = RUNNING, None
    session.flush()
    return run.id


def leave_run(
    session: Session, run_id: int, status: str, per_source: dict[str, Any], steps: Steps | None = None
) -> None:
    """This worker's end: its status, counts and store steps; the run ends with its last
    live worker (workers found dead are recorded interrupted), its counts the sum of its
    workers' (its steps too, in ``run_document``)."""
    run = session.scalars(select(CrawlRun).where(CrawlRun.id == run_id).with_for_update()).one()
    me = this_worker()
    mine = {"per_source": per_source} | ({"steps": steps} if steps else {})
    run.workers = [_ended(w, status) | mine if w["worker"] == me and not w["finished_at"] else w for w in run.workers]
    run.per_source = _summed([w.get("per_source") or {} for w in run.workers])
    _end_dead_workers(session, run)
    session.flush()


def recent_runs(session: Session, limit: int = 20) -> list[CrawlRun]:
    """The newest runs. One still marked running none of whose workers is alive (killed
    before it could record its end, and no later run of its sources has looked yet) comes
    back ``interrupted`` without a finish time; its row is left for that later run."""
    runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(limit)))
    running = [run for run in runs if run.status == RUNNING]
    held = locks_held(session, [name for run in running for w in _unfinished(run) for name in w.get("locks", [])])
    dead = [run for run in running if _unfinished(run) and not any(_alive(w, held) for w in _unfinished(run))]
    # A crawl records its end, then frees its locks: one that ended between reading the rows
    # and looking at the locks shows its end in a fresh read, and is no dead run.
    still_running = _still_running(session, [run.id for run in dead])
    for run in dead:
        if run.id in still_running:
            # Shown, not written: set as if loaded, so no flush records it.
            set_committed_value(run, "status", INTERRUPTED)
    return runs


def _still_running(session: Session, run_ids: list[int]) -> set[int]:
    """Of these runs, those still marked running now (outside the session's snapshot)."""
    if not run_ids:
        return set()
    stmt = select(CrawlRun.id).where(CrawlRun.id.in_(run_ids), CrawlRun.status == RUNNING)
    with session.get_bind().engine.connect() as fresh:
        return set(fresh.scalars(stmt))


# A run's clock starts when its crawler is made, a moment before its row is written.
_RUN_CLOCK_SLACK = timedelta(minutes=1)


def cut_short_windows(session: Session, since: datetime) -> list[tuple[datetime, datetime]]:
    """When the runs that did not end cleanly since ``since`` were running: each run
    interrupted, or with a worker that was (a fleet worker killed mid-run), as (start, end).

    What such a run took from a feed it may never have fetched, so that poll does not count.
    """
    stmt = select(CrawlRun).where(CrawlRun.started_at >= since - _RUN_CLOCK_SLACK)
    now = utcnow()
    return [
        (run.started_at - _RUN_CLOCK_SLACK, run.finished_at or now)
        for run in session.scalars(stmt)
        if run.status == INTERRUPTED or any(w.get("status") == INTERRUPTED for w in run.workers)
    ]


def _end_dead_fleet_runs(session: Session, exclude: str | None) -> None:
    # SKIP LOCKED: a row another process holds is being written by a live worker (or
    # looked at by another run); waiting for it could deadlock with that run's checks.
    stmt = select(CrawlRun).where(CrawlRun.status == RUNNING, CrawlRun.fleet_run.is_not(None))
    if exclude is not None:
        stmt = stmt.where(CrawlRun.fleet_run != exclude)
    for run in session.scalars(stmt.order_by(CrawlRun.id).with_for_update(skip_locked=True)):
        _end_dead_workers(session, run)


def _end_dead_workers(session: Session, run: CrawlRun) -> None:
    """Record the unfinished workers whose locks are free as interrupted; once no worker is
    left unfinished the run ends: finished, or the first failed worker's status."""
    held = locks_held(session, [name for w in _unfinished(run) for name in w.get("locks", [])])
    run.workers = [w if w["finished_at"] or _alive(w, held) else _ended(w, INTERRUPTED) for w in run.workers]
    if run.workers and not _unfinished(run):
        failed = [w["status"] for w in run.workers if w["status"] != FINISHED]
        run.status, run.finished_at = (failed[0] if failed else FINISHED), utcnow()


def _entry(locks: Sequence[str]) -> dict[str, Any]:
    started = iso(utcnow())
    return {"worker": this_worker(), "started_at": started, "finished_at": None, "status": RUNNING, "locks": [*locks]}


def _ended(worker: dict[str, Any], status: str) -> dict[str, Any]:
    return {**worker, "finished_at": iso(utcnow()), "status": status}


def _unfinished(run: CrawlRun) -> list[dict[str, Any]]:
    return [w for w in run.workers if not w.get("finished_at")]


def _alive(worker: dict[str, Any], held: set[str]) -> bool:
    """A live worker holds all its locks; one that recorded none (an older version) cannot be told dead."""
    return all(name in held for name in worker.get("locks", []))


def _locks(workers: list[dict[str, Any]]) -> set[str]:
    return {name for w in workers for name in w.get("locks", [])}


def _locked_fleet_run(session: Session, fleet_run: str) -> CrawlRun:
    return session.scalars(select(CrawlRun).where(CrawlRun.fleet_run == fleet_run).with_for_update()).one()


def _summed(counts: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-source counts of several workers added up (errors by kind too)."""
    total: dict[str, Any] = {}
    for per_source in counts:
        for source, numbers in per_source.items():
            into = total.setdefault(source, {"errors": {}})
            for name, value in numbers.items():
                if name == "errors":
                    for kind, n in value.items():
                        into["errors"][kind] = into["errors"].get(kind, 0) + n
                else:
                    into[name] = into.get(name, 0) + value
    return total


def _summed_steps(workers: list[dict[str, Any]]) -> Steps:
    """The store steps of a run's workers added up, in the order the first worker lists them."""
    total: Steps = {}
    for worker in workers:
        for step, numbers in (worker.get("steps") or {}).items():
            into = total.setdefault(step, {"count": 0, "ms": 0.0})
            into["count"] += numbers.get("count", 0)
            into["ms"] = round(into["ms"] + numbers.get("ms", 0.0), 1)
    return total


def run_document(run: CrawlRun) -> dict[str, Any]:
    duration = (run.finished_at - run.started_at).total_seconds() if run.finished_at else None
    return {
        "id": run.id,
        "spider": run.spider,
        "started_at": run.started_at.isoformat(),
        "finished_at": iso(run.finished_at),
        "duration": f"{duration:.1f}s" if duration is not None else "",
        "status": run.status,
        "per_source": run.per_source,
        # What each of the store's steps cost (its workers' added up); {} for a run that
        # recorded none (one that was cut short, or older than the steps).
        "steps": _summed_steps(run.workers),
        "host": run.host,
        "pid": run.pid,
        "fleet_run": run.fleet_run,
        "workers": run.workers,
    }
