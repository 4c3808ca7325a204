"""Typed SQLAlchemy 2.0 models: sources, articles and their reader comments."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UTCDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


def managed_by_migrations_only(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic's include_object: False for the search objects only migrations manage
    (SQLite's FTS5 table and its shadow tables, PostgreSQL's tsvector column and index)."""
    return not (name or "").startswith(("articles_fts", "ix_articles_search", "search_vector"))


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, dict: JSON, list[str]: JSON}


def core_table(model: type[Base]) -> Table:
    """A model's Core table, for prebuilt bulk statements (``__table__`` is typed as any
    FromClause; every model here is declared with ``__tablename__``, so it is a Table)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class Source(Base):
    """A configured site (or, for saved pages, the host they came from)."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    home_url: Mapped[str | None] = mapped_column(String(2048))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    articles: Mapped[list[Article]] = relationship(back_populates="source")

    def __repr__(self) -> str:
        return f"<Source id={self.id} name={self.name!r}>"


class Article(Base):
    """One article page, identified by its canonical URL (``url_key``)."""

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_source_published", "source_id", "published_at"),
        Index("ix_articles_content_hash", "content_hash"),
        Index("ix_articles_canonical_url", "canonical_url"),
        Index("ix_articles_story_id", "story_id"),
        # Listings are newest first; periods (`--since`) are ranges on it.
        Index("ix_articles_published_at", "published_at"),
        UniqueConstraint("url_key", name="uq_articles_url_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    # The URL the page was fetched from (after redirects).
    url: Mapped[str] = mapped_column(String(2048))
    canonical_url: Mapped[str] = mapped_column(String(2048))
    # The identity: canonical_url without scheme, www./m./amp. host, tracking parameters,
    # index page or AMP path (storage.urls.url_key), so every variant is this one row.
    url_key: Mapped[str] = mapped_column(String(2048))
    # Another site's URL this page declares as its canonical (a syndicated copy).
    declared_url_key: Mapped[str | None] = mapped_column(String(2048), index=True)
    # The story's canonical member (itself when the article is the original or unique),
    # and this article's estimated Jaccard similarity to it.
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL", name="fk_articles_story_id")
    )
    story_similarity: Mapped[float | None] = mapped_column(Float)
    title: Mapped[str | None] = mapped_column(Text)
    # What the title and the authors were read from ("h1", "og:title", "hcard", "byline", …;
    # pipelines/titles.py, pipelines/authors.py), as published_source for the time.
    title_source: Mapped[str | None] = mapped_column(String(80))
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    authors_source: Mapped[str | None] = mapped_column(String(80))
    published_at: Mapped[datetime | None]
    # What published_at was read from (pipelines.published): "article:published_time",
    # "json-ld", "url" (a date only), … so a time to the minute is told from a bare date.
    published_source: Mapped[str | None] = mapped_column(String(80))
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    language: Mapped[str | None] = mapped_column(String(16))
    sitename: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(Text)
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    # sha256 of the whitespace- and case-normalised text: equal text under another URL.
    content_hash: Mapped[str] = mapped_column(String(64))
    # How many times the stored text changed since first seen, and the text it replaced.
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_content_hash: Mapped[str | None] = mapped_column(String(64))
    http_etag: Mapped[str | None] = mapped_column(String(512))
    http_last_modified: Mapped[str | None] = mapped_column(String(64))
    # Where the fetched response is archived (WARC_DIR, or the imported WARC file): the
    # file and the byte offset of its record, so `newsdedup reprocess` needs no fetch.
    warc_file: Mapped[str | None] = mapped_column(String(1024))
    warc_offset: Mapped[int | None] = mapped_column(BigInteger)

    source: Mapped[Source] = relationship(back_populates="articles")
    comments: Mapped[list[Comment]] = relationship(
        back_populates="article", order_by="Comment.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Article id={self.id} url={self.canonical_url!r}>"


class Comment(Base):
    """A reader comment, kept apart from the article body."""

    __tablename__ = "comments"
    __table_args__ = (UniqueConstraint("article_id", "comment_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    # Stable identity across re-crawls: the site's own id when the markup has one,
    # else a hash of author, time and text (see storage.records.comment_key).
    comment_key: Mapped[str] = mapped_column(String(200))
    site_id: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    author: Mapped[str | None] = mapped_column(Text)
    author_url: Mapped[str | None] = mapped_column(String(2048))
    posted_at: Mapped[datetime | None]
    text: Mapped[str] = mapped_column(Text)
    # Which markup parser found it ("wordpress", "minx", …, or "fallback").
    markup: Mapped[str] = mapped_column(String(40))
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When a complete re-read of the thread no longer had it (the site removed it); None
    # while it is shown. Cleared if it comes back (storage.queries.merge_comments).
    removed_at: Mapped[datetime | None]

    article: Mapped[Article] = relationship(back_populates="comments")

    def __repr__(self) -> str:
        return f"<Comment id={self.id} article_id={self.article_id} position={self.position}>"


class ArticleVersion(Base):
    """An earlier state of an article: what a re-crawl, re-import or reprocess replaced.

    Only the fields in ``changed`` ("text", "title", "authors", "published_at") hold the
    earlier value; the others were as in the next version. The text is a reverse delta
    against the next version's (storage/textdelta.py). storage/versions.py writes them.
    """

    __tablename__ = "article_versions"
    __table_args__ = (UniqueConstraint("article_id", "version", name="uq_article_versions_article_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    # The article's ``version`` while it held this state (1: as first stored).
    version: Mapped[int] = mapped_column(Integer)
    # The last fetch that still showed this state, and the fetch that replaced it: the
    # change happened between the two.
    fetched_at: Mapped[datetime]
    replaced_at: Mapped[datetime]
    # Where the replacing state came from: "crawl", "import" or "reprocess" (a new
    # extraction of the same response: no edit by the publisher).
    origin: Mapped[str] = mapped_column(String(16))
    changed: Mapped[str] = mapped_column(String(80))
    title: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[str] | None] = mapped_column(JSON)
    published_at: Mapped[datetime | None]
    text_delta: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The story it was part of then (an edit can make a copy no copy, or a copy).
    story_id: Mapped[int | None]

    def __repr__(self) -> str:
        return f"<ArticleVersion article_id={self.article_id} version={self.version} changed={self.changed!r}>"


class ArticleSignature(Base):
    """An article's MinHash, with everything needed to compare it to another honestly."""

    __tablename__ = "article_signatures"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    # datasketch LeanMinHash bytes; the scheme, seed and num_perm are inside them too.
    minhash: Mapped[bytes] = mapped_column(LargeBinary)
    # Normalisation, shingling, hashing, num_perm, seed, scheme and LSH bands, as one
    # string (pipelines.dedup.DedupConfig.params): signatures built otherwise don't mix.
    params: Mapped[str] = mapped_column(String(200))
    shingle_count: Mapped[int] = mapped_column(Integer)
    # The article's band keys and passage fingerprints (packed int64), so its index rows
    # can be found again when its text changes, without an index on article_id.
    bands: Mapped[bytes] = mapped_column(LargeBinary)
    passages: Mapped[bytes] = mapped_column(LargeBinary)


class DedupBand(Base):
    """The persistent LSH index: one row per (band hash, article).

    Articles whose MinHash agree on all rows of some band share a key; an indexed
    lookup of an article's keys finds its near-duplicate candidates without holding
    the index in memory.
    """

    __tablename__ = "dedup_bands"
    __table_args__ = (PrimaryKeyConstraint("key", "article_id"), {"sqlite_with_rowid": False})

    key: Mapped[int] = mapped_column(BigInteger, autoincrement=False)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))


class DedupPassage(Base):
    """Passage fingerprints (winnowed shingle hashes): finds the posts that quote an article."""

    __tablename__ = "dedup_passages"
    __table_args__ = (PrimaryKeyConstraint("key", "article_id"), {"sqlite_with_rowid": False})

    key: Mapped[int] = mapped_column(BigInteger, autoincrement=False)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))


