"""Pupil login (class codes, hashed personal codes, throttling), training attempts and check-ins.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

Self-contained like 0001 (imports nothing from ``peermatch``). Only new tables: existing tables and
their rows are untouched, so SQLite needs no table rebuild (no batch mode) and PostgreSQL no ALTER.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete)


def _school(table: str) -> list[sa.schema.SchemaItem]:
    return [sa.Column("school_id", sa.Integer(), nullable=False), _fk(table, "school_id", "schools", "CASCADE")]


def _index(table: str, *columns: str, name: str | None = None) -> None:
    op.create_index(name or f"ix_{table}_{columns[0]}", table, list(columns))


def _pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*columns, name=f"pk_{table}")


def _text(name: str, length: int) -> sa.Column[object]:
    return sa.Column(name, sa.String(length), nullable=False)


def upgrade() -> None:
    op.create_table(
        "group_login_codes",
        sa.Column("group_id", sa.Integer(), nullable=False),
        *_school("group_login_codes"),
        _text("class_code", 12),
        _text("code_kind", 10),
        _text("salt", 64),
        _moment("created_at"),
        _fk("group_login_codes", "group_id", "groups", "CASCADE"),
        _pk("group_login_codes", "group_id"),
        sa.UniqueConstraint("class_code", name="uq_group_login_codes_class_code"),
    )
    _index("group_login_codes", "school_id")
    op.create_table(
        "pupil_credentials",
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        *_school("pupil_credentials"),
        sa.Column("group_id", sa.Integer(), nullable=False),
        _text("code_hash", 255),
        _moment("created_at"),
        _moment("last_login_at", nullable=True),
        _fk("pupil_credentials", "group_id", "groups", "CASCADE"),
        _fk("pupil_credentials", "pupil_id", "pupils", "CASCADE"),
        _pk("pupil_credentials", "pupil_id"),
        sa.UniqueConstraint("group_id", "code_hash", name="uq_pupil_credentials_group_id_code_hash"),
    )
    _index("pupil_credentials", "group_id")
    _index("pupil_credentials", "school_id")
    op.create_table(
        "pupil_login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        _text("class_code", 12),
        _moment("at"),
        _pk("pupil_login_failures", "id"),
    )
    _index("pupil_login_failures", "class_code", "at", name="ix_pupil_login_failures_code_at")
    op.create_table(
        "training_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        *_school("training_attempts"),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        _text("module_id", 80),
        sa.Column("module_version", sa.SmallInteger(), nullable=False),
        sa.Column("attempt_no", sa.SmallInteger(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("correct", sa.SmallInteger(), nullable=False),
        sa.Column("total", sa.SmallInteger(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        _moment("created_at"),
        sa.CheckConstraint("correct >= 0 AND correct <= total", name="ck_training_attempts_score"),
        _fk("training_attempts", "pupil_id", "pupils", "CASCADE"),
        _pk("training_attempts", "id"),
        sa.UniqueConstraint(
            "pupil_id", "module_id", "attempt_no", name="uq_training_attempts_pupil_id_module_id_attempt_no"
        ),
    )
    _index("training_attempts", "pupil_id")
    _index("training_attempts", "school_id")
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        *_school("checkins"),
        _text("submission_id", 36),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("tutor_id", sa.Integer(), nullable=False),
        sa.Column("tutee_id", sa.Integer(), nullable=False),
        sa.Column("session_date", sa.Date(), nullable=False),
        _text("status", 16),
        sa.Column("minutes", sa.SmallInteger(), nullable=True),
        _text("activity", 200),
        sa.Column("tutor_mood", sa.SmallInteger(), nullable=True),
        _text("went_well", 300),
        _text("was_hard", 300),
        _text("try_next", 300),
        sa.Column("needs_help", sa.Boolean(), nullable=False),
        sa.Column("worry", sa.Boolean(), nullable=False),
        _text("worry_text", 500),
        sa.Column("tutee_fun", sa.SmallInteger(), nullable=True),
        sa.Column("tutee_learned", sa.SmallInteger(), nullable=True),
        _moment("created_at"),
        sa.CheckConstraint("minutes BETWEEN 0 AND 120", name="ck_checkins_minutes"),
        sa.CheckConstraint("tutor_mood BETWEEN 1 AND 5", name="ck_checkins_tutor_mood"),
        sa.CheckConstraint("tutee_fun BETWEEN 1 AND 5", name="ck_checkins_tutee_fun"),
        sa.CheckConstraint("tutee_learned BETWEEN 1 AND 5", name="ck_checkins_tutee_learned"),
        _fk("checkins", "pair_id", "pairs", "CASCADE"),
        _fk("checkins", "tutee_id", "pupils", "CASCADE"),
        _fk("checkins", "tutor_id", "pupils", "CASCADE"),
        _pk("checkins", "id"),
        sa.UniqueConstraint("submission_id", name="uq_checkins_submission_id"),
    )
    _index("checkins", "school_id", "session_date", name="ix_checkins_school_date")
    for column in ("pair_id", "school_id", "tutee_id", "tutor_id"):
        _index("checkins", column)


def downgrade() -> None:
    for table in ("checkins", "training_attempts", "pupil_login_failures", "pupil_credentials", "group_login_codes"):
        op.drop_table(table)
