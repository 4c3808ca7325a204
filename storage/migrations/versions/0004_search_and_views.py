"""full-text search and the SQL views for plain-SQL users

SQLite: an FTS5 table over articles' title and text (external content, kept in step by
triggers). PostgreSQL: a stored generated tsvector column of the same text
(``search_vector``) with a GIN index. Both use no
stemming ('unicode61' / 'simple'): an archive holds many languages, and one query gives
the same articles on either backend.

An index on ``published_at`` serves newest-first listings and periods.

Views: ``article_sources`` (an article with its source's name and comment count) and
``stories`` (one row per story: its canonical article, copies, sources, quoting posts).

A later migration that rebuilds ``articles`` in SQLite batch mode drops the FTS triggers
and must create them again (``_sqlite_fts`` below).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN"
    " INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN"
    " INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN"
    " INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);"
    " INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
]
POSTGRES_FTS = [
    # Stored, so ranking reads the vector instead of re-parsing every matching text.
    "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS"
    " (to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || text)) STORED",
    "CREATE INDEX ix_articles_search ON articles USING GIN (search_vector)",
    # PostgreSQL sorts NULLs first in DESC; listings want undated articles last.
    "CREATE INDEX ix_articles_search_newest ON articles (published_at DESC NULLS LAST, id)",
]
VIEWS = [
    """CREATE VIEW article_sources AS
SELECT a.id, s.name AS source, a.title, a.authors, a.published_at, a.canonical_url, a.url, a.language,
       a.word_count, a.story_id, CASE WHEN a.story_id = a.id THEN 1 ELSE 0 END AS is_story_canonical,
       (SELECT count(*) FROM comments c WHERE c.article_id = a.id) AS comments
FROM articles a JOIN sources s ON s.id = a.source_id""",
    """CREATE VIEW stories AS
SELECT c.id AS story_id, c.title, c.canonical_url, s.name AS source, c.published_at,
       (SELECT count(*) FROM articles m WHERE m.story_id = c.id) AS copies,
       (SELECT count(DISTINCT m.source_id) FROM articles m WHERE m.story_id = c.id) AS sources,
       (SELECT count(DISTINCT l.article_id) FROM article_links l JOIN articles t ON t.id = l.target_id
         WHERE l.kind = 'quote' AND t.story_id = c.id) AS quoted_by
FROM articles c JOIN sources s ON s.id = c.source_id
WHERE c.story_id = c.id""",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_index("ix_articles_published_at", "articles", ["published_at"], unique=False)
    for statement in (SQLITE_FTS if dialect == "sqlite" else POSTGRES_FTS) + VIEWS:
        op.execute(statement)


def downgrade() -> None:
    op.drop_index("ix_articles_published_at", table_name="articles")
    op.execute("DROP VIEW stories")
    op.execute("DROP VIEW article_sources")
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER articles_fts_{trigger}")
        op.execute("DROP TABLE articles_fts")
    else:
        op.execute("DROP INDEX ix_articles_search_newest")
        op.execute("DROP INDEX ix_articles_search")
        op.execute("ALTER TABLE articles DROP COLUMN search_vector")
