"""`newsdedup reprocess` and `newsdedup export warc`: working from the archived responses."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cli.common import (
    AuthorOption,
    CommentsOption,
    DbOption,
    LanguageOption,
    SetOption,
    SinceOption,
    SourceOption,
    UntilOption,
    app,
    article_filter,
    console,
    fail,
    open_database,
    out,
    parse_settings,
)
from cli.imports import prepare_run
from storage.archive import count_archived, iter_archived, source_names
from storage.db import session_scope
from storage.locks import source_lock_names
from storage.search import ArticleFilter

if TYPE_CHECKING:
    from crawler.run import CrawlResult


def default_sources() -> Path | None:
    # The default's one home ($NEWSDEDUP_SOURCES, else sources.toml); that module imports no Scrapy.
    from crawler.settings import NEWSDEDUP_SOURCES

    path = Path(NEWSDEDUP_SOURCES)
    return path if path.is_file() else None


@app.command()
def reprocess(
    db: DbOption = None,
    sources: Annotated[
        Path | None,
        typer.Option(help="The sources file whose extract rules apply (default: $NEWSDEDUP_SOURCES or sources.toml)."),
    ] = None,
    source: SourceOption = None,
    author: AuthorOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    language: LanguageOption = None,
    has_comments: CommentsOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would change; store nothing.")] = False,
    workers: Annotated[int | None, typer.Option(help="Extraction processes (default: one per CPU).")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log every page (INFO).")] = False,
    settings: SetOption = None,
) -> None:
    """Re-extract stored articles from their archived responses (WARC), without fetching.

    Text, metadata, comments (merged, as on a re-crawl) and story links are updated in
    place with the current code, sources file and settings; each changed article is listed.

    Examples:

      newsdedup reprocess --source antiwar --dry-run

      newsdedup reprocess --since 2024-01-01 --sources sources.toml
    """
    from crawler.run import run_crawl
    from crawler.sources import SourcesError, load_sources
    from crawler.spiders.reprocess import ReprocessSpider

    filters = article_filter(source, author, since, until, language, has_comments, all_copies=True)
    sources = sources or default_sources()
    if sources is not None:
        try:
            load_sources(sources)
        except SourcesError as exc:
            raise fail(str(exc), 2) from None
    engine = open_database(db)
    with session_scope(engine) as session:
        lock_names = source_lock_names(source_names(session, filters))
        unarchived = count_archived(session, filters, archived=False)
        total = count_archived(session, filters)
    engine.dispose()
    overrides = parse_settings(settings) | {"STORE_DRY_RUN": dry_run}
    if workers is not None:
        overrides["EXTRACT_WORKERS"] = workers
    _, run_settings = prepare_run(db, overrides)
    args = {"sources": str(sources) if sources else None, "filters": filters, "lock_names": lock_names, "total": total}
    result = run_crawl(ReprocessSpider, args, run_settings, console, "INFO" if verbose else "WARNING")
    print_reprocess_summary(result, unarchived, dry_run)
    if not result.ok:
        raise fail(f"reprocess did not finish: {result.finish_reason}")


def print_reprocess_summary(result: CrawlResult, unarchived: int, dry_run: bool) -> None:
    """The counts, then each changed article, then each one kept as stored."""
    stats = result.stats
    table = Table(title="reprocess summary" + (" (dry run: nothing stored)" if dry_run else ""), show_header=False)
    table.add_row("archived responses read", str(stats.get("reprocess/read", 0)))
    for change in ("updated", "unchanged", "new"):
        table.add_row(f"articles {change}", str(stats.get(f"store/articles_{change}", 0)))
    table.add_row("comments new", str(stats.get("store/comments_new", 0)))
    table.add_row("no longer extracted (kept as stored)", str(len(result.tally.skipped)))
    table.add_row("archive unreadable", str(stats.get("reprocess/unreadable", 0)))
    table.add_row("not archived (no WARC record)", str(unarchived))
    console.print(table)
    verb = "would be " if dry_run else ""
    for page_url, what in result.tally.changed:
        out.print(f"{verb}{what}  {page_url}", highlight=False, soft_wrap=True)
    for page_url, reason in result.tally.skipped:
        console.print(f"  kept as stored {page_url}: {reason}", highlight=False, soft_wrap=True)


def export_warc(db: str | None, filters: ArticleFilter, output: Path | None) -> None:
    """`newsdedup export warc -o FILE.warc.gz`: the selected articles' archived responses."""
    from pipelines.warc_write import copy_records, warcinfo

    if output is None:
        raise fail("export warc needs --output FILE.warc.gz (WARC is binary)", 2)
    engine = open_database(db)
    errors: list[str] = []
    try:
        with output.open("wb") as handle, session_scope(engine) as session:
            locations = (article.location for article in iter_archived(session, filters))
            written = copy_records(locations, handle, warcinfo("newsdedup export"), errors)
            unarchived = count_archived(session, filters, archived=False)
    except OSError as exc:
        raise fail(f"{output}: cannot write: {exc.strerror or exc}") from None
    for line in errors:
        console.print(f"[red]error:[/] {line}", highlight=False, soft_wrap=True)
    console.print(f"{written} archived responses written to {output}", highlight=False)
    if unarchived:
        console.print(f"{unarchived} selected articles have no archived response (crawled without WARC_DIR)")
