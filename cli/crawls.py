"""The crawl's own records: `newsdedup runs`, `known` and `forget`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from cli.common import DbOption, JsonOption, app, console, open_database, out, print_json_lines
from storage.db import session_scope
from storage.frontier import forget as forget_source
from storage.frontier import known_document, known_urls
from storage.runs import recent_runs, run_document


@app.command()
def runs(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many runs.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Recent crawl runs, newest first, with what each did per source.

    Example: newsdedup runs --limit 5
    """
    engine = open_database(db)
    with session_scope(engine) as session:
        rows = [run_document(run) for run in recent_runs(session, limit)]
    if as_json:
        print_json_lines(rows)
        return
    table = Table(
        "run", "started", "duration", "status", "workers", "source", "fetched", "new", "updated", "comments", "errors"
    )
    for row in rows:
        sources = row["per_source"] or {"": {}}
        for n, (name, counts) in enumerate(sorted(sources.items())):
            errors = ", ".join(f"{kind} {count}" for kind, count in counts.get("errors", {}).items())
            workers = str(len(row["workers"])) if row["fleet_run"] else "1"
            head = (str(row["id"]), row["started_at"][:19].replace("T", " "), row["duration"], row["status"], workers)
            table.add_row(
                *(head if n == 0 else ("", "", "", "", "")),
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
    as_json: JsonOption = False,
) -> None:
    """What the crawler knows about a source's URLs: outcome, last fetch, validators.

    Example: newsdedup known antiwar
    """
    engine = open_database(db)
    with session_scope(engine) as session:
        rows = sorted(known_urls(session, source).values(), key=lambda k: k.url)
    if as_json:
        print_json_lines(known_document(row) for row in rows)
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
