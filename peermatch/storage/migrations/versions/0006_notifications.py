"""E-mail notifications: a staff member's address and whether they want the signal mails and the weekly summary.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

Self-contained (imports nothing from ``peermatch``). Three columns added to ``users`` with defaults, so
existing rows stay valid (no address: nothing is sent until the person enters one on *Mijn account*).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email", sa.String(254), nullable=True))
        batch.add_column(sa.Column("notify_signals", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("notify_weekly", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("notify_weekly")
        batch.drop_column("notify_signals")
        batch.drop_column("email")
