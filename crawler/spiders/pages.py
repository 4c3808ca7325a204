"""The `pages` spider: every saved .html/.htm page below a folder, read as the `warc`
spider reads the saved pages beside its archives (crawler.spiders.local)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from crawler.spiders.local import ArchiveSpider, saved_pages
from pipelines.page import ExtractRules


class SavedPagesSpider(ArchiveSpider):
    """``scrapy crawl pages -a path=DIR``: a browser's "save page" output or a wget mirror.

    Each page's URL is its canonical link / og:url when it has one (taken by the
    extractor), else its file:// path. The pages are read from ``start()``, not fetched
    as file:// requests (crawler.spiders.local says why).
    """

    name = "pages"
    progress_unit = "bytes"

    def __init__(self, path: str, timezone: str = "UTC", **kw: Any) -> None:
        super().__init__(**kw)
        self.folder = Path(path)
        if not self.folder.is_dir():
            raise ValueError(f"{path}: not a folder")
        # Times the pages print without an offset are in this zone (the site's).
        self.rules = ExtractRules(timezone=timezone)
        # Two imports of one folder at once are refused; other folders may run alongside.
        self.lock_names = [f"pages:{self.folder.resolve()}"]

    async def start(self) -> AsyncIterator[Any]:
        async for item in self.throttled(self.saved_page_items(list(saved_pages(self.folder)), self.rules)):
            yield item
        await self.drained()
