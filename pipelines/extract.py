"""Main-text and metadata extraction with trafilatura, plus the ExtractPipeline adapter."""

from __future__ import annotations

import asyncio
import logging
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import py3langid
import trafilatura

from pipelines.authors import article_authors
from pipelines.comments import COMMENT_SECTION_XPATHS, FORUM, FoundComments, find_comments, parse_comments
from pipelines.comments.cms import topic_text
from pipelines.comments.markup import squash
from pipelines.dates import parse_page_date
from pipelines.dedup.config import DedupConfig
from pipelines.dedup.pipeline import dedup_config
from pipelines.dedup.signature import Signature, make_signature
from pipelines.drops import drop_for
from pipelines.errors import EmptyBody, ExtractionFailed, NotAnArticle, RejectedPage
from pipelines.html import parse_page
from pipelines.items import ArticleItem
from pipelines.page import Extraction, ExtractRules, FetchedPage
from pipelines.pagekind import ARTICLE_TYPES, declared_types, not_article_reason
from pipelines.pool import WorkerPool, crawl_pool
from pipelines.published import published_time
from storage.records import CommentFields

if TYPE_CHECKING:
    from typing import Self

    from lxml.html import HtmlElement
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector


logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ExtractConfig:
    """Crawl-wide extraction settings; defaults live here so the importer shares them."""

    favor_precision: bool = False
    min_text_chars: int = 250
    # The floor for pages that declare themselves articles: a short post is still a post.
    min_article_chars: int = 50
    max_bytes: int = 5 * 1024 * 1024
    # Removed before extraction so reader comments can never land in the body.
    prune_xpath: tuple[str, ...] = COMMENT_SECTION_XPATHS


def extract_config(settings: BaseSettings) -> ExtractConfig:
    """ExtractConfig from the EXTRACT_* settings (defaults live on the dataclass)."""
    defaults = ExtractConfig()
    return ExtractConfig(
        favor_precision=settings.getbool("EXTRACT_FAVOR_PRECISION", defaults.favor_precision),
        min_text_chars=settings.getint("EXTRACT_MIN_TEXT_CHARS", defaults.min_text_chars),
        min_article_chars=settings.getint("EXTRACT_MIN_ARTICLE_CHARS", defaults.min_article_chars),
        max_bytes=settings.getint("EXTRACT_MAX_BYTES", defaults.max_bytes),
    )


def _xpath_texts(tree: HtmlElement, xpath: str) -> list[str]:
    """Texts an XPath selects; string expressions (substring-after(…)) give one text."""
    result = tree.xpath(xpath)
    texts = []
    for node in result if isinstance(result, list) else [str(result)]:
        text = node if isinstance(node, str) else node.text_content()
        if text := " ".join(text.split()):
            texts.append(text)
    return texts


def _body_from_xpath(tree: HtmlElement, xpath: str) -> str:
    """Paragraph text of the nodes a source's body_xpath selects."""
    paragraphs: list[str] = []
    for node in tree.xpath(xpath):
        blocks = node.xpath(".//*[self::p or self::h2 or self::h3 or self::h4 or self::li or self::pre]")
        for block in blocks or [node]:
            if text := " ".join(block.text_content().split()):
                paragraphs.append(text)
    return "\n".join(paragraphs)


# py3langid's cost grows with the text; 2,000 characters decide as well as a whole
# article (same answers on the fixtures and the syndication corpus) at a fraction of it.
LANGUAGE_SAMPLE_CHARS = 2000


def detect_language(text: str, tree: HtmlElement) -> str | None:
    """Language of the text; the declared <html lang> only when there is too little text."""
    if len(text) >= 200:
        return str(py3langid.classify(text[:LANGUAGE_SAMPLE_CHARS])[0])
    declared = tree.xpath("/html/@lang")
    return declared[0].split("-")[0].lower() if declared else None


