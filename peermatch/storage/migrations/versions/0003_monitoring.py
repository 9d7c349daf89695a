"""Monitoring: the triage steps of alerts and the evaluation talks per pair.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

Self-contained (imports nothing from ``peermatch``). Only new tables: existing tables and their rows are
untouched, so SQLite needs no table rebuild (no batch mode) and PostgreSQL no ALTER.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete)


def _text(name: str, length: int) -> sa.Column[object]:
    return sa.Column(name, sa.String(length), nullable=False)


def _common(table: str) -> list[sa.schema.SchemaItem]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        _text("by_name", 120),
        _fk(table, "school_id", "schools", "CASCADE"),
        _fk(table, "pair_id", "pairs", "CASCADE"),
        _fk(table, "by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def upgrade() -> None:
    op.create_table(
        "alert_triage",
        *_common("alert_triage"),
        _text("alert_id", 40),
        _text("kind", 20),
        _text("state", 16),
        _text("note", 1000),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_alert_triage_school_alert", "alert_triage", ["school_id", "alert_id"])
    op.create_table(
        "evaluation_talks",
        *_common("evaluation_talks"),
        sa.Column("held_on", sa.Date(), nullable=False),
        _text("went_well", 1000),
        _text("could_be_better", 1000),
        _text("what_can_i_do", 1000),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    for table in ("alert_triage", "evaluation_talks"):
        for column in ("school_id", "pair_id", "by_id"):
            op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    op.drop_table("evaluation_talks")
    op.drop_table("alert_triage")
