"""WARC locations: where each article's fetched response is archived

``articles.warc_file`` and ``articles.warc_offset`` name the WARC file and the byte
offset of the response record (written by a crawl with WARC_DIR set, or the file an
import read), so `newsdedup reprocess` and `newsdedup export warc` need no fetch.
Plain ADD COLUMNs: SQLite does not rebuild the table, so the FTS triggers of 0004 stay.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("warc_file", sa.String(length=1024), nullable=True))
    op.add_column("articles", sa.Column("warc_offset", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite >= 3.35), not a batch rebuild that would lose the FTS triggers.
    op.drop_column("articles", "warc_offset")
    op.drop_column("articles", "warc_file")