def extract_article(
    tree: HtmlElement, url: str, rules: ExtractRules, config: ExtractConfig, fetched_at: datetime
) -> Extraction:
    """Extract one article from a parsed page, or raise NotAnArticle / EmptyBody."""
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=config.favor_precision,
        prune_xpath=list(config.prune_xpath + rules.prune_xpath) or None,
        date_extraction_params={"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S"},
    )
    text = _body_from_xpath(tree, rules.body_xpath) if rules.body_xpath else (document.text if document else "") or ""
    # NFC, as trafilatura.extract() returns its text: one spelling of each character for
    # search and dedup, whatever form the page's bytes used.
    text = unicodedata.normalize("NFC", text)
    bylined = bool(document and document.author and document.date)
    declared = declared_types(tree)
    if reason := not_article_reason(tree, url, text, declared, bylined=bylined):
        raise NotAnArticle(reason)
    # A page that says it is an article (schema.org/og:type, or a byline with a date) is
    # one however short; a page saying nothing needs enough text to be taken for one.
    floor = config.min_article_chars if bylined or declared & ARTICLE_TYPES else config.min_text_chars
    if len(text) < floor:
        raise EmptyBody(f"main text has {len(text)} characters, fewer than {floor}")
    extraction = Extraction(
        text=text,
        canonical_url=declared_url(tree, "//link[@rel='canonical']/@href"),
        og_url=declared_url(tree, "//meta[@property='og:url']/@content"),
        title=document.title if document else None,
        authors=[a.strip() for a in (document.author or "").split(";") if a.strip()] if document else [],
        language=detect_language(text, tree),
        sitename=document.sitename if document else None,
        description=document.description if document else None,
        categories=list(document.categories or []) if document else [],
        tags=list(document.tags or []) if document else [],
    )
    extraction.published_at, extraction.published_source = published_time(tree, url, document, rules.timezone)
    _apply_overrides(extraction, tree, rules, fetched_at)
    return extraction


def _apply_overrides(extraction: Extraction, tree: HtmlElement, rules: ExtractRules, fetched_at: datetime) -> None:
    if rules.title_xpath and (titles := _xpath_texts(tree, rules.title_xpath)):
        extraction.title = titles[0]
    if rules.author_xpath and (authors := _xpath_texts(tree, rules.author_xpath)):
        extraction.authors = list(dict.fromkeys(authors))
    if rules.date_xpath and (dates := _xpath_texts(tree, rules.date_xpath)):
        lang = [extraction.language] if extraction.language else None
        if parsed := parse_page_date(dates[0], timezone=rules.timezone, now=fetched_at, languages=lang):
            extraction.published_at, extraction.published_source = parsed, "date_xpath"


def declared_url(tree: HtmlElement, xpath: str) -> str | None:
    """The first absolute URL the page declares at ``xpath`` (relative ones say nothing reliable)."""
    for raw in tree.xpath(xpath):
        candidate = raw.strip()
        if candidate.startswith(("http://", "https://")):
            return candidate
    return None


@dataclass(slots=True)
class PageAnalysis:
    extraction: Extraction
    comments: list[CommentFields]
    signature: Signature | None = None


def thread_comments(
    pages: list[tuple[FetchedPage, HtmlElement]],
    rules: ExtractRules,
    language: str | None,
    known: dict[int, FoundComments] | None = None,
) -> list[CommentFields]:
    """Comments of all pages of one article's thread, in page order, positions continuing.

    ``known`` holds what find_comments already read, by id() of the page's tree.
    """
    comments: list[CommentFields] = []
    seen: set[str] = set()
    for page, tree in sorted(pages, key=lambda pair: pair[0].comment_page):
        found = parse_comments(
            tree,
            timezone=rules.timezone,
            fetched_at=page.fetched_at,
            language=language,
            first_position=len(comments) + 1,
            found=(known or {}).get(id(tree)),
        )
        # A comment repeated on two pages (a reply shown with its parent) counts once.
        comments.extend(c for c in found if c.key not in seen)
        seen.update(c.key for c in found)
    return comments


