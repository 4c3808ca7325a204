"""Earlier versions of articles: kept when a fetch replaces the text, title, authors or time.

Writing them is part of ``storage.queries.upsert_article`` (one row per change, in the
article's savepoint); reading them back, with their diffs, is storage/history.py.
A version's text is a reverse delta against the next version's (storage/textdelta.py),
so the chain is read from the article's current text backwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage import textdelta
from storage.models import Article, ArticleVersion

# Where a version came from. "reprocess": the same response extracted again (`newsdedup
# reprocess`, or a WARC record imported twice), so a change is ours, not the publisher's.
CRAWL, IMPORT, REPROCESS = "crawl", "import", "reprocess"
# What makes a new version; other columns (sources of fields, HTTP validators, tags)
# are updated in place.
TRACKED = ("text", "title", "authors", "published_at")


@dataclass(frozen=True, slots=True)
class HistoryConfig:
    """The HISTORY_<FIELD> settings (their defaults live here), and the run's origin."""

    SETTINGS_PREFIX: ClassVar[str] = "HISTORY"

    enabled: bool = True
    # Earlier versions kept per article; the oldest go first (the chain is read from the
    # newest, so dropping its end loses nothing else).
    max_versions: int = 20
    # Given by the spider, not a setting (pipelines/settings_reader.py reads this metadata).
    origin: str = field(default=CRAWL, metadata={"newsdedup_setting": None})


DEFAULT_HISTORY = HistoryConfig()


def tracked_changes(article: Article, values: dict[str, Any]) -> list[str]:
    """The tracked fields a fetch's values change (the text by its normalised hash:
    whitespace and case alone make no version)."""
    changed = []
    if article.content_hash != values["content_hash"]:
        changed.append("text")
    if article.title != values["title"]:
        changed.append("title")
    if list(article.authors or []) != list(values["authors"]):
        changed.append("authors")
    if article.published_at != values["published_at"]:
        changed.append("published_at")
    return changed


def keep_version(
    session: Session,
    article: Article,
    values: dict[str, Any],
    changed: Sequence[str],
    *,
    last_seen: datetime,
    replaced_at: datetime,
    origin: str,
    config: HistoryConfig,
) -> ArticleVersion | None:
    """Store the article's current state as a version before ``values`` replace it.

    Call before the row is updated and its ``version`` bumped. With history off, the
    earlier versions are dropped instead: each one's text is a delta against the text
    now being replaced, so they could not be read back.
    """
    if not config.enabled:
        if article.version > 1:
            session.execute(delete(ArticleVersion).where(ArticleVersion.article_id == article.id))
        return None
    row = ArticleVersion(
        article_id=article.id,
        version=article.version,
        fetched_at=last_seen,
        replaced_at=replaced_at,
        origin=origin,
        changed=",".join(changed),
        story_id=article.story_id,
    )
    if "text" in changed:
        row.text_delta = textdelta.encode(article.text, values["text"])
    if "title" in changed:
        row.title = article.title
    if "authors" in changed:
        row.authors = list(article.authors or [])
    if "published_at" in changed:
        row.published_at = article.published_at
    session.add(row)
    if article.version > config.max_versions:
        session.execute(
            delete(ArticleVersion).where(
                ArticleVersion.article_id == article.id,
                ArticleVersion.version <= article.version - config.max_versions,
            )
        )
    return row


@dataclass(slots=True)
class State:
    """One version of an article as it read then."""

    version: int
    text: str
    title: str | None
    authors: list[str]
    published_at: datetime | None
    story_id: int | None
    # The last fetch that showed it; the fetch that first did and where it came from
    # (None for the oldest kept: it was first stored before the kept history).
    fetched_at: datetime
    first_fetched_at: datetime | None = None
    origin: str | None = None
    # The tracked fields this version changed from the one before it.
    changed: tuple[str, ...] = ()

    @property
    def is_edit(self) -> bool:
        """Changed by the publisher (a crawl or an import), not by a new extraction."""
        return bool(self.changed) and self.origin != REPROCESS


def version_rows(session: Session, article_id: int) -> list[ArticleVersion]:
    """An article's stored versions, newest first."""
    stmt = select(ArticleVersion).where(ArticleVersion.article_id == article_id).order_by(ArticleVersion.version.desc())
    return list(session.scalars(stmt))


def article_states(article: Article, rows: Sequence[ArticleVersion]) -> list[State]:
    """Every kept version of ``article``, oldest first, the current one last.

    ``rows`` are its version rows, newest first (``version_rows``). The chain stops at
    a gap (none is made; a database edited by hand could have one): a delta is only
    read against the text it was made from.
    """
    newer = State(
        version=article.version,
        text=article.text,
        title=article.title,
        authors=list(article.authors or []),
        published_at=article.published_at,
        story_id=article.story_id,
        fetched_at=article.fetched_at,
    )
    states = [newer]
    for row in rows:
        if row.version != newer.version - 1:
            break
        changed = tuple(row.changed.split(",")) if row.changed else ()
        newer.first_fetched_at, newer.origin, newer.changed = row.replaced_at, row.origin, changed
        older = State(
            version=row.version,
            text=textdelta.decode(row.text_delta, newer.text) if row.text_delta is not None else newer.text,
            title=row.title if "title" in changed else newer.title,
            authors=list(row.authors or []) if "authors" in changed else newer.authors,
            published_at=row.published_at if "published_at" in changed else newer.published_at,
            story_id=row.story_id,
            fetched_at=row.fetched_at,
        )
        states.append(older)
        newer = older
    states.reverse()
    return states
