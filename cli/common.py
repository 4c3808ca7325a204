"""What every newsdedup command shares: the app, consoles, --db and --json, clean errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from storage.db import DATABASE_URL_ENV, SchemaOutOfDate, make_engine, prepare_database, resolve_database_url
from storage.search import ArticleFilter

app = typer.Typer(help="newsdedup: news and blog ingestion with boilerplate removal and dedup.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")
dedup_app = typer.Typer(help="The story/quote index.", no_args_is_help=True)
app.add_typer(dedup_app, name="dedup")

console = Console(stderr=True)
out = Console()


def _or_global(ctx: typer.Context, param: typer.CallbackParam, value: object) -> object:
    """A command's option, else the same option given before the command
    (`newsdedup --db URL articles` as well as `newsdedup articles --db URL`)."""
    if value in (None, False) and param.name:
        return ctx.find_root().params.get(param.name, value)
    return value


DB_HELP = f"Database URL (default: ${DATABASE_URL_ENV}, else sqlite:///newsdedup.db)."
JSON_HELP = "One JSON object per line, for scripts."
DbOption = Annotated[str | None, typer.Option("--db", help=DB_HELP, show_default=False, callback=_or_global)]
JsonOption = Annotated[bool, typer.Option("--json", help=JSON_HELP, callback=_or_global)]


@app.callback()
def global_options(
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP, show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """newsdedup: news and blog ingestion with boilerplate removal and dedup."""


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


SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", "-s", metavar="NAME=VALUE", help="A Scrapy setting, as `scrapy crawl -s` takes it."),
]


def parse_settings(settings: list[str] | None) -> dict[str, object]:
    """``--set NAME=VALUE`` options as a dict; a malformed one is a usage error (exit 2)."""
    overrides: dict[str, object] = {}
    for setting in settings or []:
        name, sep, value = setting.partition("=")
        if not sep or not name.strip():
            raise fail(f"--set {setting!r}: expected NAME=VALUE, e.g. --set DEDUP_WINDOW_DAYS=None", 2)
        overrides[name.strip()] = value
    return overrides


def print_json_lines(documents: Iterable[dict[str, Any]]) -> None:
    for document in documents:
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")


DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
SourceOption = Annotated[str | None, typer.Option(help="Only articles of this source.")]
AuthorOption = Annotated[str | None, typer.Option(help="Only articles whose author contains this (any case).")]
SinceOption = Annotated[
    datetime | None, typer.Option(formats=DATE_FORMATS, help="Published on or after (YYYY-MM-DD, UTC).")
]
UntilOption = Annotated[datetime | None, typer.Option(formats=DATE_FORMATS, help="Published before (YYYY-MM-DD, UTC).")]
LanguageOption = Annotated[str | None, typer.Option(help="Only this language (ISO 639-1, e.g. en).")]
CommentsOption = Annotated[
    bool | None, typer.Option("--has-comments/--no-comments", help="Only articles with / without comments.")
]
AllCopiesOption = Annotated[bool, typer.Option("--all-copies", help="Every syndicated copy, not one row per story.")]
LimitOption = Annotated[int, typer.Option(min=1, help="At most this many rows.")]


def article_filter(
    source: str | None = None,
    author: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    language: str | None = None,
    has_comments: bool | None = None,
    all_copies: bool = False,
) -> ArticleFilter:
    """The filter options every listing shares, checked once."""
    if since and until and since >= until:
        raise fail(f"--since {since:%Y-%m-%d} is not before --until {until:%Y-%m-%d}", 2)
    return ArticleFilter(source, author, since, until, language, has_comments, all_copies)
