"""`newsdedup import`: the offline import, through the same spiders and pipelines as a crawl."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.table import Table

from cli.common import DbOption, SetOption, app, console, fail, open_database, parse_settings
from cli.paths import path_kind
from storage.articles import count_rows
from storage.db import session_for_url

if TYPE_CHECKING:
    from scrapy.settings import Settings

    from crawler.run import CrawlResult

# An offline import reads local files only: a link that points at the live web fails at
# once instead of quietly going online. (file:// requests already skip robots.txt and
# share an undelayed download slot, see crawler.spiders.local_file_meta.)
# Pages of file:// sources are not followed through <meta http-equiv=refresh> either: the
# middleware decodes every body to look for one (~4 ms a page, measured), and offline it
# could only point at the live web. (Saved pages and archives are read, not fetched.)
OFFLINE_SETTINGS = {
    "DOWNLOAD_HANDLERS": {"http": None, "https": None, "ftp": None, "s3": None},
    "METAREFRESH_ENABLED": False,
}


@app.command("import")
def import_(
    path: Annotated[
        Path,
        typer.Argument(
            help="A sources file, a folder with sources.toml, a saved HTML page or a folder of them,"
            " or web archives (WARC or ARC, gzipped or not; a file or a folder of them, saved pages"
            " beside them). What a file is comes from its content, not its name."
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
        typer.Option(help="Web archives: the sources file whose sources (and extract rules) the records belong to."),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(help="Web archives: the base URL the sources file's relative URLs were crawled at."),
    ] = None,
) -> None:
    """Import offline: run the same spider and pipelines as a crawl over local files.

    Examples:

      newsdedup import fixtures/                 # the bundled fixture sites

      newsdedup import ~/saved-pages --db postgresql+psycopg://localhost/news

      newsdedup import ~/archive --set DEDUP_WINDOW_DAYS=None   # undated archive

      newsdedup import CC-NEWS-20240101.warc.gz                 # a web archive

      newsdedup import IA-001102.arc.gz                         # an older one (ARC)

      newsdedup import warcs/ --sources sources.toml            # a crawl's WARC_DIR
    """
    if not path.exists():
        raise fail(f"{path}: no such file or folder", 2)
    overrides = parse_settings(settings)
    if workers is not None:
        overrides["EXTRACT_WORKERS"] = workers
    if full:
        overrides["INCREMENTAL_ENABLED"] = False
    spider, args, offline = import_plan(path, source, timezone, sources, base_url)
    if offline:
        overrides.update(OFFLINE_SETTINGS)
    # Scrapy and the pipelines load here, not at import: the query commands stay light.
    from crawler.run import run_crawl

    url, run_settings = prepare_run(db, overrides)
    result = run_crawl(spider, args, run_settings, console, "INFO" if verbose else "WARNING")
    print_summary(result, url)
    if not result.ok:
        raise fail(f"import did not finish: {result.finish_reason}")


def import_plan(
    path: Path, source: str | None, timezone: str, sources: Path | None, base_url: str | None
) -> tuple[type, dict[str, Any], bool]:
    """The spider that reads ``path``, its arguments, and whether it reads local files only.

    What ``path`` is comes from its content (cli.paths), not its name: a web archive or
    a saved page, a sources file (TOML that parses), a folder with sources.toml, or a
    folder of archives and pages."""
    from crawler.sources import SourcesError, load_sources
    from crawler.spiders.news import NewsSpider
    from crawler.spiders.pages import SavedPagesSpider
    from crawler.spiders.warc import WarcSpider

    kind = path_kind(path)
    try:
        if kind == "sources":
            sources_file = path if path.is_file() else path / "sources.toml"
            configured = load_sources(sources_file, only=source)
            local = all(url.startswith("file:") for s in configured for url in s.entry_urls)
            return NewsSpider, {"sources": str(sources_file), "source": source}, local
        if sources and kind == "archives":
            load_sources(sources, base_url=base_url)  # a broken file fails here, in one line
    except SourcesError as exc:
        raise fail(str(exc), 2) from None
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail(f"--timezone: unknown timezone {timezone!r} (use an IANA name like 'Europe/Paris')", 2) from None
    if kind == "archives":
        args = {"path": str(path), "sources": str(sources) if sources else None, "base_url": base_url}
        return WarcSpider, {**args, "timezone": timezone}, True
    return SavedPagesSpider, {"path": str(path), "timezone": timezone}, True


def prepare_run(db: str | None, overrides: dict[str, Any]) -> tuple[str, Settings]:
    """The database URL and settings for a run in this process, after the checks that
    give a clean one-line error up front: the database opens, the DEDUP_* settings are
    valid. (The crawl's store takes the locks and checks the dedup index when it opens.)"""
    from crawler.run import project_settings
    from pipelines.dedup import dedup_config

    engine = open_database(db)
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    settings = project_settings(url, overrides)
    try:
        dedup_config(settings)
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    return url, settings


def print_summary(result: CrawlResult, url: str) -> None:
    stats = result.stats
    table = Table(title="import summary", show_header=False, title_justify="left")
    if any(k.startswith(("warc/", "import/")) for k in stats):
        # The spiders that read files: archive records, and saved pages.
        if any(k.startswith("warc/") for k in stats):
            table.add_row("archived HTML responses", str(stats.get("warc/responses", 0)))
        if pages := stats.get("import/saved_pages"):
            table.add_row("saved pages read", str(pages))
        if unreadable := stats.get("import/unreadable"):
            table.add_row("saved pages unreadable", str(unreadable))
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
            table.add_row(f"archive records skipped: {key.rpartition('/')[2]}", str(value))
        elif key == "warc/errors":
            table.add_row("archive records unreadable", str(value))
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
