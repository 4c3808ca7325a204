"""The `newsdedup` command line: import pages and sources, list what is stored, migrate."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from crawler.render import render_article
from storage.db import (
    DATABASE_URL_ENV,
    SchemaOutOfDate,
    make_engine,
    migrate,
    prepare_database,
    resolve_database_url,
    session_scope,
)
from storage.frontier import forget as forget_source
from storage.frontier import known_document, known_urls
from storage.locks import CrawlLocked, crawl_lock
from storage.queries import article_document, count_rows, find_article, list_articles
from storage.runs import recent_runs, run_document

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


def open_database(db: str | None):  # type: ignore[no-untyped-def]
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


# An offline import reads local files only: no politeness delays, and a link that
# points at the live web fails at once instead of quietly going online.
OFFLINE_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "ROBOTSTXT_OBEY": False,
    "DOWNLOAD_HANDLERS": {"http": None, "https": None, "ftp": None, "s3": None},
}


@app.command("import")
def import_(
    path: Annotated[
        Path, typer.Argument(help="A sources file, a folder with sources.toml, or a folder of saved .html pages.")
    ],
    db: DbOption = None,
    source: Annotated[str | None, typer.Option(help="Only this source of the sources file.")] = None,
    workers: Annotated[int | None, typer.Option(help="Extraction processes (default: one per CPU).")] = None,
    timezone: Annotated[
        str, typer.Option(help="Saved pages: the site's timezone, for times printed without an offset.")
    ] = "UTC",
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log every page (INFO).")] = False,
    full: Annotated[
        bool, typer.Option("--full", help="Fetch every page again, not only new ones and those in the refresh window.")
    ] = False,
) -> None:
    """Import offline: run the same spider and pipelines as a crawl over local files.

    Examples:

      newsdedup import fixtures/                 # the bundled fixture sites

      newsdedup import ~/saved-pages --db postgresql+psycopg://localhost/news
    """
    from crawler.run import project_settings, run_crawl
    from crawler.sources import SourcesError, load_sources
    from crawler.spiders.news import NewsSpider
    from crawler.spiders.pages import SavedPagesSpider

    sources_file = path if path.is_file() else path / "sources.toml"
    if not path.exists():
        raise fail(f"{path}: no such file or folder", 2)
    overrides: dict[str, object] = {}
    if workers is not None:
        overrides["EXTRACT_WORKERS"] = workers
    if full:
        overrides["INCREMENTAL_ENABLED"] = False
    if sources_file.is_file():
        try:
            sources = load_sources(sources_file, only=source)
        except SourcesError as exc:
            raise fail(str(exc), 2) from None
        if all(url.startswith("file:") for s in sources for url in s.entry_urls):
            overrides.update(OFFLINE_SETTINGS)
        spider, args = NewsSpider, {"sources": str(sources_file), "source": source}
    else:
        overrides.update(OFFLINE_SETTINGS)
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise fail(f"--timezone: unknown timezone {timezone!r} (use an IANA name like 'Europe/Paris')", 2) from None
        spider, args = SavedPagesSpider, {"path": str(path), "timezone": timezone}
    engine = open_database(db)
    try:
        with crawl_lock(engine):
            pass  # the crawl takes it for real; this is for a clean message up front
    except CrawlLocked as exc:
        raise fail(str(exc)) from None
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    result = run_crawl(spider, args, project_settings(url, overrides), console, "INFO" if verbose else "WARNING")
    print_summary(result, url)
    if not result.ok:
        raise fail(f"import did not finish: {result.finish_reason}")


def print_summary(result, url: str) -> None:  # type: ignore[no-untyped-def]
    stats = result.stats
    table = Table(title="import summary", show_header=False, title_justify="left")
    table.add_row("pages fetched", str(stats.get("response_received_count", 0)))
    for change in ("new", "updated", "unchanged"):
        table.add_row(f"articles {change}", str(stats.get(f"store/articles_{change}", 0)))
    table.add_row("comments new", str(stats.get("store/comments_new", 0)))
    for key, value in sorted(stats.items()):
        if key.startswith("item_dropped_reasons_count/"):
            table.add_row(f"skipped: {key.rpartition('/')[2]}", str(value))
        elif key.startswith("newsdedup/fetch_failed/"):
            table.add_row(f"fetch failed: {key.rpartition('/')[2]}", str(value))
    console.print(table)
    for page_url, reason in result.tally.skipped:
        console.print(f"  skipped {page_url}: {reason}", highlight=False, soft_wrap=True)
    engine = make_engine(url)
    with session_scope(engine) as session:
        counts = count_rows(session)
    engine.dispose()
    where = make_engine(url).url.render_as_string(hide_password=True)
    console.print(
        f"[bold]{where}[/] now holds {counts['articles']} articles, {counts['comments']} comments"
        f" from {counts['sources']} sources",
        highlight=False,
    )


@app.command()
def articles(
    db: DbOption = None,
    source: Annotated[str | None, typer.Option(help="Only articles of this source.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List stored articles, newest first.

    Example: newsdedup articles --source antiwar --json
    """
    engine = open_database(db)
    with session_scope(engine) as session:
        rows = list_articles(session, source=source, limit=limit)
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(asdict(row), ensure_ascii=False) + "\n")
        return
    table = Table("id", "source", "published", "title", "authors", "words", "comments")
    for row in rows:
        table.add_row(
            str(row.id),
            row.source,
            (row.published_at or "")[:10],
            row.title or "",
            ", ".join(row.authors),
            str(row.words),
            str(row.comments),
        )
    out.print(table)


