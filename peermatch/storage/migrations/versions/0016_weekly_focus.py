"""The weekly focus of a programme: a word list, a strategy or an outdoor task for one school week.

Revision ID: 0016
Revises: 0012
Create Date: 2026-12-03

Self-contained (imports nothing from ``peermatch``). One new table, ``weekly_focus``, unique per programme and
week (the Monday); deleted with its programme or school. No existing table changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "weekly_focus",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("text", sa.String(300), nullable=False),
        sa.Column("by_name", sa.String(120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_weekly_focus_school_id_schools", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programmes.id"], name="fk_weekly_focus_programme_id_programmes", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_weekly_focus"),
        sa.UniqueConstraint("programme_id", "week", name="uq_weekly_focus_programme_id_week"),
    )
    op.create_index("ix_weekly_focus_school_id", "weekly_focus", ["school_id"])
    op.create_index("ix_weekly_focus_programme_id", "weekly_focus", ["programme_id"])


def downgrade() -> None:
    op.drop_table("weekly_focus")
