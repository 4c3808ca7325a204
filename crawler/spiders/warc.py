"""The `warc` spider: the HTML responses of WARC and ARC files (and the saved pages beside
them), as items for the same pipelines.

Reading the archive is this spider's fetch: it makes no request and yields items from
``start()``, throttled (crawler.spiders.local.ArchiveSpider); what each file is comes
from its content, not its name (``sniff``).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.progress import ARCHIVE_PROGRESS
from crawler.sources import load_sources
from crawler.spiders import archived_item
from crawler.spiders.local import PAGE_SUFFIXES, ArchiveSpider
from pipelines.page import ExtractRules
from pipelines.warc_read import ArchivedResponse, Broken, Skipped, WarcReader
from pipelines.warc_records import ARCHIVE_KINDS, ARCHIVE_SUFFIXES, sniff
from storage.locks import source_lock_names

if TYPE_CHECKING:
    from crawler.sources import Source
    from pipelines.items import ArticleItem

logger = logging.getLogger(__name__)


def _files(path: Path) -> Iterator[Path]:
    yield from [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())


def _is_archive(path: Path, kind: str) -> bool:
    """An archive by content; or named like one, so the reader says in one line what it is
    instead (a damaged first gzip member, plain text called .warc)."""
    return kind in ARCHIVE_KINDS or path.name.lower().endswith(ARCHIVE_SUFFIXES)


def holds_archives(path: Path) -> bool:
    """Whether ``path`` is, or a folder holds, a WARC or ARC file (by content or name)."""
    # The name first: a WARC_DIR of thousands of files is decided without opening them.
    return any(p.name.lower().endswith(ARCHIVE_SUFFIXES) or sniff(p).kind in ARCHIVE_KINDS for p in _files(path))


def import_inputs(path: Path) -> tuple[list[Path], list[Path]]:
    """The archives and the saved pages (by content, or named .html/.htm) an import of
    ``path``, a file or a folder, reads, each in name order; other files are left alone."""
    archives: list[Path] = []
    pages: list[Path] = []
    for file in _files(path):
        kind = sniff(file).kind
        if _is_archive(file, kind):
            archives.append(file)
        elif kind == "html" or file.suffix.lower() in PAGE_SUFFIXES:
            pages.append(file)
    return archives, pages


class WarcSpider(ArchiveSpider):
    """``newsdedup import FILE.warc.gz|FILE.arc.gz|DIR [--sources FILE]``: every HTML
    response record, then the saved pages beside the archives.

    With a sources file, a record whose URL a source allows gets that source's name and
    extraction rules (as on a crawl); other records are named after their host, as saved
    pages are. A saved page is read as `pages` reads it: its URL is its canonical link,
    else its file:// path (``timezone``: the site's, for times printed without one).
    """

    name = "warc"
    progress_unit = "bytes"

    def __init__(
        self, path: str, sources: str | None = None, base_url: str | None = None, timezone: str = "UTC", **kw: Any
    ) -> None:
        super().__init__(**kw)
        self.paths, self.pages = import_inputs(Path(path))
        if not self.paths and not self.pages:
            raise ValueError(f"{path}: no WARC or ARC files and no saved pages")
        self.page_rules = ExtractRules(timezone=timezone)
        self.source_list: list[Source] = load_sources(sources, base_url=base_url) if sources else []
        # Two imports of the same archive at once are refused (as for a folder of pages).
        self.lock_names = [f"warc:{Path(path).resolve()}", *source_lock_names(s.name for s in self.source_list)]

    def source_for(self, url: str) -> Source | None:
        return next((s for s in self.source_list if s.allows(url)), None)

    async def start(self) -> AsyncIterator[Any]:
        reader = WarcReader(self.paths)
        async for item in self.throttled(self._items(reader)):
            yield item
        if self.paths and not self.crawler.stats.get_value("warc/responses"):
            logger.warning("%s: no HTML responses in %d archive file(s)", self.paths[0].parent, len(self.paths))
        # The saved pages as the `pages` spider reads them, sharing the archive items' throttle.
        async for item in self.throttled(self.saved_page_items(self.pages, self.page_rules, reader.total_bytes)):
            yield item
        await self.drained()

    def _items(self, reader: WarcReader) -> Iterator[ArticleItem | None]:
        stats = self.crawler.stats
        for read in reader:
            self.crawler.signals.send_catch_log(ARCHIVE_PROGRESS, done=reader.done_bytes, total=reader.total_bytes)
            if isinstance(read, Broken):
                logger.error("%s", read)
                stats.inc_value("warc/errors")
            elif isinstance(read, Skipped):
                stats.inc_value(f"warc/skipped/{read.reason}")
            elif isinstance(read, ArchivedResponse):
                stats.inc_value("warc/responses")
                source = self.source_for(read.url)
                if source is None:
                    yield archived_item(read)
                else:
                    yield archived_item(read, source=source.name, home=source.home, rules=source.rules)
                continue
            yield None
