"""One page, analysed once: extraction, reader comments and the dedup signature.

Plain Python (it runs in the analyze stage's worker processes, and the benches and tests
call it directly). Each part can be switched off in ``AnalyzeConfig``.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipelines.comments import FORUM, FoundComments, find_comments, parse_comments
from pipelines.comments.cms import topic_post
from pipelines.comments.markup import RawComment, squash
from pipelines.dedup.config import DedupConfig, dedup_config
from pipelines.dedup.signature import Signature, make_signature
from pipelines.errors import RejectedPage
from pipelines.extract import ExtractConfig, extract_article, extract_config
from pipelines.html import parse_page, read_page
from pipelines.link_lines import without_link_lines
from pipelines.names import is_credit_line
from pipelines.page import Extraction, ExtractRules, FetchedPage
from pipelines.related import without_related_tail
from pipelines.settings_reader import from_settings, setting
from storage.records import CommentFields

if TYPE_CHECKING:
    from lxml.html import HtmlElement
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AnalyzeConfig:
    """What the analyze stage does to each page (EXTRACT_*, COMMENTS_ENABLED, DEDUP_*)."""

    extract: ExtractConfig = field(default_factory=ExtractConfig)
    # COMMENTS_ENABLED. Off: no comment is parsed or stored; the comment sections the markup
    # names are still pruned from the body (ExtractConfig.prune_xpath), so comments never
    # become article text.
    comments: bool = field(default=True, metadata=setting("COMMENTS_ENABLED"))
    # None (or DEDUP_ENABLED=False): the article is stored unsigned and never linked.
    sign: DedupConfig | None = None

    @property
    def signs(self) -> bool:
        return self.sign is not None and self.sign.enabled


def analyze_config(settings: BaseSettings) -> AnalyzeConfig:
    """AnalyzeConfig from a crawl's settings."""
    sign = dedup_config(settings)
    return from_settings(AnalyzeConfig, settings, extract=extract_config(settings), sign=sign if sign.enabled else None)


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
    config: AnalyzeConfig | None = None,
    comment_pages: tuple[FetchedPage, ...] = (),
) -> PageAnalysis:
    """Parse a page once; extract the article, its comments and its signature (in a worker).

    ``comment_pages`` are the other pages of a paginated comment thread; only their
    comments are read.
    """
    config = config or AnalyzeConfig()
    tree, markup = read_page(page.body, page.content_type, page.url, config.extract.max_bytes)
    # Comments first: the structural fallback marks the thread it reads, and extraction
    # prunes the marked blocks (their author and date lines are no article text).
    found = find_comments(tree, markup) if config.comments else None
    extraction = extract_article(tree, page.url, rules, config.extract, page.fetched_at, markup)
    if found and found[0] == FORUM and (first_post := topic_post(tree)):
        _take_first_post(extraction, first_post, rules)
    comments = _all_comments(page, tree, found, comment_pages, rules, config, extraction.language)
    extraction.text = without_link_lines(without_comment_lines(extraction.text, comments, tree), tree)
    extraction.text = without_related_tail(extraction.text)
    # A byline trafilatura kept ("Posted by NAME at DATE"): the authors are stored apart.
    extraction.text = "\n".join(
        line for line in extraction.text.split("\n") if not is_credit_line(line, extraction.authors)
    )
    signature = make_signature(extraction.text, config.sign) if config.signs else None  # type: ignore[arg-type]
    return PageAnalysis(extraction, comments, signature)


def _take_first_post(extraction: Extraction, first_post: RawComment, rules: ExtractRules) -> None:
    """A forum topic's article is its first post (the replies are its comments), and the
    one who wrote it is its author where the page credits no one else."""
    if first_post.text and not rules.body_xpath:
        extraction.text = unicodedata.normalize("NFC", first_post.text)
    if first_post.author and not extraction.authors:
        extraction.authors, extraction.authors_source = [first_post.author], "topic-post"


def _all_comments(
    page: FetchedPage,
    tree: HtmlElement,
    found: FoundComments | None,
    comment_pages: tuple[FetchedPage, ...],
    rules: ExtractRules,
    config: AnalyzeConfig,
    language: str | None,
) -> list[CommentFields]:
    if found is None:
        return []
    pages = [(page, tree)]
    for extra in comment_pages:
        try:
            pages.append((extra, parse_page(extra.body, extra.content_type, extra.url, config.extract.max_bytes)))
        except RejectedPage as exc:
            logger.warning("%s: comment page skipped: %s", extra.url, exc)
    return thread_comments(pages, rules, language, {id(tree): found})


def without_comment_lines(text: str, comments: list[CommentFields], tree: HtmlElement) -> str:
    """Drop body lines that are a reader comment's words, shown once on the page.

    Comment markup no parser knows (a JSON-LD page's custom visible thread) can slip
    into the body; a line that is on the page once and is a comment is that comment. A
    paragraph a reader quotes is on the page twice, and stays in the body.
    """
    comment_lines = {squash(line) for c in comments for line in c.text.split("\n") if len(line) >= 20}
    lines = text.split("\n")
    keys = [squash(line) for line in lines]
    if comment_lines.isdisjoint(keys):
        return text  # most pages: the page's text need not be read
    visible = squash(" ".join(tree.xpath("//body//text()[not(ancestor::script or ancestor::style)]")))
    return "\n".join(
        line for line, key in zip(lines, keys, strict=True) if key not in comment_lines or visible.count(key) > 1
    )
