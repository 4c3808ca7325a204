"""`newsdedup import`: the offline import, through the same spiders and pipelines as a crawl."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.table import Table

from crawler.cli.common import DbOption, SetOption, app, console, fail, open_database, parse_settings
from storage.db import session_for_url
from storage.locks import CrawlLocked, crawl_lock, source_lock_names
from storage.queries import count_rows

if TYPE_CHECKING:
    from scrapy.settings import Settings

    from crawler.run import CrawlResult

# An offline import reads local files only: a link that points at the live web fails at
# once instead of quietly going online. (file:// requests already skip robots.txt and
# share an undelayed download slot, see crawler.spiders.local_file_meta.)
# Saved pages are not followed through <meta http-equiv=refresh> either: the middleware
# decodes every body to look for one (~4 ms a page, measured), and offline it could only
# point at the live web.
OFFLINE_SETTINGS = {
    "DOWNLOAD_HANDLERS": {"http": None, "https": None, "ftp": None, "s3": None},
    "METAREFRESH_ENABLED": False,
}


@app.command("import")
def import_(
    path: Annotated[
        Path,
        typer.Argument(
            help="A sources file, a folder with sources.toml, a folder of saved .html pages,"
            " or WARC files (FILE.warc[.gz], or a folder of them)."
        ),
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
    settings: SetOption = None,
    sources: Annotated[
        Path | None,
        typer.Option(help="WARC files: the sources file whose sources (and extract rules) the records belong to."),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(help="WARC files: the base URL the sources file's relative URLs were crawled at."),
    ] = None,
) -> None:
    """Import offline: run the same spider and pipelines as a crawl over local files.

    Examples:

      newsdedup import fixtures/                 # the bundled fixture sites

      newsdedup import ~/saved-pages --db postgresql+psycopg://localhost/news

      newsdedup import ~/archive --set DEDUP_WINDOW_DAYS=None   # undated archive

      newsdedup import CC-NEWS-20240101.warc.gz                 # a web archive

      newsdedup import warcs/ --sources sources.toml            # a crawl's WARC_DIR
    """
    # Scrapy and the pipelines load here, not at import: the query commands stay light.
    from crawler.run import run_crawl
    from crawler.sources import SourcesError, load_sources
    from crawler.spiders.news import NewsSpider
    from crawler.spiders.pages import SavedPagesSpider
    from pipelines.warc_read import is_warc_path

    sources_file = path if path.is_file() else path / "sources.toml"
    if not path.exists():
        raise fail(f"{path}: no such file or folder", 2)
    overrides = parse_settings(settings)
    if workers is not None:
        overrides["EXTRACT_WORKERS"] = workers
    if full:
        overrides["INCREMENTAL_ENABLED"] = False
    if is_warc_path(path):
        overrides.update(OFFLINE_SETTINGS)
        spider, args, lock_names = warc_import(path, sources, base_url)
    elif sources_file.is_file():
        try:
            sources = load_sources(sources_file, only=source)
        except SourcesError as exc:
            raise fail(str(exc), 2) from None
        if all(url.startswith("file:") for s in sources for url in s.entry_urls):
            overrides.update(OFFLINE_SETTINGS)
        spider, args = NewsSpider, {"sources": str(sources_file), "source": source}
        lock_names = source_lock_names(s.name for s in sources)
    else:
        overrides.update(OFFLINE_SETTINGS)
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise fail(f"--timezone: unknown timezone {timezone!r} (use an IANA name like 'Europe/Paris')", 2) from None
        spider, args = SavedPagesSpider, {"path": str(path), "timezone": timezone}
        lock_names = [f"pages:{path.resolve()}"]
    url, settings = prepare_run(db, lock_names, overrides)
    result = run_crawl(spider, args, settings, console, "INFO" if verbose else "WARNING")
    print_summary(result, url)
    if not result.ok:
        raise fail(f"import did not finish: {result.finish_reason}")


def warc_import(path: Path, sources: Path | None, base_url: str | None) -> tuple[type, dict[str, Any], list[str]]:
    """The spider, its arguments and its locks for WARC files."""
    from crawler.sources import SourcesError, load_sources
    from crawler.spiders.warc import WarcSpider

    try:
        names = [s.name for s in load_sources(sources, base_url=base_url)] if sources else []
    except SourcesError as exc:
        raise fail(str(exc), 2) from None
    args = {"path": str(path), "sources": str(sources) if sources else None, "base_url": base_url}
    return WarcSpider, args, [f"warc:{path.resolve()}", *source_lock_names(names)]


def prepare_run(db: str | None, lock_names: list[str], overrides: dict[str, Any]) -> tuple[str, Settings]:
    """The database URL and settings for a run in this process, after the checks that
    give a clean one-line error up front: the locks are free, the dedup index matches."""
    from crawler.run import project_settings
    from pipelines.dedup import IndexMismatch, check_index_at, dedup_config

    engine = open_database(db)
    try:
        with crawl_lock(engine, lock_names):
            pass  # the run takes it for real; this is for a clean message up front
    except CrawlLocked as exc:
        raise fail(str(exc)) from None
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    settings = project_settings(url, overrides)
    try:
        check_index_at(url, dedup_config(settings))
    except (IndexMismatch, ValueError) as exc:
        raise fail(str(exc), 2) from None
    return url, settings


def print_summary(result: CrawlResult, url: str) -> None:
    stats = result.stats
    table = Table(title="import summary", show_header=False, title_justify="left")
    if any(k.startswith("warc/") for k in stats):
        table.add_row("WARC HTML responses", str(stats.get("warc/responses", 0)))
    else:
        table.add_row("pages fetched", str(stats.get("response_received_count", 0)))
    for change in ("new", "updated", "unchanged"):
        table.add_row(f"articles {change}", str(stats.get(f"store/articles_{change}", 0)))
    table.add_row("comments new", str(stats.get("store/comments_new", 0)))
    for key, value in sorted(stats.items()):
        if key.startswith("item_dropped_reasons_count/"):
            table.add_row(f"skipped: {key.rpartition('/')[2]}", str(value))
        elif key.startswith("newsdedup/fetch_failed/"):
            table.add_row(f"fetch failed: {key.rpartition('/')[2]}", str(value))
        elif key.startswith("warc/skipped/"):
            table.add_row(f"WARC records skipped: {key.rpartition('/')[2]}", str(value))
        elif key == "warc/errors":
            table.add_row("WARC records unreadable", str(value))
    console.print(table)
    for page_url, reason in result.tally.skipped:
        console.print(f"  skipped {page_url}: {reason}", highlight=False, soft_wrap=True)
    with session_for_url(url) as session:
        counts = count_rows(session)
        where = session.get_bind().engine.url.render_as_string(hide_password=True)
    console.print(
        f"[bold]{where}[/] now holds {counts['articles']} articles, {counts['comments']} comments"
        f" from {counts['sources']} sources",
        highlight=False,
    )
