"""Storing one extracted article: its row, comments, dedup links and frontier row together.

No Scrapy here: StorePipeline runs it on its DB thread and bench/db_write_rate.py times
it alone.
"""

from __future__ import annotations

import html
import re
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from time import perf_counter
from urllib.parse import urljoin, urlsplit

from sqlalchemy.orm import Session

from pipelines.boilerplate import (
    BoilerplateConfig,
    count_and_clean,
    paragraph_keys,
    remove_source_boilerplate,
    without_paragraphs,
)
from pipelines.dedup import DedupConfig, LinkReport, Signature, StoryLinker
from pipelines.dedup.signature import make_signature
from pipelines.items import ArticleItem
from pipelines.source_titles import affix_keys, count_and_retitle, remove_source_affixes
from pipelines.store_steps import BOILERPLATE, COMMENTS, FRONTIER, LINK, SIGN, WRITE, StepTimes
from storage.boilerplate import learned_paragraphs, paragraph_lock_keys
from storage.frontier import ARTICLE, Outcome, record_outcome
from storage.key_locks import identity_keys, index_keys
from storage.models import Article
from storage.queries import (
    ArticleChange,
    CommentMerge,
    get_or_create_source,
    merge_comments,
    upsert_article,
)
from storage.records import ArticleFields, content_hash
from storage.urls import article_identity, comment_page_number, comment_thread_base, url_key
from storage.versions import CRAWL, DEFAULT_HISTORY, IMPORT, REPROCESS, HistoryConfig

SAVED_PAGES_SOURCE = "saved-pages"


def article_fields(item: ArticleItem) -> ArticleFields:
    """Map an extracted item onto the stored record."""
    extraction = item.extraction
    assert extraction is not None, "StorePipeline must run after ExtractPipeline"
    identity = article_identity(item.url, extraction.canonical_url, extraction.og_url, item.source_home)
    return ArticleFields(
        url=item.url,
        canonical_url=identity.canonical_url,
        declared_url_key=url_key(identity.declared_elsewhere) if identity.declared_elsewhere else None,
        text=extraction.text,
        title=extraction.title,
        title_source=extraction.title_source,
        authors=extraction.authors,
        authors_source=extraction.authors_source,
        published_at=extraction.published_at,
        published_source=extraction.published_source,
        fetched_at=item.fetched_at,
        language=extraction.language,
        sitename=extraction.sitename,
        description=extraction.description,
        categories=extraction.categories,
        tags=extraction.tags,
        http_etag=item.etag,
        http_last_modified=item.last_modified,
        warc=item.warc,
    )


@dataclass(frozen=True, slots=True)
class WritePlan:
    """An article's write as it is expected to go, worked out before its transaction (of
    which it is the one write): the locks to wait for (storage/key_locks.py), its
    paragraphs, and the text the source's known boilerplate leaves, signed."""

    keys: set[int]
    paragraphs: dict[int, str]
    text: str
    signature: Signature | None
    url_key: str
    # The source whose boilerplate it left out, the keys of the paragraphs and title
    # affixes it counts there, and how much of that boilerplate this session knew then.
    source: str | None = None
    counted: set[int] = field(default_factory=set)
    learned: int = 0

    def is_current(self, session: Session) -> bool:
        """Whether the source's boilerplate this session knows is still what it was planned with
        (what it knows only grows: a paragraph that is boilerplate stays so)."""
        return self.source is None or len(learned_paragraphs(session, self.source)) == self.learned


