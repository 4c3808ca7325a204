"""articles.title_source, articles.authors_source: what the title and the authors were read from

As ``published_source`` does for the time: ``h1``, ``entry-title``, ``itemprop-headline``,
``json-ld``, ``og:title``, ``title`` (the ``<title>``), ``title_xpath`` (the source's rule)
for a title; ``json-ld``, ``itemprop``, ``hcard``, ``rel-author``, ``byline``,
``credit-line``, ``meta``, ``trafilatura``, ``author_xpath`` for authors; a title whose
site name was learned from its source's other titles adds ``+source-affix``
(pipelines/titles.py, pipelines/authors.py, pipelines/source_titles.py). Existing rows
keep NULL: they were stored before the source was recorded.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs on both backends: no SQLite table rebuild, so the FTS triggers stay.
    op.add_column("articles", sa.Column("title_source", sa.String(length=80), nullable=True))
    op.add_column("articles", sa.Column("authors_source", sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("authors_source")
        batch.drop_column("title_source")
