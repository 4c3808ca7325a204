"""crawl_runs: one row per crawl, opened when it starts and closed with its counts."""

from __future__ import annotations

import os
import socket
from typing import Any

from sqlalchemy import select, update
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
    }