def analyze_page(
    page: FetchedPage,
    rules: ExtractRules,
    config: ExtractConfig,
    comment_pages: tuple[FetchedPage, ...] = (),
    sign: DedupConfig | None = None,
) -> PageAnalysis:
    """Parse a page once and extract both the article and its comments (runs in a worker).

    ``comment_pages`` are the other pages of a paginated comment thread; only their
    comments are read. With ``sign``, the final text's dedup signature is computed in the
    same worker trip (the text is there already).
    """
    tree = parse_page(page.body, page.content_type, page.url, config.max_bytes)
    # Comments first: the structural fallback marks the thread it reads, and extraction
    # prunes the marked blocks (their author and date lines are no article text).
    found = find_comments(tree)
    extraction = extract_article(tree, page.url, rules, config, page.fetched_at)
    if found[0] == FORUM and not rules.body_xpath and (first_post := topic_text(tree)):
        # A forum topic's article is its first post; the replies are its comments.
        extraction.text = unicodedata.normalize("NFC", first_post)
    pages = [(page, tree)]
    for extra in comment_pages:
        try:
            pages.append((extra, parse_page(extra.body, extra.content_type, extra.url, config.max_bytes)))
        except RejectedPage as exc:
            logger.warning("%s: comment page skipped: %s", extra.url, exc)
    comments = thread_comments(pages, rules, extraction.language, {id(tree): found})
    if not rules.author_xpath:
        extraction.authors = article_authors(tree, extraction.authors, extraction.sitename)
    extraction.text = without_comment_lines(extraction.text, comments, tree)
    signature = make_signature(extraction.text, sign) if sign is not None and sign.enabled else None
    return PageAnalysis(extraction, comments, signature)


def without_comment_lines(text: str, comments: list[CommentFields], tree: HtmlElement) -> str:
    """Drop body lines that are a reader comment's words, shown once on the page.

    Comment markup no parser knows (a JSON-LD page's custom visible thread) can slip
    into the body; a line that is on the page once and is a comment is that comment. A
    paragraph a reader quotes is on the page twice, and stays in the body.
    """
    comment_lines = {squash(line) for c in comments for line in c.text.split("\n") if len(line) >= 20}
    if not comment_lines:
        return text
    visible = squash(" ".join(tree.xpath("//body//text()[not(ancestor::script or ancestor::style)]")))
    kept = [line for line in text.split("\n") if squash(line) not in comment_lines or visible.count(squash(line)) > 1]
    return "\n".join(kept)


class ExtractPipeline:
    """Runs analyze_page in the worker pool and drops pages that are not articles.

    The worker also signs the text for dedup (``sign``, from the DEDUP_* settings): one
    trip to the pool per page instead of two, each costing the crawl process ~2 ms of
    pickling and future plumbing (docs/benchmarks.md). DedupPipeline counts them.
    """

    def __init__(
        self, config: ExtractConfig, pool: WorkerPool, stats: StatsCollector, sign: DedupConfig | None = None
    ) -> None:
        self.config, self.pool, self.stats, self.sign = config, pool, stats, sign

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(extract_config(crawler.settings), crawl_pool(crawler), crawler.stats, dedup_config(crawler.settings))

    async def open_spider(self) -> None:
        await asyncio.to_thread(self.pool.start)

    async def close_spider(self) -> None:
        await self.pool.close()

    async def process_item(self, item: ArticleItem | Any) -> ArticleItem | Any:
        if not isinstance(item, ArticleItem):
            return item  # a fetch outcome (304, error) for the store's frontier
        page = FetchedPage(item.url, item.body, item.content_type, item.fetched_at, item.comment_page)
        try:
            analysis = await self.pool.run(
                analyze_page, page, item.rules, self.config, tuple(item.comment_pages), self.sign
            )
        except RejectedPage as exc:
            self.stats.inc_value(f"extract/rejected/{type(exc).__name__}")
            raise drop_for(exc, item.url) from None
        except Exception as exc:
            # A parser crash on one page is that page's problem, not the crawl's.
            logger.error("%s: extraction failed: %s: %s", item.url, type(exc).__name__, exc)
            self.stats.inc_value("extract/error")
            raise drop_for(ExtractionFailed(f"extraction failed: {exc}"), item.url) from exc
        self.stats.inc_value("extract/articles")
        item.extraction, item.comments, item.signature = analysis.extraction, analysis.comments, analysis.signature
        return item
