"""A voice for both children and the relationship tracked: new columns on ``checkins`` and ``evaluation_talks``.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03

Self-contained (imports nothing from ``peermatch``). Existing rows keep their meaning: every check-in so far was
made by its tutor (``tutor_checked_in`` true), nobody raised a tutor's own trouble or a tutee's message, and no
relationship answer was given (NULL). No table is rebuilt with data loss: ``batch_alter_table`` copies the rows.

``checkins``: ``tutor_together`` and ``tutee_together`` ("Hoe ging het samen?", 1-5), ``tutor_own`` and
``tutor_own_text`` ("Ik wil zelf iets vertellen"), ``tutee_says`` and ``tutee_says_text`` ("Ik wil de juf iets
vertellen", from the tutee's own login), ``tutor_checked_in`` (false while only the tutee answered that day) and
``tutee_answered_at``. ``evaluation_talks``: ``tutor_part``, ``tutee_part`` and ``relationship`` (1-5).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.add_column(sa.Column("tutor_together", sa.SmallInteger(), nullable=True))
        batch.add_column(sa.Column("tutee_together", sa.SmallInteger(), nullable=True))
        batch.add_column(sa.Column("tutor_own", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("tutor_own_text", sa.String(500), nullable=False, server_default=""))
        batch.add_column(sa.Column("tutee_says", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("tutee_says_text", sa.String(300), nullable=False, server_default=""))
        batch.add_column(sa.Column("tutor_checked_in", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("tutee_answered_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_check_constraint("ck_checkins_tutor_together", "tutor_together BETWEEN 1 AND 5")
        batch.create_check_constraint("ck_checkins_tutee_together", "tutee_together BETWEEN 1 AND 5")
    with op.batch_alter_table("evaluation_talks") as batch:
        batch.add_column(sa.Column("tutor_part", sa.String(1000), nullable=False, server_default=""))
        batch.add_column(sa.Column("tutee_part", sa.String(1000), nullable=False, server_default=""))
        batch.add_column(sa.Column("relationship", sa.SmallInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("evaluation_talks") as batch:
        batch.drop_column("relationship")
        batch.drop_column("tutee_part")
        batch.drop_column("tutor_part")
    with op.batch_alter_table("checkins") as batch:
        batch.drop_constraint("ck_checkins_tutee_together", type_="check")
        batch.drop_constraint("ck_checkins_tutor_together", type_="check")
        for name in ("tutee_answered_at", "tutor_checked_in", "tutee_says_text", "tutee_says", "tutor_own_text",
                     "tutor_own", "tutee_together", "tutor_together"):  # fmt: skip
            batch.drop_column(name)
