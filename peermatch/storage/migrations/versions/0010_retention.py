"""Retention: how long a school keeps check-ins, worry texts and pair histories; a detail column in the audit log.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-03

Self-contained (imports nothing from ``peermatch``). A new table ``school_retention`` (a school without a row
keeps the defaults: check-ins and pair histories 12 months, worry texts 3 months after 31 July) and one
nullable column ``audit_log.detail`` (counts of a retention run or a deletion, which groups' worries were
read: never names or texts). Existing rows stay as they are. The downgrade drops both.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "school_retention",
        sa.Column("school_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("checkin_months", sa.SmallInteger(), nullable=False),
        sa.Column("worry_months", sa.SmallInteger(), nullable=False),
        sa.Column("pair_months", sa.SmallInteger(), nullable=False),
        sa.Column("last_run_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by_name", sa.String(120), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_school_retention_school_id_schools", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("school_id", name="pk_school_retention"),
    )
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("detail", sa.String(300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("detail")
    op.drop_table("school_retention")
