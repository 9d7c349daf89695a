"""School settings: the pair-health thresholds a school may change (beheerder and ib).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Self-contained (imports nothing from ``peermatch``). Only a new table: existing tables and their rows are
untouched, so SQLite needs no table rebuild (no batch mode) and PostgreSQL no ALTER. A school without a row
uses the defaults.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "school_settings",
        sa.Column("school_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("monitoring_thresholds", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_name", sa.String(120), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_school_settings_school_id_schools", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name="fk_school_settings_updated_by_id_users", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("school_id", name="pk_school_settings"),
    )
    op.create_index("ix_school_settings_updated_by_id", "school_settings", ["updated_by_id"])


def downgrade() -> None:
    op.drop_table("school_settings")
