"""Filters shared by every listing, and ranked full-text search on both backends.

SQLite searches the FTS5 table ``articles_fts`` (bm25, title weighted); PostgreSQL the
GIN-indexed tsvector of the same text (ts_rank_cd). User input never becomes SQL: it is
a bound parameter, and for FTS5 it is first rewritten into quoted terms, so a search for
``"; DROP TABLE articles; --`` is a search for those words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, Select, String, cast, column, exists, func, literal_column, select, table, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnClause
from sqlalchemy.sql.functions import Function

from storage.models import Article, Comment, Source
from storage.types import iso

HIGHLIGHT = ("«", "»")
# Created by migration 0004 on SQLite only, so not a model.
ARTICLES_FTS = table("articles_fts", column("rowid"))
_TERM = re.compile(r'"([^"]*)"|(\S+)')


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """What `articles`, `search` and `export` can narrow a listing to."""

    source: str | None = None
    author: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    language: str | None = None
    has_comments: bool | None = None
    # False: one row per story (its canonical member, or for a search its best match).
    all_copies: bool = False

    def apply(self, stmt: Select) -> Select:
        """Add the filters to a select over Article joined with Source."""
        if self.source is not None:
            stmt = stmt.where(Source.name == self.source)
        if self.author is not None:
            # authors is a JSON list: matched as text, case-insensitively, on both backends.
            stmt = stmt.where(func.lower(cast(Article.authors, String)).contains(self.author.lower(), autoescape=True))
        if self.since is not None:
            stmt = stmt.where(Article.published_at >= as_utc(self.since))
        if self.until is not None:
            stmt = stmt.where(Article.published_at < as_utc(self.until))
        if self.language is not None:
            stmt = stmt.where(Article.language == self.language)
        if self.has_comments is not None:
            has = exists().where(Comment.article_id == Article.id)
            stmt = stmt.where(has if self.has_comments else ~has)
        return stmt


# Every article: the default of the listings (a frozen dataclass, safe to share).
NO_FILTER = ArticleFilter()


def as_utc(moment: datetime) -> datetime:
    """A date given without a zone (``--since 2024-05-01``) is taken as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def fts5_query(user_query: str) -> str:
    """A user's search as an FTS5 query: words and "quoted phrases", all required; OR kept.

    Every term is quoted, so FTS5 operators and punctuation in the input are plain text.
    """
    terms: list[str] = []
    for phrase, word in _TERM.findall(user_query):
        if word == "OR" and terms and terms[-1] != "OR":
            terms.append("OR")
            continue
        words = " ".join(re.findall(r"\w+", phrase or word))
        if words:
            terms.append(f'"{words}"')
    while terms and terms[-1] == "OR":
        terms.pop()
    return " ".join(terms)


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: int
    source: str
    title: str | None
    published_at: str | None
    canonical_url: str
    story_id: int | None
    rank: float
    snippet: str


# SQLite: ranked hits are read in growing batches (best first) until enough survive the
# filters and the one-row-per-story rule; FTS5 then ranks a common word's top few hundred
# rows, not every match. Past this many, the filters run in SQL over all matches.
FIRST_BATCH, MAX_BATCH = 200, 16_000


def search_articles(
    session: Session, query: str, filters: ArticleFilter = NO_FILTER, *, limit: int = 20
) -> list[SearchHit]:
    """Articles matching ``query`` on title and text, best first, with a highlighted snippet.

    Raises ValueError when the query has no searchable word.
    """
    sqlite = session.get_bind().dialect.name == "sqlite"
    match = fts5_query(query) if sqlite else query
    if not re.search(r"\w", match):
        raise ValueError(f"{query!r}: nothing to search for (no words)")
    hits = (_sqlite_hits if sqlite else _postgres_hits)(match)
    if not sqlite:
        # PostgreSQL ranks every match before it can return the best few (bitmap heap
        # scan, then sort): one pass with the filters in SQL is its cheapest plan.
        return _hits(session, match, _best_per_story_in_sql(session, hits, filters, limit), sqlite)
    batch = max(FIRST_BATCH, limit * 4)
    while True:
        ranked = session.execute(hits.order_by(literal_column("rank"), literal_column("hit_id")).limit(batch)).all()
        chosen = _best_per_story(session, ranked, filters, limit)
        if len(chosen) >= limit or len(ranked) < batch:
            break
        if batch >= MAX_BATCH:
            chosen = _best_per_story_in_sql(session, hits, filters, limit)
            break
        batch *= 4
    return _hits(session, match, chosen, sqlite)