def plan_write(
    session: Session,
    item: ArticleItem,
    boilerplate: BoilerplateConfig | None,
    dedup: DedupConfig | None,
    steps: StepTimes,
) -> WritePlan:
    """The locks of the article's URL identities, of its text and bands once the source's
    boilerplate is gone, and of the source's counts it will add to.

    What the source has learned is what this session saw of it (``learned_paragraphs``:
    a paragraph that is boilerplate stays so), without a read. Articles of one site thus
    do not wait for each other on the boilerplate they all carry. Where the source learned
    more meanwhile, the write finds it, signs its text again and takes the locks that
    text needs (``hold``).
    """
    fields = article_fields(item)
    text, signature = fields.text, item.signature if isinstance(item.signature, Signature) else None
    keys: set[int] = set()
    paragraphs: dict[int, str] = {}
    source, counted, known = None, set[int](), 0
    t = perf_counter()
    if boilerplate is not None and boilerplate.enabled:
        source = source_name(item, fields)
        paragraphs = paragraph_keys(text, boilerplate)
        learned = learned_paragraphs(session, source)
        known = len(learned)
        counted = paragraphs.keys() | affix_keys(item.extraction.html_title if item.extraction else None)
        keys |= paragraph_lock_keys(source, counted - learned)
        text = without_paragraphs(text, learned & paragraphs.keys(), boilerplate)
        t = steps.lap(BOILERPLATE, t, 0)
    if signature is not None and dedup is not None and text != fields.text:
        signature = make_signature(text, dedup)
        steps.lap(SIGN, t)
    keys |= identity_keys(fields.url_key, fields.declared_url_key, content_hash(text))
    if signature is not None:
        keys |= index_keys(signature.band_keys, ())
    return WritePlan(keys, paragraphs, text, signature, fields.url_key, source, counted, known)


def source_name(item: ArticleItem, fields: ArticleFields) -> str:
    """The configured source, else (saved pages) the host the page says it came from."""
    return item.source or urlsplit(fields.canonical_url).hostname or SAVED_PAGES_SOURCE


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """What a write stored. Outside the store thread read only its plain fields:
    ``article`` is the store session's, whose next rollback (another article's write set
    aside) expires it, and reading an expired attribute would use the session from that
    thread."""

    article: Article
    canonical_url: str
    source: str
    change: ArticleChange
    comments: CommentMerge
    links: LinkReport | None  # None: not linked (dedup off, or no signature)
    recleaned: int = 0  # articles whose text lost a paragraph that just became boilerplate
    changed: tuple[str, ...] = ()  # the stored fields that took a new value
    retitled: int = 0  # titles that lost an affix that just became the source's (pipelines/source_titles.py)

    @property
    def summary(self) -> str:
        """What changed, in a few words: "updated: text, title; 2 new comments"."""
        words = self.change.value + (f": {', '.join(self.changed)}" if self.changed else "")
        if self.comments.added or self.comments.edited:
            words += f"; {self.comments.added} new, {self.comments.edited} edited comments"
        if self.comments.removed:
            words += f"; {self.comments.removed} comments removed by the site"
        if self.links is not None and self.links.is_copy:
            words += "; a copy in a story"
        return words


