"""Main text and metadata of one parsed page with trafilatura (no Scrapy: the analyze stage,
the importer's benches and the tests call it)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

import py3langid
import trafilatura

from pipelines.authors import article_authors
from pipelines.comments.markup import COMMENT_SECTION_XPATH, THREAD_XPATH, has_class, squash
from pipelines.dates import parse_page_date
from pipelines.declarations import declarations
from pipelines.errors import EmptyBody, NotAnArticle
from pipelines.jsonld import json_ld_documents, json_ld_nodes
from pipelines.page import Extraction, ExtractRules
from pipelines.pagekind import ARTICLE_TYPES, declared_types, not_article_reason
from pipelines.published import published_time
from pipelines.regions import PageLayout
from pipelines.settings_reader import from_settings
from pipelines.sitename import site_names
from pipelines.titles import Title, html_title, page_title
from pipelines.trafilatura_compat import PageMetadata

if TYPE_CHECKING:
    from lxml.html import HtmlElement
    from scrapy.settings import BaseSettings
    from trafilatura.settings import Document


# Jetpack's blocks under a WordPress post (every WordPress.com blog, and self-hosted ones
# with the plugin): sharing buttons, likes, ratings and related posts, in div.sharedaddy
# inside div#jp-post-flair and div#jp-relatedposts. Their titles ("Share this:", "Teilen
# mit:", "Like this:", "Loading...") sit inside the post's content div.
ENGINE_WIDGETS_XPATH = (
    "//@id[.='jp-post-flair' or .='jp-relatedposts']/parent::*"
    f" | //@class[contains(., 'sharedaddy')]/parent::*[{has_class('sharedaddy')}]"
)


@dataclass(frozen=True, slots=True)
class ExtractConfig:
    """Crawl-wide extraction settings, EXTRACT_<FIELD>; defaults live here so the importer
    shares them."""

    SETTINGS_PREFIX: ClassVar[str] = "EXTRACT"

    favor_precision: bool = False
    min_text_chars: int = 250
    # The floor for pages that declare themselves articles: a short post is still a post.
    min_article_chars: int = 50
    max_bytes: int = 5 * 1024 * 1024
    # Removed before extraction so reader comments and the engines' share and like
    # widgets can never land in the body (not a setting; one expression, prune_xpaths).
    prune_xpath: tuple[str, ...] = (COMMENT_SECTION_XPATH, THREAD_XPATH, ENGINE_WIDGETS_XPATH)


def extract_config(settings: BaseSettings) -> ExtractConfig:
    """ExtractConfig from the EXTRACT_* settings (defaults live on the dataclass)."""
    return from_settings(ExtractConfig, settings)


def prune_xpaths(own: tuple[str, ...], source: tuple[str, ...] = ()) -> list[str]:
    """What trafilatura prunes: the project's expressions as one (trafilatura compiles and
    runs each expression it is given on its own), then a source's own prune_xpath."""
    return [" | ".join(own), *source] if own else list(source)


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


# py3langid's cost grows with the text; 1,000 characters decide as well as a whole
# article at a fraction of it (the same answers as 2,000 on the 882 real pages with a
# text, on the fixtures and on the syndication corpus).
LANGUAGE_SAMPLE_CHARS = 1000


def detect_language(text: str, tree: HtmlElement) -> str | None:
    """Language of the text; the declared <html lang> only when there is too little text."""
    if len(text) >= 200:
        return str(py3langid.classify(text[:LANGUAGE_SAMPLE_CHARS])[0])
    declared = tree.xpath("/html/@lang")
    return declared[0].split("-")[0].lower() if declared else None


