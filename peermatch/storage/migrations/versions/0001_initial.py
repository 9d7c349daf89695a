"""Initial schema: schools, groups, pupils with level history, programmes, runs, pairs, accounts, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Self-contained on purpose: it imports nothing from ``peermatch``, so later model changes never
change what this revision does. Runs on SQLite and PostgreSQL; text enums, never native ones.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SUBJECT = ("lezen", "rekenen")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _moment(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete)


def _school(table: str) -> list[sa.schema.SchemaItem]:
    return [sa.Column("school_id", sa.Integer(), nullable=False), _fk(table, "school_id", "schools", "CASCADE")]


def _enum(name: str, *values: str, length: int) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def _index(table: str, *columns: str, name: str | None = None) -> None:
    op.create_index(name or f"ix_{table}_{columns[0]}", table, list(columns))


def _pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*columns, name=f"pk_{table}")


def upgrade() -> None:
    op.create_table(
        "schools",
        _id(),
        sa.Column("name", sa.String(200), nullable=False),
        _moment("created_at"),
        _pk("schools", "id"),
    )
    op.create_table(
        "groups",
        _id(),
        *_school("groups"),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("grade", sa.SmallInteger(), nullable=True),
        _pk("groups", "id"),
        sa.UniqueConstraint("school_id", "name", name="uq_groups_school_id_name"),
    )
    _index("groups", "school_id")
    op.create_table(
        "programmes",
        _id(),
        *_school("programmes"),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("subject", _enum("subject", *_SUBJECT, length=10), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("weeks", sa.SmallInteger(), nullable=False),
        sa.Column("sessions_per_week", sa.SmallInteger(), nullable=False),
        sa.Column("minutes_per_session", sa.SmallInteger(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        _moment("created_at"),
        _moment("updated_at"),
        _pk("programmes", "id"),
        sa.UniqueConstraint("school_id", "name", name="uq_programmes_school_id_name"),
    )
    _index("programmes", "school_id")
    op.create_table(
        "users",
        _id(),
        *_school("users"),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("display_name", sa.String(120), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", _enum("staffrole", "beheerder", "ib", "leerkracht", length=12), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _moment("created_at"),
        _moment("last_login_at", nullable=True),
        _pk("users", "id"),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )
    _index("users", "school_id")
    op.create_table(
        "audit_log",
        _id(),
        *_school("audit_log"),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(40), nullable=True),
        _moment("at"),
        _fk("audit_log", "user_id", "users", "SET NULL"),
        _pk("audit_log", "id"),
    )
    _index("audit_log", "school_id", "at", name="ix_audit_log_school_at")
    _index("audit_log", "user_id")
    op.create_table(
        "matching_runs",
        _id(),
        *_school("matching_runs"),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("status", _enum("runstatus", "draft", "published", "superseded", length=12), nullable=False),
        _moment("created_at"),
        _moment("published_at", nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        _fk("matching_runs", "created_by_id", "users", "SET NULL"),
        _fk("matching_runs", "programme_id", "programmes", "CASCADE"),
        _pk("matching_runs", "id"),
    )
    _index("matching_runs", "created_by_id")
    _index("matching_runs", "programme_id")
    _index("matching_runs", "school_id")
    published = sa.text("status = 'published'")
    op.create_index(
        "uq_matching_runs_one_published",
        "matching_runs",
        ["programme_id"],
        unique=True,
        sqlite_where=published,
        postgresql_where=published,
    )
    op.create_table(
        "programme_moments",
        _id(),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.CheckConstraint("start_time < end_time", name="ck_programme_moments_start_before_end"),
        sa.CheckConstraint("weekday BETWEEN 1 AND 7", name="ck_programme_moments_weekday"),
        _fk("programme_moments", "programme_id", "programmes", "CASCADE"),
        _pk("programme_moments", "id"),
    )
    _index("programme_moments", "programme_id")
    for side in ("tutor", "tutee"):
        table = f"programme_{side}_groups"
        op.create_table(
            table,
            sa.Column("programme_id", sa.Integer(), nullable=False),
            sa.Column("group_id", sa.Integer(), nullable=False),
            _fk(table, "group_id", "groups", "CASCADE"),
            _fk(table, "programme_id", "programmes", "CASCADE"),
            _pk(table, "programme_id", "group_id"),
        )
        _index(table, "group_id")
    op.create_table(
        "pupils",
        _id(),
        *_school("pupils"),
        sa.Column("pupil_number", sa.String(40), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("prefix", sa.String(40), nullable=False),
        sa.Column("last_name", sa.String(100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("role", _enum("role", "tutor", "tutee", "", "geen", length=8), nullable=False),
        sa.Column("motivation", sa.SmallInteger(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        _moment("created_at"),
        _moment("updated_at"),
        _fk("pupils", "group_id", "groups", "SET NULL"),
        _pk("pupils", "id"),
        sa.UniqueConstraint("school_id", "pupil_number", name="uq_pupils_school_id_pupil_number"),
    )
    _index("pupils", "group_id")
    _index("pupils", "school_id")
    op.create_table(
        "user_groups",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        _fk("user_groups", "group_id", "groups", "CASCADE"),
        _fk("user_groups", "user_id", "users", "CASCADE"),
        _pk("user_groups", "user_id", "group_id"),
    )
    _index("user_groups", "group_id")
    op.create_table(
        "level_measurements",
        _id(),
        *_school("level_measurements"),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("subject", _enum("subject", *_SUBJECT, length=10), nullable=False),
        sa.Column("scale", _enum("scale", "avi2009", "avi_old", "functioneringsniveau", length=24), nullable=False),
        sa.Column("code", sa.String(24), nullable=False),
        sa.Column("index_low", sa.Float(), nullable=False),
        sa.Column("index_high", sa.Float(), nullable=False),
        sa.Column("quality", sa.String(12), nullable=True),
        sa.Column("written", sa.String(64), nullable=False),
        sa.Column("note", sa.String(64), nullable=True),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(255), nullable=False),
        _moment("created_at"),
        sa.CheckConstraint("index_low <= index_high", name="ck_level_measurements_index_range"),
        _fk("level_measurements", "pupil_id", "pupils", "CASCADE"),
        _pk("level_measurements", "id"),
        sa.UniqueConstraint(
            "pupil_id", "subject", "measured_on", name="uq_level_measurements_pupil_id_subject_measured_on"
        ),
    )
    _index("level_measurements", "pupil_id")
    _index("level_measurements", "school_id")
    op.create_table(
        "not_with",
        _id(),
        *_school("not_with"),
        sa.Column("pupil_a_id", sa.Integer(), nullable=False),
        sa.Column("pupil_b_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("pupil_a_id < pupil_b_id", name="ck_not_with_ordered"),
        _fk("not_with", "pupil_a_id", "pupils", "CASCADE"),
        _fk("not_with", "pupil_b_id", "pupils", "CASCADE"),
        _pk("not_with", "id"),
        sa.UniqueConstraint("pupil_a_id", "pupil_b_id", name="uq_not_with_pupil_a_id_pupil_b_id"),
    )
    _index("not_with", "pupil_b_id")
    _index("not_with", "school_id")
    op.create_table(
        "pair_constraints",
        _id(),
        *_school("pair_constraints"),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("tutor_id", sa.Integer(), nullable=False),
        sa.Column("tutee_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("constraintkind", "pin", "forbid", length=8), nullable=False),
        _moment("created_at"),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("tutor_id <> tutee_id", name="ck_pair_constraints_two_pupils"),
        _fk("pair_constraints", "created_by_id", "users", "SET NULL"),
        _fk("pair_constraints", "programme_id", "programmes", "CASCADE"),
        _fk("pair_constraints", "tutee_id", "pupils", "CASCADE"),
        _fk("pair_constraints", "tutor_id", "pupils", "CASCADE"),
        _pk("pair_constraints", "id"),
        sa.UniqueConstraint(
            "programme_id", "tutor_id", "tutee_id", name="uq_pair_constraints_programme_id_tutor_id_tutee_id"
        ),
    )
    for column in ("created_by_id", "school_id", "tutee_id", "tutor_id"):
        _index("pair_constraints", column)
    op.create_table(
        "pairs",
        _id(),
        *_school("pairs"),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("tutor_id", sa.Integer(), nullable=False),
        sa.Column("tutee_id", sa.Integer(), nullable=False),
        sa.Column("status", _enum("pairstatus", "proposed", "active", "ended", length=12), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("cost", sa.Float(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(200), nullable=True),
        sa.CheckConstraint("tutor_id <> tutee_id", name="ck_pairs_two_pupils"),
        _fk("pairs", "run_id", "matching_runs", "CASCADE"),
        _fk("pairs", "tutee_id", "pupils", "CASCADE"),
        _fk("pairs", "tutor_id", "pupils", "CASCADE"),
        _pk("pairs", "id"),
        sa.UniqueConstraint("run_id", "tutor_id", "tutee_id", name="uq_pairs_run_id_tutor_id_tutee_id"),
    )
    for column in ("run_id", "school_id", "tutee_id", "tutor_id"):
        _index("pairs", column)


def downgrade() -> None:
    for table in (
        "pairs",
        "pair_constraints",
        "not_with",
        "level_measurements",
        "user_groups",
        "pupils",
        "programme_tutor_groups",
        "programme_tutee_groups",
        "programme_moments",
        "matching_runs",
        "audit_log",
        "users",
        "programmes",
        "groups",
        "schools",
    ):
        op.drop_table(table)
