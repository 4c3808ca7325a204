"""Reading the database: `newsdedup articles` and `newsdedup show`."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer
from rich.table import Table

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
    fail,
    open_database,
    out,
    print_json_lines,
)
from cli.render import render_article, render_story
from storage.articles import article_document, find_article, list_articles
from storage.db import session_scope
from storage.history import edited_articles, version_summary
from storage.search import ArticleFilter
from storage.stories import story_document


@app.command()
def articles(
    db: DbOption = None,
    source: SourceOption = None,
    author: AuthorOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    language: LanguageOption = None,
    has_comments: CommentsOption = None,
    all_copies: AllCopiesOption = False,
    edited: Annotated[
        bool,
        typer.Option(
            "--edited",
            help="Articles the publisher edited after they were stored (new extractions left out),"
            " latest edit first; --since/--until then select the time of the edit.",
        ),
    ] = False,
    limit: LimitOption = 50,
    as_json: JsonOption = False,
) -> None:
    """List stored stories (one row each, its earliest copy), newest first.

    Example: newsdedup articles --source antiwar --since 2014-01-01 --json

    Example: newsdedup articles --edited --since 2024-05-01
    """
    filters = article_filter(source, author, since, until, language, has_comments, all_copies)
    if edited:
        _edited(db, filters, limit, as_json)
        return
    engine = open_database(db)
    with session_scope(engine) as session:
        rows = list_articles(session, filters, limit=limit)
    if as_json:
        print_json_lines(asdict(row) for row in rows)
        return
    table = Table("id", "source", "published", "title", "authors", "words", "comments", "copies")
    for row in rows:
        table.add_row(
            str(row.id),
            row.source,
            (row.published_at or "")[:10],
            row.title or "",
            ", ".join(row.authors),
            str(row.words),
            str(row.comments),
            str(row.copies) if row.copies > 1 else "",
        )
    out.print(table)


def _edited(db: str | None, filters: ArticleFilter, limit: int, as_json: bool) -> None:
    engine = open_database(db)
    with session_scope(engine) as session:
        rows = edited_articles(session, filters, limit=limit)
    if as_json:
        print_json_lines(asdict(row) for row in rows)
        return
    table = Table("id", "source", "published", "title", "edits", "last edit", "changed")
    for row in rows:
        table.add_row(
            str(row.id),
            row.source,
            (row.published_at or "")[:10],
            row.title or "",
            str(row.edits),
            (row.last_edit or "")[:16].replace("T", " "),
            ", ".join(row.changed),
        )
    out.print(table)


@app.command()
def show(
    article: Annotated[str, typer.Argument(help="Article id (from `newsdedup articles`) or URL.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one article: metadata, text, its comments as a thread, and its story.

    Example: newsdedup show 3    or    newsdedup show https://news.antiwar.com/2014/01/01/…/
    """
    engine = open_database(db)
    with session_scope(engine) as session:
        found = find_article(session, article)
        if found is None:
            raise fail(f"no stored article with id or URL {article!r}", 2)
        document = article_document(*found)
        document["story"] = story_document(session, found[0].id)
        document |= version_summary(session, found[0])
    if as_json:
        print_json_lines([document])
        return
    out.print(render_article(document))
    if document["versions"] > 1 or document["comments_removed"]:
        removed = document["comments_removed"]
        note = f"; {removed} comments removed by the site" if removed else ""
        out.print(f"{document['versions']} versions kept{note}: newsdedup history {document['id']}")
    out.print(render_story(document["story"], highlight=document["id"]))