def store_article(
    session: Session,
    item: ArticleItem,
    linker: StoryLinker | None,
    boilerplate: BoilerplateConfig | None = None,
    history: HistoryConfig = DEFAULT_HISTORY,
    steps: StepTimes | None = None,
    plan: WritePlan | None = None,
) -> StoredArticle:
    """Write the article in one savepoint: it, its comments, its story links and its
    frontier row land together or not at all. Flushes, never commits.

    With ``boilerplate``, what the article's source repeats on its pages is removed
    first (pipelines/boilerplate.py); articles cleaned again because of this one are
    signed and linked again. ``history`` says how the state it replaces is kept, and
    where this one came from (a crawl's files are an import: `newsdedup import DIR`).
    Each step's time and count are added to ``steps`` (pipelines/store_steps.py). With
    ``plan`` (``plan_write``) the article is its transaction's one write, which is
    rolled back whole if it fails: no savepoint; and a text cleaned as planned is not
    signed again.
    """
    if history.origin == CRAWL and item.url.startswith("file:"):
        history = replace(history, origin=IMPORT)
    steps = steps if steps is not None else StepTimes()
    fields = article_fields(item)
    source = source_name(item, fields)
    raw_text, links, recleaned, retitled = fields.text, None, [], 0
    signature = item.signature if isinstance(item.signature, Signature) else None
    html_title = item.extraction.html_title if item.extraction is not None else None
    t = perf_counter()
    with session.begin_nested() if plan is None else nullcontext():
        t = steps.lap(WRITE, t, 0)  # the savepoint's round trips are the write's
        if boilerplate is not None and boilerplate.enabled:
            source_id = get_or_create_source(session, source, item.source_home).id
            paragraphs = plan.paragraphs if plan is not None else None
            fields.text, counts, keys = remove_source_boilerplate(session, source_id, raw_text, boilerplate, paragraphs)
            fields.title, fields.title_source, affixes, affix_keys = remove_source_affixes(
                session, source_id, fields.title, fields.title_source, html_title, boilerplate
            )
            t = steps.lap(BOILERPLATE, t, 0)
        changed: list[str] = []
        article, change = upsert_article(
            session, source, fields, home_url=item.source_home, changed=changed, history=history
        )
        is_new = change is ArticleChange.NEW
        t = steps.lap(WRITE, t)
        if boilerplate is not None and boilerplate.enabled:
            recleaned = count_and_clean(session, article, raw_text, counts, keys, boilerplate)
            retitled = count_and_retitle(session, article, affixes, affix_keys)
            t = steps.lap(BOILERPLATE, t)
        # A new extraction of an old response cannot tell that the site removed a comment.
        complete = history.origin != REPROCESS and whole_thread(item)
        merged = merge_comments(
            session, article, item.comments, article_is_new=is_new, complete=complete, seen_at=item.fetched_at
        )
        t = steps.lap(COMMENTS, t)
        if linker is not None and signature is not None:
            resigned = article.text != raw_text  # the worker signed the text before the source's boilerplate went
            if resigned and plan is not None and plan.signature is not None and plan.text == article.text:
                signature, resigned = plan.signature, False  # signed (and counted) by plan_write
            elif resigned:
                signature = make_signature(article.text, linker.config)
            others = [(o, make_signature(o.text, linker.config)) for o in recleaned if o is not article]
            t = steps.lap(SIGN, t, resigned + len(others))
            links = linker.link(session, article, signature, new=is_new)
            for other, other_signature in others:
                linker.link(session, other, other_signature)
            t = steps.lap(LINK, t, 1 + len(others))
        if item.source is not None:  # saved pages belong to no source's frontier
            record_fetch(session, item, article)
            t = steps.lap(FRONTIER, t)
    steps.lap(WRITE, t, 0)
    return StoredArticle(
        article,
        article.canonical_url,
        article.source.name,
        change,
        merged,
        links,
        len(recleaned),
        tuple(changed),
        retitled,
    )


# Bytes every comment-page link contains (storage.urls.comment_page_number reads them),
# and the links themselves, wherever they are on the page.
_PAGE_MARKERS = (b"comment-page-", b"cpage=")
_PAGE_LINK = re.compile(rb"""href\s*=\s*["']([^"']*(?:comment-page-|cpage=)[^"']*)["']""", re.IGNORECASE)


def whole_thread(item: ArticleItem) -> bool:
    """Whether the item's comments are its whole thread: every comment page its pages link
    to was fetched with it. A page that failed, or a reprocessed or imported page whose
    thread went on over other pages, is a part of a thread, and a part cannot tell
    that a comment is gone (storage.queries.merge_comments)."""
    fetched = {item.comment_page} | {page.comment_page for page in item.comment_pages}
    base = comment_thread_base(item.url)
    for url, body in [(item.url, item.body), *((page.url, page.body) for page in item.comment_pages)]:
        if not any(marker in body for marker in _PAGE_MARKERS):
            continue  # most pages: no scan
        for href in _PAGE_LINK.findall(body):
            link = urljoin(url, html.unescape(href.decode("utf-8", "replace")))
            number = comment_page_number(link)
            if number is not None and number not in fetched and comment_thread_base(link) == base:
                return False
    return True


def record_fetch(session: Session, item: ArticleItem, article: Article) -> None:
    """The fetching source's frontier learns the page: its URL and the URLs that redirected
    to it, even when the article's row belongs to another source (a mirror, a copy under
    another site's canonical). Seen means seen: the next run skips or revalidates them all.
    """
    assert item.source is not None, "saved pages belong to no source's frontier"
    source = get_or_create_source(session, item.source, item.source_home)
    for url in dict.fromkeys([item.url, *item.redirected_from]):
        outcome = Outcome(
            source.name,
            url,
            ARTICLE,
            200,
            item.etag,
            item.last_modified,
            article.id,
            article.published_at,
            item.fetched_at,
        )
        record_outcome(session, outcome, source)
