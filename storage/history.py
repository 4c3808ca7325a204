"""Reading versions back: an article's history with word-level diffs, the edited
articles, and versions for exports (`newsdedup history`, `articles --edited`, `show`,
`export --versions`)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import pairwise
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Article, ArticleLink, ArticleVersion, Comment, Source
from storage.search import NO_FILTER, ArticleFilter, as_utc
from storage.types import iso
from storage.versions import REPROCESS, State, article_states, version_rows

# Words, and paragraph breaks as words of their own (a diff shows a paragraph added).
_TOKENS = re.compile(r"\n|[^\s]+")
# Articles whose versions an export reads in one query.
EXPORT_BATCH = 200


def words_of(text: str) -> list[str]:
    """The words a diff compares; a paragraph break is one ("\n")."""
    return _TOKENS.findall(text)


def text_diff(old: str, new: str) -> list[dict[str, Any]]:
    """Word-level diff operations turning ``old`` into ``new``: ``equal`` runs as word
    counts, ``delete``/``insert``/``replace`` with their words; ``at`` is the index in
    ``words_of(old)``."""
    a, b = words_of(old), words_of(new)
    ops: list[dict[str, Any]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        op: dict[str, Any] = {"op": tag, "at": i1}
        if tag == "equal":
            op["words"] = i2 - i1
        if tag in ("delete", "replace"):
            op["old"] = _words(a[i1:i2])
        if tag in ("insert", "replace"):
            op["new"] = _words(b[j1:j2])
        ops.append(op)
    return ops


def _words(tokens: list[str]) -> str:
    return re.sub(r" ?\n ?", "\n", " ".join(tokens))


def _state_document(state: State) -> dict[str, Any]:
    return {
        "version": state.version,
        "fetched_at": iso(state.first_fetched_at),
        "last_fetched_at": iso(state.fetched_at),
        "origin": state.origin,
        "title": state.title,
        "authors": state.authors,
        "published_at": iso(state.published_at),
        "words": len(state.text.split()),
        "story_id": state.story_id,
        "text": state.text,
    }


def _change(old: State, new: State) -> dict[str, Any]:
    """What ``new`` changed from ``old``: old → new for the fields, diff ops for the text."""
    change: dict[str, Any] = {
        "from": old.version,
        "to": new.version,
        "at": iso(new.first_fetched_at),
        "after": iso(old.fetched_at),
        "origin": new.origin,
        "edit": new.is_edit,
        "changed": list(new.changed),
    }
    for name in ("title", "authors", "published_at"):
        if name in new.changed:
            before, after = getattr(old, name), getattr(new, name)
            change[name] = {"old": iso(before) if name == "published_at" else before}
            change[name]["new"] = iso(after) if name == "published_at" else after
    if "text" in new.changed:
        change["text"] = text_diff(old.text, new.text)
    if old.story_id != new.story_id:
        change["story"] = {"old": old.story_id, "new": new.story_id}
    return change


def history_document(session: Session, article: Article, source_name: str) -> dict[str, Any]:
    """An article's kept versions (oldest first, the current last), what each changed,
    the comments the site removed, and the story links it has now (with when made)."""
    states = article_states(article, version_rows(session, article.id))
    removed = session.scalars(
        select(Comment)
        .where(Comment.article_id == article.id, Comment.removed_at.is_not(None))
        .order_by(Comment.position)
    )
    links = session.scalars(
        select(ArticleLink).where(ArticleLink.article_id == article.id).order_by(ArticleLink.created_at)
    )
    return {
        "id": article.id,
        "source": source_name,
        "canonical_url": article.canonical_url,
        "version": article.version,
        "versions": [_state_document(state) for state in states],
        "changes": [_change(old, new) for old, new in pairwise(states)],
        "comments_removed": [
            {
                "position": c.position,
                "author": c.author,
                "posted_at": iso(c.posted_at),
                "first_seen_at": iso(c.first_seen_at),
                "removed_at": iso(c.removed_at),
                "text": c.text,
            }
            for c in removed
        ],
        "story_id": article.story_id,
        "story_links": [
            {"kind": link.kind, "target": link.target_id, "method": link.method, "score": link.score}
            | {"linked_at": iso(link.created_at)}
            for link in links
        ],
    }


def version_summary(session: Session, article: Article) -> dict[str, int]:
    """For `show`: versions kept (the current one included), the article's version
    number, and its comments the site removed."""
    kept = session.scalar(select(func.count()).where(ArticleVersion.article_id == article.id)) or 0
    removed = session.scalar(
        select(func.count()).where(Comment.article_id == article.id, Comment.removed_at.is_not(None))
    )
    return {"versions": kept + 1, "version": article.version, "comments_removed": removed or 0}


@dataclass(frozen=True, slots=True)
class EditedRow:
    id: int
    source: str
    title: str | None
    published_at: str | None
    canonical_url: str
    # Versions the publisher's edits made (reprocessing left out), the latest one's
    # time, and the fields they changed.
    edits: int
    last_edit: str | None
    changed: list[str]


def edited_articles(session: Session, filters: ArticleFilter = NO_FILTER, *, limit: int | None = 50) -> list[EditedRow]:
    """Articles a crawl or import found edited after they were first stored, most
    recently edited first. ``since``/``until`` select the time of the edit (when the
    new version was fetched), not of publication; changes a new extraction of the same
    response made (origin "reprocess") are no edits."""
    edits = select(
        ArticleVersion.article_id,
        func.count().label("edits"),
        func.max(ArticleVersion.replaced_at).label("last_edit"),
    ).where(ArticleVersion.origin != REPROCESS)
    if filters.since is not None:
        edits = edits.where(ArticleVersion.replaced_at >= as_utc(filters.since))
    if filters.until is not None:
        edits = edits.where(ArticleVersion.replaced_at < as_utc(filters.until))
    sub = edits.group_by(ArticleVersion.article_id).subquery()
    stmt = replace(filters, since=None, until=None).apply(
        select(Article, Source.name, sub.c.edits, sub.c.last_edit)
        .join(sub, sub.c.article_id == Article.id)
        .join(Source, Source.id == Article.source_id)
        .order_by(sub.c.last_edit.desc(), Article.id)
    )
    rows = session.execute(stmt.limit(limit) if limit is not None else stmt).all()
    changed: dict[int, set[str]] = {}
    if rows:
        for article_id, names in session.execute(
            select(ArticleVersion.article_id, ArticleVersion.changed).where(
                ArticleVersion.article_id.in_([row[0].id for row in rows]), ArticleVersion.origin != REPROCESS
            )
        ):
            changed.setdefault(article_id, set()).update(names.split(","))
    return [
        EditedRow(
            id=article.id,
            source=source,
            title=article.title,
            published_at=iso(article.published_at),
            canonical_url=article.canonical_url,
            edits=n,
            last_edit=iso(_aware(last_edit)),
            changed=sorted(changed.get(article.id, ())),
        )
        for article, source, n, last_edit in rows
    ]


def _aware(moment: datetime | str | None) -> datetime | None:
    """max() of a time column comes back as text on SQLite: parse it as stored (UTC)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return as_utc(moment) if moment is not None else None


def with_versions(session: Session, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Export rows of articles (``id``, ``text``, ``title``, ``authors``, …) with their
    earlier versions under ``versions``, oldest first; versions are read for batches
    of EXPORT_BATCH articles, so an export stays streamed."""
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= EXPORT_BATCH:
            yield from _add_versions(session, batch)
            batch = []
    yield from _add_versions(session, batch)


def _add_versions(session: Session, batch: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    if not batch:
        return
    ids = [row["id"] for row in batch]
    by_article: dict[int, list[ArticleVersion]] = {}
    stmt = select(ArticleVersion).where(ArticleVersion.article_id.in_(ids)).order_by(ArticleVersion.version.desc())
    for version in session.scalars(stmt):
        by_article.setdefault(version.article_id, []).append(version)
    articles = {a.id: a for a in session.scalars(select(Article).where(Article.id.in_(list(by_article))))}
    for row in batch:
        earlier = article_states(articles[row["id"]], by_article[row["id"]])[:-1] if row["id"] in by_article else []
        yield {**row, "versions": [_state_document(state) for state in earlier]}