@app.command()
def show(
    article: Annotated[str, typer.Argument(help="Article id (from `newsdedup articles`) or URL.")],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="The article and its comments as one JSON object.")] = False,
) -> None:
    """Show one article: metadata, text, and its comments as a thread.

    Example: newsdedup show 3    or    newsdedup show https://news.antiwar.com/2014/01/01/…/
    """
    engine = open_database(db)
    with session_scope(engine) as session:
        found = find_article(session, article)
        if found is None:
            raise fail(f"no stored article with id or URL {article!r}", 2)
        document = article_document(*found)
    if as_json:
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
        return
    out.print(render_article(document))


@app.command()
def runs(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many runs.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per run.")] = False,
) -> None:
    """Recent crawl runs, newest first, with what each did per source.

    Example: newsdedup runs --limit 5
    """
    engine = open_database(db)
    with session_scope(engine) as session:
        rows = [run_document(run) for run in recent_runs(session, limit)]
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    table = Table("run", "started", "duration", "status", "source", "fetched", "new", "updated", "comments", "errors")
    for row in rows:
        sources = row["per_source"] or {"": {}}
        for n, (name, counts) in enumerate(sorted(sources.items())):
            errors = ", ".join(f"{kind} {count}" for kind, count in counts.get("errors", {}).items())
            head = (str(row["id"]), row["started_at"][:19].replace("T", " "), row["duration"], row["status"])
            table.add_row(
                *(head if n == 0 else ("", "", "", "")),
                name,
                str(counts.get("pages_fetched", "")),
                str(counts.get("articles_new", "")),
                str(counts.get("articles_updated", "")),
                str(counts.get("comments_new", "")),
                errors,
            )
    out.print(table)


@app.command()
def known(
    source: Annotated[str, typer.Argument(help="Source name from the sources file.")],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per URL.")] = False,
) -> None:
    """What the crawler knows about a source's URLs: outcome, last fetch, validators.

    Example: newsdedup known antiwar
    """
    engine = open_database(db)
    with session_scope(engine) as session:
        rows = sorted(known_urls(session, source).values(), key=lambda k: k.url)
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(known_document(row), ensure_ascii=False) + "\n")
        return
    table = Table("url", "outcome", "last fetched", "published", "etag")
    for row in rows:
        doc = known_document(row)
        table.add_row(
            doc["url"], doc["outcome"], doc["last_fetched_at"][:19], (doc["published_at"] or "")[:10], doc["etag"] or ""
        )
    out.print(table)
    console.print(f"{len(rows)} URLs known for {source}", highlight=False)


@app.command()
def forget(
    source: Annotated[str, typer.Argument(help="Source name from the sources file.")],
    db: DbOption = None,
) -> None:
    """Forget what was fetched for a source, so its next run fetches every page again.

    Stored articles and comments stay; they are updated, not duplicated, when refetched.
    Example: newsdedup forget antiwar
    """
    engine = open_database(db)
    with session_scope(engine) as session:
        cleared = forget_source(session, source)
    console.print(f"forgot {cleared} URLs of {source}; its next run fetches everything again", highlight=False)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create or upgrade the schema to the current version (Alembic).

    Example: newsdedup db upgrade --db postgresql+psycopg://localhost/news
    """
    url = resolve_database_url(db)
    engine = make_engine(url)
    try:
        migrate(engine)
    except SQLAlchemyError as exc:
        raise fail(f"{engine.url.render_as_string(hide_password=True)}: upgrade failed: {exc}") from None
    console.print(f"{engine.url.render_as_string(hide_password=True)} is at the current schema")


if __name__ == "__main__":
    app()
