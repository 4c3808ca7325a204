"""The crawl's own records: `newsdedup runs`, `known` and `forget`."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from cli.common import DbOption, JsonOption, app, console, open_database, out, print_json_lines
from storage.db import session_scope
from storage.frontier import forget as forget_source
from storage.frontier import known_document, known_urls
from storage.polling import entry_document, entry_rows
from storage.runs import recent_runs, run_document


@app.command()
def runs(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many runs.")] = 20,
    as_json: JsonOption = False,
    steps: Annotated[
        bool, typer.Option("--steps", help="Where each run's store spent its time: its named steps.")
    ] = False,
) -> None:
    """Recent crawl runs, newest first, with what each did per source.

    Example: newsdedup runs --limit 5

    Example: newsdedup runs --limit 1 --steps
    """
    engine = open_database(db)
    with session_scope(engine) as session:
        rows = [run_document(run) for run in recent_runs(session, limit)]
    if as_json:
        print_json_lines(rows)
        return
    if steps:
        _print_steps(rows)
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


def _print_steps(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        out.print(steps_table(row["steps"], f"run {row['id']} ({row['status']})"))


def steps_table(steps: dict[str, dict[str, float]], title: str) -> Table:
    """A run's store steps (pipelines/store_steps.py, ``steps`` of its run record): count,
    time, and time per article written (the ``write`` step counts the articles)."""
    table = Table("step", "count", "ms", "ms/article", title=title)
    articles = steps.get("write", {}).get("count", 0)
    for name, numbers in steps.items():
        per_article = f"{numbers['ms'] / articles:.2f}" if articles else ""
        table.add_row(name, str(int(numbers["count"])), f"{numbers['ms']:.1f}", per_article)
    if not steps:
        table.add_row("(no steps recorded: a run of an older version)", "", "", "")
    return table


@app.command()
def known(
    source: Annotated[str, typer.Argument(help="Source name from the sources file.")],
    db: DbOption = None,
    entries: Annotated[
        bool, typer.Option("--entries", help="Its feeds, sitemaps and sections instead of its URLs.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """What the crawler knows about a source's URLs: outcome, last fetch, validators. With
    --entries, its feeds, sitemaps and sections: last poll, what it gave, when it is next due.

    Example: newsdedup known antiwar

    Example: newsdedup known antiwar --entries
    """
    engine = open_database(db)
    with session_scope(engine) as session:
        if entries:
            polls = [entry_document(name, row) for name, row in entry_rows(session, source)]
        else:
            rows = sorted(known_urls(session, source).values(), key=lambda k: k.url)
    if entries:
        _print_entries(polls, as_json)
        return
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


def _print_entries(polls: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        print_json_lines(polls)
        return
    table = Table("entry point", "kind", "last poll", "outcome", "links", "new", "next due")
    for poll in polls:
        table.add_row(
            poll["url"],
            poll["kind"],
            poll["last_polled_at"][:16].replace("T", " "),
            poll["outcome"],
            str(poll["links"]),
            str(poll["new_links"]),
            poll["next_due_at"][:16].replace("T", " "),
        )
    out.print(table)


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
