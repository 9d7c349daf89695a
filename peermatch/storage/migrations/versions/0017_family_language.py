"""The family's language for the parent letter, per pupil, and the school's contact line for parents.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03

Self-contained (imports nothing from ``peermatch``). ``pupils.family_language`` (nullable: null is Dutch, the
default for a family nobody chose a language for) holds a letter language code (nl, en, tr, ar, pl). One new
table, ``school_letter_contact``: how parents reach the school (a name, a phone number or e-mail address, and
whether the letter invites them to talk to the teacher on the schoolyard), one row per school.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pupils") as batch:
        batch.add_column(sa.Column("family_language", sa.String(8), nullable=True))
    op.create_table(
        "school_letter_contact",
        sa.Column("school_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False),
        sa.Column("schoolyard", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_name", sa.String(120), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_school_letter_contact_school_id_schools", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("school_id", name="pk_school_letter_contact"),
    )


def downgrade() -> None:
    op.drop_table("school_letter_contact")
    with op.batch_alter_table("pupils") as batch:
        batch.drop_column("family_language")
