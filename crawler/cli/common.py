"""What every newsdedup command shares: the app, consoles, --db and --json, clean errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Annotated, Any

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from storage.db import DATABASE_URL_ENV, SchemaOutOfDate, make_engine, prepare_database, resolve_database_url

app = typer.Typer(help="newsdedup: news and blog ingestion with boilerplate removal and dedup.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")

console = Console(stderr=True)
out = Console()

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", envvar=DATABASE_URL_ENV, help="Database URL (default sqlite:///newsdedup.db).", show_default=False
    ),
]


def fail(message: str, code: int = 1) -> typer.Exit:
    console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def open_database(db: str | None) -> Engine:
    """An engine at the current schema (an empty DB is created); clean errors otherwise."""
    url = resolve_database_url(db)
    try:
        engine = make_engine(url)
        prepare_database(engine)
    except SchemaOutOfDate as exc:
        raise fail(str(exc), 2) from None
    except (SQLAlchemyError, OSError) as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        raise fail(
            f"{make_engine(url).url.render_as_string(hide_password=True)}: cannot open database: {reason}"
        ) from None
    return engine


JsonOption = Annotated[bool, typer.Option("--json", help="One JSON object per line, for scripts.")]


def print_json_lines(documents: Iterable[dict[str, Any]]) -> None:
    for document in documents:
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