class ArticleLink(Base):
    """Why two articles are related: ``article_id`` copies or quotes ``target_id``.

    kind: "copy" (same story) or "quote"; method: how it was found ("url", "text_hash",
    "minhash", "passage"); score: Jaccard similarity for copies, the fraction of the
    target quoted for quotes.
    """

    __tablename__ = "article_links"
    __table_args__ = (UniqueConstraint("article_id", "target_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float)
    # The measured figures behind the decision (jaccard, containment, shared shingles).
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<ArticleLink {self.article_id} {self.kind} {self.target_id} via {self.method}>"


class StorySplit(Base):
    """A user's decision that two articles are not one story (`newsdedup split`).

    Keyed by URL identity, not row id, so it holds when the articles are re-imported.
    """

    __tablename__ = "story_splits"
    __table_args__ = (UniqueConstraint("url_key", "other_url_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    url_key: Mapped[str] = mapped_column(String(2048))
    other_url_key: Mapped[str] = mapped_column(String(2048))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SeenUrl(Base):
    """The crawl frontier: every URL a source's crawls fetched and what came of it, which decides
    what the next run fetches again (`newsdedup known` shows it, `newsdedup forget` clears it)."""

    __tablename__ = "seen_urls"
    __table_args__ = (UniqueConstraint("source_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2048))
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    # "article", "not_modified", "skipped:<Reason>", "error:<Kind>"
    outcome: Mapped[str] = mapped_column(String(80))
    http_status: Mapped[int | None] = mapped_column(Integer)
    http_etag: Mapped[str | None] = mapped_column(String(512))
    http_last_modified: Mapped[str | None] = mapped_column(String(64))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    # Copied from the article: the refresh window is measured from publication.
    published_at: Mapped[datetime | None]
    # Failed fetches in a row: the next runs wait longer and longer before trying again.
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    def __repr__(self) -> str:
        return f"<SeenUrl id={self.id} url={self.url!r} outcome={self.outcome!r}>"


class CrawlRun(Base):
    """One `scrapy crawl news` / `newsdedup import` run and what it did, per source."""

    __tablename__ = "crawl_runs"
    __table_args__ = (UniqueConstraint("fleet_run", name="uq_crawl_runs_fleet_run"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    spider: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # running, finished, failed (finish_reason), or interrupted (found running by a later run)
    status: Mapped[str] = mapped_column(String(40), default="running")
    # {source: {pages_fetched, new_articles, updated_articles, new_comments, duplicates, errors: {kind: n}}}
    per_source: Mapped[dict] = mapped_column(JSON, default=dict)
    host: Mapped[str | None] = mapped_column(String(200))
    pid: Mapped[int | None] = mapped_column(Integer)
    # A fleet's run (FLEET_RUN): one row, its workers in ``workers`` (docs/distributed.md).
    fleet_run: Mapped[str | None] = mapped_column(String(200))
    workers: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")

    def __repr__(self) -> str:
        return f"<CrawlRun id={self.id} status={self.status!r}>"


class SourceParagraph(Base):
    """How many of a source's articles print a paragraph (pipelines/boilerplate.py).

    ``key`` is a hash of the paragraph's folded words. Once ``articles`` reaches the
    BOILERPLATE_MIN_ARTICLES setting the paragraph is that source's boilerplate; until
    then ``seen_on`` lists the articles holding it, so a re-import counts nothing twice
    and the first ones are cleaned too when it crosses the line.
    """

    __tablename__ = "source_paragraphs"
    __table_args__ = (PrimaryKeyConstraint("source_id", "key"), {"sqlite_with_rowid": False})

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    key: Mapped[int] = mapped_column(BigInteger, autoincrement=False)
    articles: Mapped[int] = mapped_column(Integer, default=1)
    seen_on: Mapped[list[int]] = mapped_column(JSON, default=list)


class EntryPoint(Base):
    """A source's feed, sitemap or section page: when its next poll is due, learned from how
    often it brings new article links, and what its last poll gave (`newsdedup health`,
    `known`, `sources`). storage/polling.py writes them; crawler/polling.py decides."""

    __tablename__ = "entry_points"
    __table_args__ = (UniqueConstraint("source_id", "url", name="uq_entry_points_source_url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2048))
    # "feed", "sitemap" or "section"
    kind: Mapped[str] = mapped_column(String(16))
    first_polled_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_polled_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_due_at: Mapped[datetime] = mapped_column(default=utcnow)
    interval_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    # The last poll that brought a link the frontier did not know.
    last_new_at: Mapped[datetime | None]
    # "ok", "not_modified", "empty", "html", "unusable", "loop", "trap", "max_pages",
    # "http_<status>", "error:<Kind>"; ``detail`` says it in words.
    outcome: Mapped[str] = mapped_column(String(80), default="ok")
    detail: Mapped[str | None] = mapped_column(Text)
    http_status: Mapped[int | None] = mapped_column(Integer)
    links: Mapped[int] = mapped_column(Integer, default=0)
    new_links: Mapped[int] = mapped_column(Integer, default=0)
    # The most links one poll listed: an empty feed that used to list some is failing.
    max_links: Mapped[int] = mapped_column(Integer, default=0)
    # Failed polls in a row.
    failures: Mapped[int] = mapped_column(Integer, default=0)
    http_etag: Mapped[str | None] = mapped_column(String(512))
    http_last_modified: Mapped[str | None] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<EntryPoint id={self.id} url={self.url!r} outcome={self.outcome!r}>"
