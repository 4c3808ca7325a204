"""per-source boilerplate: how many of a source's articles print each paragraph

Existing articles are not cleaned by the migration (it runs no pipeline code); their
paragraphs are counted when they are next crawled or imported.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_paragraphs",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("seen_on", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("source_id", "key"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("source_paragraphs")
