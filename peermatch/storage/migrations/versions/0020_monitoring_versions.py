"""A change counter per school for the monitoring data, kept by the database itself (issue 14, part 2).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03

Self-contained (imports nothing from ``peermatch``). One new table, ``monitoring_versions`` (one row per school:
``version`` and a random ``epoch``), and triggers on every table the monitoring pages read: any insert, update
or delete of one of their rows adds one to the school's ``version`` (the first one creates the row with a new
random ``epoch``). A monitoring page reads this one row to know whether the data it loaded before is still
current, so an app process sees a check-in stored through another one (issue 14, part 4). The row goes with its
school (foreign key, cascade); a trigger never creates a row for a school that no longer exists. It is the
last migration on purpose: on SQLite a later migration that rebuilds a watched table drops its triggers, so such
a migration must create them again.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the tables whose rows make up what the monitoring pages show, and how a row names its school
_BY_SCHOOL = (
    "groups", "pupils", "level_measurements", "programmes", "matching_runs", "pairs", "training_attempts",
    "checkins", "alert_triage", "school_settings", "school_calendars", "school_holidays", "cancelled_days",
    "practice_signoffs",  # readiness needs the teacher's sign-off (0012)
)  # fmt: skip
_BY_PROGRAMME = ("programme_moments", "programme_tutor_groups", "programme_tutee_groups")
_OPS = ("INSERT", "UPDATE", "DELETE")


def _name(table: str, op_name: str) -> str:
    return f"trg_mv_{table}_{op_name.lower()}"


def _sqlite_bump(school: str) -> str:
    return (
        "INSERT INTO monitoring_versions (school_id, version, epoch) "
        f"SELECT s.id, 1, abs(random() % 2000000000) FROM schools AS s WHERE s.id = ({school}) "
        "ON CONFLICT (school_id) DO UPDATE SET version = monitoring_versions.version + 1;"
    )


_PG_FUNCTION = """
CREATE FUNCTION monitoring_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s integer;
    r record;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    IF TG_ARGV[0] = 'school' THEN
        s := r.school_id;
    ELSE
        SELECT p.school_id INTO s FROM programmes AS p WHERE p.id = r.programme_id;
    END IF;
    INSERT INTO monitoring_versions (school_id, version, epoch)
        SELECT sc.id, 1, floor(random() * 2000000000)::bigint FROM schools AS sc WHERE sc.id = s
        ON CONFLICT (school_id) DO UPDATE SET version = monitoring_versions.version + 1;
    RETURN NULL;
END;
$$
"""


def upgrade() -> None:
    op.create_table(
        "monitoring_versions",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("epoch", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_monitoring_versions_school_id_schools", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("school_id", name="pk_monitoring_versions"),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(_PG_FUNCTION)
    for table in (*_BY_SCHOOL, *_BY_PROGRAMME):
        kind = "school" if table in _BY_SCHOOL else "programme"
        for op_name in _OPS:
            if dialect == "postgresql":
                op.execute(
                    f"CREATE TRIGGER {_name(table, op_name)} AFTER {op_name} ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION monitoring_bump('{kind}')"
                )
                continue
            row = "OLD" if op_name == "DELETE" else "NEW"
            school = (
                f"{row}.school_id"
                if kind == "school"
                else f"SELECT p.school_id FROM programmes AS p WHERE p.id = {row}.programme_id"
            )
            op.execute(
                f"CREATE TRIGGER {_name(table, op_name)} AFTER {op_name} ON {table} FOR EACH ROW "
                f"BEGIN {_sqlite_bump(school)} END"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in (*_BY_SCHOOL, *_BY_PROGRAMME):
        for op_name in _OPS:
            on = f" ON {table}" if dialect == "postgresql" else ""
            op.execute(f"DROP TRIGGER IF EXISTS {_name(table, op_name)}{on}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS monitoring_bump()")
    op.drop_table("monitoring_versions")