def extract_article(
    tree: HtmlElement,
    url: str,
    rules: ExtractRules,
    config: ExtractConfig,
    fetched_at: datetime,
    markup: str | None = None,
) -> Extraction:
    """Extract one article from a parsed page, or raise NotAnArticle / EmptyBody.
    ``markup``: the decoded HTML the tree was parsed from, where the page has it."""
    document = _main_text(tree, url, config, prune_xpaths(config.prune_xpath, rules.prune_xpath))
    thread_pruned = THREAD_XPATH in config.prune_xpath
    if not rules.body_xpath and _starved(document, config) and thread_pruned and tree.xpath(THREAD_XPATH):
        # Without the thread the comment fallback read, trafilatura can settle on a
        # container of a few lines (a recipe's title box instead of the recipe that sat
        # beside its comments): then the page is read with the thread, and the thread's
        # lines leave the text.
        unthreaded = tuple(xpath for xpath in config.prune_xpath if xpath != THREAD_XPATH)
        whole = _main_text(tree, url, config, prune_xpaths(unthreaded, rules.prune_xpath))
        if _chars(whole) > 2 * _chars(document):
            assert whole is not None
            whole.text = _without_thread_lines(whole.text or "", tree)
            document = whole
    text = _body_from_xpath(tree, rules.body_xpath) if rules.body_xpath else (document.text if document else "") or ""
    # NFC, as trafilatura.extract() returns its text: one spelling of each character for
    # search and dedup, whatever form the page's bytes used.
    text = unicodedata.normalize("NFC", text)
    metadata = PageMetadata(tree, url, markup)

    def bylined() -> bool:
        # trafilatura's author and date guesses are its costliest metadata: read only
        # when the page's kind or length is still open.
        return bool(metadata.author and metadata.date)

    documents = json_ld_documents(tree)
    declared = declared_types(tree, documents)
    if reason := not_article_reason(tree, url, text, declared, bylined=bylined):
        raise NotAnArticle(reason)
    # A page that says it is an article (schema.org/og:type, or a byline with a date) is
    # one however short; a page saying nothing needs enough text to be taken for one.
    if len(text) < config.min_text_chars:
        floor = config.min_article_chars if declared & ARTICLE_TYPES or bylined() else config.min_text_chars
        if len(text) < floor:
            raise EmptyBody(f"main text has {len(text)} characters, fewer than {floor}")
    nodes = json_ld_nodes(tree, documents)
    site = site_names(tree, url, nodes, (metadata.sitename,))
    layout = PageLayout(tree)
    title = page_title(tree, url, nodes, site, layout)
    layout.spare_headline(tree, title.element)
    if title.text is None and metadata.title:
        title = Title(metadata.title, "trafilatura")
    credit = article_authors(tree, nodes, site, lambda: _guessed_authors(metadata), layout)
    extraction = Extraction(
        text=text,
        canonical_url=declared_url(declarations(tree).link_href("canonical")),
        og_url=declared_url(declarations(tree).meta_content(properties=("og:url",))),
        title=title.text,
        title_source=title.source,
        html_title=html_title(tree),
        authors=credit.names,
        authors_source=credit.source,
        language=detect_language(text, tree),
        sitename=metadata.sitename,
        description=metadata.description,
        categories=list(metadata.categories),
        tags=list(metadata.tags),
    )
    extraction.published_at, extraction.published_source = published_time(
        tree, url, metadata, rules.timezone, nodes, layout, title.element, fetched_at
    )
    _apply_overrides(extraction, tree, rules, fetched_at)
    return extraction


def _main_text(tree: HtmlElement, url: str, config: ExtractConfig, prune: list[str]) -> Document | None:
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        # The metadata is PageMetadata's, read from the same tree as trafilatura would.
        with_metadata=False,
        include_comments=False,
        include_tables=True,
        favor_precision=config.favor_precision,
        prune_xpath=prune or None,
    )
    # A Document, or None: a dict comes back only with as_dict=True (trafilatura's
    # annotation does not tell them apart).
    assert not isinstance(document, dict)
    return document


def _guessed_authors(metadata: PageMetadata) -> list[str]:
    return [name.strip() for name in (metadata.author or "").split(";") if name.strip()]


def _chars(document: Document | None) -> int:
    """Characters of the main text, spaces not counted (a template's blank lines are many)."""
    return sum(map(len, (document.text or "").split())) if document else 0


def _without_thread_lines(text: str, tree: HtmlElement) -> str:
    """The text without the lines that are a piece of the marked thread's text (its
    authors, dates and sign-offs too, however short)."""
    thread = {squash(piece) for node in tree.xpath(THREAD_XPATH) for piece in node.itertext()} - {""}
    return "\n".join(line for line in text.split("\n") if squash(line) not in thread)


def _starved(document: Document | None, config: ExtractConfig) -> bool:
    return _chars(document) < config.min_text_chars


def _apply_overrides(extraction: Extraction, tree: HtmlElement, rules: ExtractRules, fetched_at: datetime) -> None:
    if rules.title_xpath and (titles := _xpath_texts(tree, rules.title_xpath)):
        extraction.title, extraction.title_source = titles[0], "title_xpath"
    if rules.author_xpath and (authors := _xpath_texts(tree, rules.author_xpath)):
        extraction.authors, extraction.authors_source = list(dict.fromkeys(authors)), "author_xpath"
    if rules.date_xpath and (dates := _xpath_texts(tree, rules.date_xpath)):
        lang = [extraction.language] if extraction.language else None
        if parsed := parse_page_date(dates[0], timezone=rules.timezone, now=fetched_at, languages=lang):
            extraction.published_at, extraction.published_source = parsed, "date_xpath"


def declared_url(values: Iterable[str]) -> str | None:
    """The first absolute URL of those a page declares (relative ones say nothing reliable)."""
    for raw in values:
        candidate = raw.strip()
        if candidate.startswith(("http://", "https://")):
            return candidate
    return None
