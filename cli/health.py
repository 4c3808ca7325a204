"""`newsdedup health`: is each source blocked, failing, broken or silent? (storage/health.py)"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from prometheus_client import CollectorRegistry, Gauge, write_to_textfile
from rich.table import Table

from cli.common import DbOption, JsonOption, app, console, fail, open_database, out, print_json_lines
from storage.db import session_scope
from storage.health import OK, STATUSES, SourceHealth, source_health

STYLES = {OK: "green", "silent": "yellow"}
NOT_OK = ",".join(status for status in STATUSES if status != OK)


def health_registry(rows: list[SourceHealth]) -> CollectorRegistry:
    """Each source's status as gauges: one per status (1 for the source's own), so an alert
    can say ``newsdedup_source_health{status="blocked"} == 1``."""
    registry = CollectorRegistry()
    status = Gauge(
        "newsdedup_source_health", "1 for the source's health status", ["source", "status"], registry=registry
    )
    healthy = Gauge("newsdedup_source_healthy", "1 if the source is ok", ["source"], registry=registry)
    for row in rows:
        for name in STATUSES:
            status.labels(row.source, name).set(1 if row.status == name else 0)
        healthy.labels(row.source).set(1 if row.status == OK else 0)
    return registry


@app.command()
def health(
    db: DbOption = None,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    fail_on: Annotated[
        str, typer.Option("--fail-on", help="Exit with status 1 when a source has one of these statuses.")
    ] = NOT_OK,
    metrics_file: Annotated[
        Path | None,
        typer.Option("--metrics-file", help="Also write the statuses as a Prometheus text file (temp file, rename)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Per source, one status and why: blocked, failing_feed, broken_extraction, silent or ok.

    From the source's recent runs (HTTP statuses, repeated pages, what extraction made of
    its pages), its feeds' last polls and its articles, against its own history. Exit
    status 1 when a source's status is in --fail-on (for cron wrappers and monitoring
    checks), 0 otherwise.

    Example: newsdedup health --json

    Example: newsdedup health --fail-on blocked,failing_feed --metrics-file /var/lib/node_exporter/newsdedup_health.prom
    """
    wanted = {status.strip() for status in fail_on.split(",") if status.strip()}
    if unknown := wanted - set(STATUSES):
        raise fail(f"--fail-on: unknown status {', '.join(sorted(unknown))} (one of {', '.join(STATUSES)})", 2)
    engine = open_database(db)
    with session_scope(engine) as session:
        rows = source_health(session, source=source)
    if metrics_file is not None:
        try:
            write_to_textfile(str(metrics_file), health_registry(rows))
        except OSError as exc:
            raise fail(f"{metrics_file}: cannot write: {exc.strerror or exc}") from None
    if as_json:
        print_json_lines(row.document() for row in rows)
    else:
        table = Table("source", "status", "why", "last run", "newest article")
        for row in rows:
            style = STYLES.get(row.status, "bold red")
            table.add_row(
                row.source,
                f"[{style}]{row.status}[/]",
                row.reason,
                str(row.last_run or ""),
                f"{row.newest_article:%Y-%m-%d}" if row.newest_article else "",
            )
        out.print(table)
        if not rows:
            console.print("no source has been crawled yet (`scrapy crawl news`)", highlight=False)
    if any(row.status in wanted for row in rows):
        raise typer.Exit(1)
