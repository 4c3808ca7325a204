"""Schema, migrations, layering and the upsert/merge rules of storage/."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storage.db import head_revision, make_engine, migrate, schema_revision, session_scope
from storage.models import Base, managed_by_migrations_only
from storage.queries import ArticleChange, merge_comments, upsert_article
from storage.records import ArticleFields, CommentFields
from tests.conftest import ROOT


def test_migrations_reach_head_and_match_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    assert schema_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True, "include_object": managed_by_migrations_only}),
            Base.metadata,
        )
    engine.dispose()
    assert diff == [], "models changed without a migration: run alembic revision --autogenerate"


STORAGE_MODULES = ", ".join(
    f"storage.{path.stem}" for path in sorted((ROOT / "storage").glob("*.py")) if path.stem != "__init__"
)


@pytest.mark.slow
@pytest.mark.parametrize("modules", [STORAGE_MODULES, "cli"])
def test_storage_and_query_cli_do_not_import_scrapy_or_the_pipelines(modules: str) -> None:
    code = (
        f"import sys, {modules}; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'scrapy', 'trafilatura', 'pipelines', 'crawler'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


def test_a_crawl_opens_the_database_only_through_its_store() -> None:
    """No module of the crawl opens its own engine or session: the CrawlStore is the one door."""
    openers = {"session_for_url", "session_scope", "session_factory", "make_engine", "sessionmaker", "create_engine"}
    found = []
    for path in [*(ROOT / "crawler").rglob("*.py"), *(ROOT / "pipelines").rglob("*.py")]:
        if path.name == "crawl_store.py":
            continue
        names = {n.id for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Name)}
        names |= {n.attr for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Attribute)}
        found += [f"{path.relative_to(ROOT)}: {name}" for name in sorted(names & openers)]
    assert found == []


def _article(text: str, **kw) -> ArticleFields:
    return ArticleFields(url="https://example.org/a", canonical_url="https://example.org/a", text=text, **kw)


def test_upsert_updates_in_place_and_counts_versions(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    with session_scope(engine) as session:
        _, first = upsert_article(session, "example", _article("First text."))
        _, again = upsert_article(session, "example", _article("First text."))
        article, corrected = upsert_article(session, "example", _article("Corrected text."))
        assert (first, again, corrected) == (ArticleChange.NEW, ArticleChange.UNCHANGED, ArticleChange.UPDATED)
        assert article.version == 2
        assert article.previous_content_hash == _article("First text.").content_hash
    engine.dispose()


def test_comment_merge_adds_new_keeps_old_and_updates_edited(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    when = datetime(2014, 7, 2, 20, 43, tzinfo=UTC)
    a = CommentFields(position=1, text="first", markup="wordpress", author="A", site_id="comment-1", posted_at=when)
    b = CommentFields(position=2, text="reply", markup="wordpress", author="B", site_id="comment-2", parent=1)
    with session_scope(engine) as session:
        article, _ = upsert_article(session, "example", _article("Body."))
        assert merge_comments(session, article, [a, b]).added == 2
        # Re-crawl: comment 1 was moderated away, 2 edited, a new 3 arrived.
        b_edited = CommentFields(position=1, text="reply (edited)", markup="wordpress", author="B", site_id="comment-2")
        c = CommentFields(position=2, text="new", markup="wordpress", author="C", site_id="comment-3")
        merged = merge_comments(session, article, [b_edited, c])
        assert (merged.added, merged.edited) == (1, 1)
        session.refresh(article)
        texts = sorted(comment.text for comment in article.comments)
        assert texts == ["first", "new", "reply (edited)"]
        parent = next(x for x in article.comments if x.text == "reply (edited)").parent_id
        assert parent == next(x for x in article.comments if x.text == "first").id
    engine.dispose()


def test_a_failing_url_is_backed_off_across_runs_and_forgiven_by_a_success(db_url: str) -> None:
    from datetime import timedelta

    from storage.frontier import ARTICLE, Frontier, Outcome, record_outcome

    engine = make_engine(db_url)
    migrate(engine)
    url, start = "https://example.org/slow-page", datetime(2024, 5, 1, tzinfo=UTC)

    def frontier_at(hours: float) -> Frontier:
        with session_scope(engine) as session:
            frontier = Frontier.load(session, ["example"], timedelta(days=3))
        frontier.now = start + timedelta(hours=hours)
        return frontier

    for failure, hours in enumerate((0, 1.5), start=1):
        with session_scope(engine) as session:
            record_outcome(
                session, Outcome("example", url, "error:TimeoutError", fetched_at=start + timedelta(hours=hours))
            )
        assert frontier_at(hours).lookup("example", url).failures == failure
    # Two failures in a row: two hours after the last one before the next try.
    assert not frontier_at(1.5 + 1.9).should_fetch("example", url)
    assert frontier_at(1.5 + 2.1).should_fetch("example", url)
    with session_scope(engine) as session:
        record_outcome(session, Outcome("example", url, ARTICLE, 200, fetched_at=start + timedelta(hours=4)))
    assert frontier_at(4).lookup("example", url).failures == 0
    engine.dispose()
