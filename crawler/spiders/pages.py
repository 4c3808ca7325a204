"""The `pages` spider: every saved .html/.htm page below a folder, as file:// requests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import Request, Spider

from crawler.spiders import article_item, local_file_meta
from pipelines.page import ExtractRules

if TYPE_CHECKING:
    from scrapy.http import Response

    from pipelines.items import ArticleItem

PAGE_SUFFIXES = (".html", ".htm")


def saved_pages(folder: Path) -> Iterable[Path]:
    """Saved pages below ``folder``, recursively, in a stable order, lazily."""
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in PAGE_SUFFIXES and path.is_file():
            yield path


class SavedPagesSpider(Spider):
    """``scrapy crawl pages -a path=DIR``: a browser's "save page" output or a wget mirror.

    Each page's URL is its canonical link / og:url when it has one (taken by the
    extractor), else its file:// path.
    """

    name = "pages"

    def __init__(self, path: str, timezone: str = "UTC", **kw: Any) -> None:
        super().__init__(**kw)
        self.folder = Path(path)
        if not self.folder.is_dir():
            raise ValueError(f"{path}: not a folder")
        # Times the pages print without an offset are in this zone (the site's).
        self.rules = ExtractRules(timezone=timezone)
        self.local_origins = {("file", "")}  # saved pages are local files by definition
        # Two imports of one folder at once are refused; other folders may run alongside.
        self.lock_names = [f"pages:{self.folder.resolve()}"]

    async def start(self) -> AsyncIterator[Any]:
        for page in saved_pages(self.folder):
            url = page.resolve().as_uri()
            yield Request(url, callback=self.parse_page, meta=local_file_meta(url))

    def parse_page(self, response: Response) -> Iterable[ArticleItem]:
        yield article_item(response, rules=self.rules)
