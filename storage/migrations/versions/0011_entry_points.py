"""entry_points: each source's feeds, sitemaps and section pages, when each is next due
(polled at its own pace) and what its last poll gave (`newsdedup health`)

Existing databases start with none: every entry point is due at its next run, which
writes its row.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entry_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("first_polled_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_polled_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("next_due_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("interval_seconds", sa.Float(), nullable=False),
        sa.Column("last_new_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=80), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("links", sa.Integer(), nullable=False),
        sa.Column("new_links", sa.Integer(), nullable=False),
        sa.Column("max_links", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("http_etag", sa.String(length=512), nullable=True),
        sa.Column("http_last_modified", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_id", "url", name="uq_entry_points_source_url"),
    )


def downgrade() -> None:
    op.drop_table("entry_points")
