"""Broader outcomes: the before/after scale of the tutor and the tutee (issue 13, item 6).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03

Self-contained (imports nothing from ``peermatch``). One new table, ``outcome_answers``: one pupil's three faces
(confidence, pleasure, courage, 1-5) in one pair at one moment ("voor" or "na"), unique per pair, pupil and
moment; deleted with its pair, pupil or school. No existing table changes (none is rebuilt, so the monitoring
triggers of 0020 stay).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outcome_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(8), nullable=False),
        sa.Column("moment", sa.String(8), nullable=False),
        sa.Column("subject", sa.String(12), nullable=False),
        sa.Column("confidence", sa.SmallInteger(), nullable=False),
        sa.Column("pleasure", sa.SmallInteger(), nullable=False),
        sa.Column("courage", sa.SmallInteger(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("confidence BETWEEN 1 AND 5", name="ck_outcome_answers_confidence"),
        sa.CheckConstraint("pleasure BETWEEN 1 AND 5", name="ck_outcome_answers_pleasure"),
        sa.CheckConstraint("courage BETWEEN 1 AND 5", name="ck_outcome_answers_courage"),
        sa.CheckConstraint("moment IN ('voor', 'na')", name="ck_outcome_answers_moment"),
        sa.CheckConstraint("side IN ('tutor', 'tutee')", name="ck_outcome_answers_side"),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_outcome_answers_school_id_schools", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["pair_id"], ["pairs.id"], name="fk_outcome_answers_pair_id_pairs", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name="fk_outcome_answers_pupil_id_pupils", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_outcome_answers"),
        sa.UniqueConstraint("pair_id", "pupil_id", "moment", name="uq_outcome_answers_pair_id_pupil_id_moment"),
    )
    op.create_index("ix_outcome_answers_school_id", "outcome_answers", ["school_id"])
    op.create_index("ix_outcome_answers_pair_id", "outcome_answers", ["pair_id"])
    op.create_index("ix_outcome_answers_pupil_id", "outcome_answers", ["pupil_id"])


def downgrade() -> None:
    op.drop_table("outcome_answers")
