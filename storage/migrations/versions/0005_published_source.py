"""articles.published_source: what an article's publication time was read from

``article:published_time``, ``json-ld``, ``microdata``, ``dublin-core``, ``time``, ``url``
(the URL's date only), ``htmldate`` (trafilatura's guess) or ``date_xpath`` (the source's
rule), so a user can tell a time to the minute from a date at midnight.
Existing rows keep NULL: they were stored before the source was recorded.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN on both backends: no SQLite table rebuild, so the FTS triggers stay.
    op.add_column("articles", sa.Column("published_source", sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("published_source")