def _best_per_story(
    session: Session, ranked: Sequence[Row[int, float]], filters: ArticleFilter, limit: int
) -> list[tuple[int, float]]:
    """The first ``limit`` ranked hits that pass the filters, one per story unless all copies."""
    ids = [hit_id for hit_id, _ in ranked]
    allowed = dict(
        session.execute(
            filters.apply(
                select(Article.id, func.coalesce(Article.story_id, Article.id))
                .join(Source, Source.id == Article.source_id)
                .where(Article.id.in_(ids))
            )
        ).all()
    )
    chosen: list[tuple[int, float]] = []
    stories: set[int] = set()
    for hit_id, rank in ranked:
        story = allowed.get(hit_id)
        if story is None or (not filters.all_copies and story in stories):
            continue
        stories.add(story)
        chosen.append((hit_id, rank))
        if len(chosen) == limit:
            break
    return chosen


def _best_per_story_in_sql(
    session: Session, hits: Select, filters: ArticleFilter, limit: int
) -> list[tuple[int, float]]:
    """The same choice over every match at once (very selective filters on a common word)."""
    all_hits = hits.subquery("hits")
    ranked = filters.apply(
        select(
            all_hits.c.hit_id,
            all_hits.c.rank,
            func.row_number()
            .over(partition_by=func.coalesce(Article.story_id, Article.id), order_by=(all_hits.c.rank, Article.id))
            .label("nth_in_story"),
        )
        .join(Article, Article.id == all_hits.c.hit_id)
        .join(Source, Source.id == Article.source_id)
    ).subquery("ranked")
    stmt = select(ranked.c.hit_id, ranked.c.rank).order_by(ranked.c.rank, ranked.c.hit_id).limit(limit)
    if not filters.all_copies:
        stmt = stmt.where(ranked.c.nth_in_story == 1)
    return [(hit_id, rank) for hit_id, rank in session.execute(stmt)]


def _hits(session: Session, match: str, chosen: list[tuple[int, float]], sqlite: bool) -> list[SearchHit]:
    ids = [hit_id for hit_id, _ in chosen]
    rows = {
        article.id: (article, source)
        for article, source in session.execute(
            select(Article, Source.name).join(Source, Source.id == Article.source_id).where(Article.id.in_(ids))
        )
    }
    snippets = (_sqlite_snippets if sqlite else _postgres_snippets)(session, match, ids)
    result = []
    for hit_id, rank in chosen:
        article, source = rows[hit_id]
        result.append(
            SearchHit(
                id=article.id,
                source=source,
                title=article.title,
                published_at=iso(article.published_at),
                canonical_url=article.canonical_url,
                story_id=article.story_id,
                rank=round(abs(float(rank)), 4),
                snippet=" ".join(snippets.get(article.id, "").split()),
            )
        )
    return result


_MATCH = text("articles_fts MATCH :match")


def _sqlite_hits(match: str) -> Select:
    # bm25 is negative, smaller is better; the title counts ten times the text.
    rank: ColumnClause[float] = literal_column("bm25(articles_fts, 10.0, 1.0)")
    return (
        select(ARTICLES_FTS.c.rowid.label("hit_id"), rank.label("rank"))
        .select_from(ARTICLES_FTS)
        .where(_MATCH.bindparams(match=match))
    )


def _sqlite_snippets(session: Session, match: str, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    snippet: ColumnClause[str] = literal_column(
        f"snippet(articles_fts, 1, '{HIGHLIGHT[0]}', '{HIGHLIGHT[1]}', '…', 16)"
    )
    stmt = select(ARTICLES_FTS.c.rowid, snippet).where(_MATCH.bindparams(match=match), ARTICLES_FTS.c.rowid.in_(ids))
    return dict(session.execute(stmt).all())


_SIMPLE: ColumnClause[Any] = literal_column("'simple'::regconfig")


def _tsquery(query: str) -> Function[Any]:
    # websearch syntax ("phrases", OR, -word) never fails on user input.
    return func.websearch_to_tsquery(_SIMPLE, query)


# The stored, GIN-indexed tsvector of migration 0004 (PostgreSQL only, so not mapped).
SEARCH_VECTOR: ColumnClause[Any] = literal_column("articles.search_vector")


def _postgres_hits(query: str) -> Select:
    document = SEARCH_VECTOR
    tsquery = _tsquery(query)
    # Negated so that, as with bm25, smaller is better.
    rank = -func.ts_rank_cd(document, tsquery)
    return select(Article.id.label("hit_id"), rank.label("rank")).where(document.op("@@")(tsquery))


def _postgres_snippets(session: Session, query: str, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    options = f"StartSel={HIGHLIGHT[0]}, StopSel={HIGHLIGHT[1]}, MaxWords=24, MinWords=10, MaxFragments=2"
    snippet = func.ts_headline(_SIMPLE, Article.text, _tsquery(query), options)
    return dict(session.execute(select(Article.id, snippet).where(Article.id.in_(ids))).all())


def as_dict(hit: SearchHit) -> dict[str, Any]:
    return {name: getattr(hit, name) for name in hit.__dataclass_fields__}
