"""crawl frontier: failed fetches in a row, so the next runs back off a failing URL;
crawl runs: one row per fleet run (FLEET_RUN) with the workers that took part

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("seen_urls") as batch:
        batch.add_column(sa.Column("failures", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("crawl_runs") as batch:
        batch.add_column(sa.Column("fleet_run", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("workers", sa.JSON(), server_default="[]", nullable=False))
        batch.create_unique_constraint("uq_crawl_runs_fleet_run", ["fleet_run"])


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        batch.drop_constraint("uq_crawl_runs_fleet_run", type_="unique")
        batch.drop_column("workers")
        batch.drop_column("fleet_run")
    with op.batch_alter_table("seen_urls") as batch:
        batch.drop_column("failures")
