"""Reading the database: `newsdedup articles` and `newsdedup show`."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer
from rich.table import Table

from crawler.cli.common import DbOption, JsonOption, app, fail, open_database, out, print_json_lines
from crawler.render import render_article
from storage.db import session_scope
from storage.queries import article_document, find_article, list_articles


@app.command()
def articles(
    db: DbOption = None,
    source: Annotated[str | None, typer.Option(help="Only articles of this source.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """List stored articles, newest first.

    Example: newsdedup articles --source antiwar --json
    """
    engine = open_database(db)
    with session_scope(engine) as session:
        rows = list_articles(session, source=source, limit=limit)
    if as_json:
        print_json_lines(asdict(row) for row in rows)
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
    as_json: JsonOption = False,
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
        print_json_lines([document])
        return
    out.print(render_article(document))
