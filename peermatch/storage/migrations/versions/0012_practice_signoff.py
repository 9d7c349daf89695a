"""Practice sign-off: a teacher records that she watched a tutor do a module's role-play ("Probeer het").

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-03

Self-contained (imports nothing from ``peermatch``). A new table ``practice_signoffs``: one row per tutor and
module, who signed and when. "Klaar om te starten" needs the passed quizzes and a sign-off; tutors who were
ready before this revision are not ready until a teacher signs their practice off (no rows are made up).
Quiz attempts are untouched: their ``answers`` JSON may now also hold the order the choices were shown in.
The downgrade drops the table.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "practice_signoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.String(80), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("signed_by_id", sa.Integer(), nullable=True),
        sa.Column("signed_by_name", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_practice_signoffs_school_id_schools", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name="fk_practice_signoffs_pupil_id_pupils", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["signed_by_id"], ["users.id"], name="fk_practice_signoffs_signed_by_id_users", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_practice_signoffs"),
        sa.UniqueConstraint("pupil_id", "module_id", name="uq_practice_signoffs_pupil_id_module_id"),
    )
    op.create_index("ix_practice_signoffs_school_id", "practice_signoffs", ["school_id"])
    op.create_index("ix_practice_signoffs_pupil_id", "practice_signoffs", ["pupil_id"])
    op.create_index("ix_practice_signoffs_signed_by_id", "practice_signoffs", ["signed_by_id"])


def downgrade() -> None:
    op.drop_index("ix_practice_signoffs_signed_by_id", table_name="practice_signoffs")
    op.drop_index("ix_practice_signoffs_pupil_id", table_name="practice_signoffs")
    op.drop_index("ix_practice_signoffs_school_id", table_name="practice_signoffs")
    op.drop_table("practice_signoffs")
