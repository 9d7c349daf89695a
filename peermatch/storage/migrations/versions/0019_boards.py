"""Boards above schools: a school board or a city programme, its schools, and its coordinators' accounts.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03

Self-contained (imports nothing from ``peermatch``). Three new tables, no existing table changes:
``boards`` (a name), ``board_schools`` (which schools a board holds) and ``board_users`` (the board of a
*bovenschools coördinator* account, one per account). The role value ``bovenschools`` needs no change to
``users.role``: it is a VARCHAR(12) without a CHECK constraint. No pupil data.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "boards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_boards"),
        sa.UniqueConstraint("name", name="uq_boards_name"),
    )
    op.create_table(
        "board_schools",
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["board_id"], ["boards.id"], name="fk_board_schools_board_id_boards", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_board_schools_school_id_schools", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("board_id", "school_id", name="pk_board_schools"),
    )
    op.create_index("ix_board_schools_school_id", "board_schools", ["school_id"])
    op.create_table(
        "board_users",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_board_users_user_id_users", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["board_id"], ["boards.id"], name="fk_board_users_board_id_boards", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name="pk_board_users"),
    )
    op.create_index("ix_board_users_board_id", "board_users", ["board_id"])


def downgrade() -> None:
    op.drop_table("board_users")
    op.drop_table("board_schools")
    op.drop_table("boards")
