"""Finding and counting: `search`, `stories`, `sources` and `export`."""

from __future__ import annotations

import csv
import enum
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.table import Table
from rich.text import Text

from cli.common import (
    AllCopiesOption,
    AuthorOption,
    CommentsOption,
    DbOption,
    JsonOption,
    LanguageOption,
    LimitOption,
    SinceOption,
    SourceOption,
    UntilOption,
    app,
    article_filter,
    console,
    fail,
    open_database,
    out,
    print_json_lines,
)
from cli.warcs import export_warc
from storage.db import session_scope
from storage.health import with_health
from storage.history import with_versions
from storage.polling import duplicate_entries
from storage.reports import (
    ARTICLE_COLUMNS,
    COMMENT_COLUMNS,
    STORY_COLUMNS,
    biggest_stories,
    export_articles,
    export_comments,
    export_stories,
    source_stats,
)
from storage.search import HIGHLIGHT, as_dict, search_articles


def _highlighted(snippet: str) -> Text:
    """The snippet with the matched words in bold (the markers become styling)."""
    result = Text()
    for n, part in enumerate(snippet.replace(HIGHLIGHT[1], HIGHLIGHT[0]).split(HIGHLIGHT[0])):
        result.append(part, style="bold yellow" if n % 2 else "")
    return result


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words (all required), "a phrase", or a OR b.')],
    db: DbOption = None,
    source: SourceOption = None,
    author: AuthorOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    language: LanguageOption = None,
    has_comments: CommentsOption = None,
    all_copies: AllCopiesOption = False,
    limit: LimitOption = 20,
    as_json: JsonOption = False,
) -> None:
    """Full-text search of titles and texts, best match first, one row per story.

    Example: newsdedup search '"foreign fighters" Iraq' --since 2008-01-01
    """
    filters = article_filter(source, author, since, until, language, has_comments, all_copies)
    engine = open_database(db)
    with session_scope(engine) as session:
        try:
            hits = search_articles(session, query, filters, limit=limit)
        except ValueError as exc:
            raise fail(str(exc), 2) from None
    if as_json:
        print_json_lines(as_dict(hit) for hit in hits)
        return
    table = Table("id", "source", "published", "title / snippet", "score")
    for hit in hits:
        cell = Text.assemble((hit.title or "(no title)", "bold"), "\n", _highlighted(hit.snippet))
        table.add_row(str(hit.id), hit.source, (hit.published_at or "")[:10], cell, f"{hit.rank:.2f}")
    out.print(table)
    if not hits:
        console.print(f"no article matches {query!r}")


@app.command()
def stories(
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceOption = None,
    language: LanguageOption = None,
    limit: LimitOption = 20,
    as_json: JsonOption = False,
) -> None:
    """The biggest stories of a period: most copies and quoting posts first.

    Example: newsdedup stories --since 2014-01-01 --until 2014-01-08
    """
    filters = article_filter(source, since=since, until=until, language=language)
    engine = open_database(db)
    with session_scope(engine) as session:
        rows = biggest_stories(session, filters, limit=limit)
    if as_json:
        print_json_lines(rows)
        return
    table = Table("story", "published", "title", "source", "copies", "sites", "quoted by")
    for row in rows:
        table.add_row(
            str(row["story_id"]),
            (row["published_at"] or "")[:10],
            row["title"] or "",
            row["source"],
            str(row["copies"]),
            str(row["sources"]),
            str(row["quoted_by"]),
        )
    out.print(table)


@app.command()
def sources(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Per source: articles, copies, comments, newest article, last crawl, fetch error rate,
    health (`newsdedup health` says why) and when its next feed, sitemap or section is due.
    Warns about a feed listed twice.

    Example: newsdedup sources --json
    """
    engine = open_database(db)
    with session_scope(engine) as session:
        rows = with_health(session, source_stats(session))
        duplicates = duplicate_entries(session)
    for duplicate in duplicates:
        listed = ", ".join(f"{d['source']}: {d['url']}" for d in duplicate["listed"])
        console.print(
            f"warning: one feed listed {len(duplicate['listed'])} times ({listed}); fetched once per run",
            highlight=False,
        )
    if as_json:
        print_json_lines(rows)
        return
    table = Table(
        "source", "articles", "copies", "comments", "newest", "last crawl", "fetch errors", "health", "next poll"
    )
    for row in rows:
        rate = f"{row['fetch_errors']}/{row['urls_fetched']}" if row["urls_fetched"] else ""
        table.add_row(
            row["source"],
            str(row["articles"]),
            str(row["copies"]),
            str(row["comments"]),
            (row["newest_article"] or "")[:10],
            (row["last_crawl"] or "")[:16].replace("T", " "),
            rate,
            row["health"] or "",
            (row["next_poll"] or "")[:16].replace("T", " "),
        )
    out.print(table)


class ExportKind(enum.StrEnum):
    articles = "articles"
    comments = "comments"
    stories = "stories"
    warc = "warc"


class ExportFormat(enum.StrEnum):
    jsonl = "jsonl"
    csv = "csv"


EXPORTS = {
    ExportKind.articles: (export_articles, ARTICLE_COLUMNS),
    ExportKind.comments: (export_comments, COMMENT_COLUMNS),
    ExportKind.stories: (export_stories, STORY_COLUMNS),
}


@app.command()
def export(
    kind: Annotated[ExportKind, typer.Argument(help="What to export.")],
    db: DbOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="JSON Lines or CSV.")] = ExportFormat.jsonl,
    source: SourceOption = None,
    author: AuthorOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    language: LanguageOption = None,
    has_comments: CommentsOption = None,
    all_copies: AllCopiesOption = False,
    versions: Annotated[
        bool, typer.Option("--versions", help="articles: each with its earlier versions (JSON Lines only).")
    ] = False,
) -> None:
    """Stream articles, comments or stories as JSON Lines or CSV, or archived responses as WARC.

    Constant memory. `warc` writes the selected articles' archived responses (pywb and
    warcio read the file).

    Example: newsdedup export articles --format csv --since 2014-01-01 -o articles.csv

    Example: newsdedup export warc --source antiwar -o antiwar.warc.gz

    Example: newsdedup export articles --versions --source antiwar -o antiwar.jsonl
    """
    filters = article_filter(source, author, since, until, language, has_comments, all_copies)
    if versions and (kind is not ExportKind.articles or fmt is not ExportFormat.jsonl):
        raise fail("--versions: with `export articles` as JSON Lines only (a version holds a whole text)", 2)
    if kind is ExportKind.warc:
        export_warc(db, filters, output)
        return
    rows_of, columns = EXPORTS[kind]
    engine = open_database(db)
    handle: TextIO = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        with session_scope(engine) as session:
            rows = rows_of(session, filters)
            written = _write(with_versions(session, rows) if versions else rows, columns, fmt, handle)
    except OSError as exc:
        raise fail(f"{output or 'stdout'}: cannot write: {exc.strerror or exc}") from None
    finally:
        if output:
            handle.close()
    if output:
        console.print(f"{written} {kind.value} written to {output}")


def _write(rows: Iterator[dict[str, Any]], columns: tuple[str, ...], fmt: ExportFormat, handle: TextIO) -> int:
    written = 0
    if fmt is ExportFormat.csv:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()})
            written += 1
        return written
    for row in rows:
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        written += 1
    return written
