"""crawl_runs: one row per crawl, opened when it starts and closed with its counts."""

from __future__ import annotations

import os
import socket
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from storage.models import CrawlRun, utcnow
from storage.types import iso


def start_run(session: Session, spider: str) -> int:
    """Open a run. Runs still marked running were killed (the caller holds the crawl lock)."""
    session.execute(
        update(CrawlRun).where(CrawlRun.status == "running").values(status="interrupted", finished_at=utcnow())
    )
    run = CrawlRun(spider=spider, host=socket.gethostname(), pid=os.getpid())
    session.add(run)
    session.flush()
    return run.id


def finish_run(session: Session, run_id: int, status: str, per_source: dict[str, Any]) -> None:
    run = session.get(CrawlRun, run_id)
    if run is not None:
        run.status, run.per_source, run.finished_at = status, per_source, utcnow()


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def join_run(session: Session, spider: str, fleet_run: str) -> int:
    """The fleet run's row, created by whichever worker comes first, with this worker added.

    Workers start at once: the row is inserted with ON CONFLICT DO NOTHING, then locked
    (FOR UPDATE) while this worker adds itself, so no worker's entry is lost.
    """
    insert = pg_insert(CrawlRun).values(
        spider=spider, fleet_run=fleet_run, status="running", per_source={}, workers=[], started_at=utcnow()
    )
    session.execute(insert.on_conflict_do_nothing(index_elements=["fleet_run"]))
    run = _locked_fleet_run(session, fleet_run)
    entry = {"worker": this_worker(), "started_at": iso(utcnow()), "finished_at": None, "status": "running"}
    run.workers = [*run.workers, entry]
    run.status, run.finished_at = "running", None
    session.flush()
    return run.id


def leave_run(session: Session, run_id: int, status: str, per_source: dict[str, Any]) -> None:
    """This worker's end: its status and counts; the run ends with its last worker, its
    counts the sum of its workers'."""
    run = session.scalars(select(CrawlRun).where(CrawlRun.id == run_id).with_for_update()).one()
    me = this_worker()
    run.workers = [
        {**w, "finished_at": iso(utcnow()), "status": status, "per_source": per_source} if w["worker"] == me else w
        for w in run.workers
    ]
    run.per_source = _summed([w.get("per_source") or {} for w in run.workers])
    if all(w["finished_at"] for w in run.workers):
        failed = [w["status"] for w in run.workers if w["status"] != "finished"]
        run.status, run.finished_at = (failed[0] if failed else "finished"), utcnow()
    session.flush()


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


def recent_runs(session: Session, limit: int = 20) -> list[CrawlRun]:
    return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(limit)))


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
        "host": run.host,
        "pid": run.pid,
        "fleet_run": run.fleet_run,
        "workers": run.workers,
    }
