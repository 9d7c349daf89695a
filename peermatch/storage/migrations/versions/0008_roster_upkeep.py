"""Roster upkeep: a pupil can leave on a date, and can be marked as not taking part.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10

Self-contained (imports nothing from ``peermatch``). Two new columns on ``pupils``: ``left_on`` (the date the
pupil leaves the school; empty for a pupil who stays) and ``takes_part`` (false: "doet niet mee", left out of
matching). Existing pupils stay and take part.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pupils") as batch:
        batch.add_column(sa.Column("left_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("takes_part", sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("pupils") as batch:
        batch.drop_column("takes_part")
        batch.drop_column("left_on")
