"""The school's calendar: a holiday region per school, the school's changes to its region's holidays, the
days a programme's session was cancelled; and sessions per week that agree with the moments.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

Self-contained (imports nothing from ``peermatch``). Three new tables, existing ones untouched (no table
rebuild on SQLite): ``school_calendars`` (the region; a school without a row is in ``zuid``),
``school_holidays`` and ``cancelled_days``. A programme
whose ``sessions_per_week`` disagrees with its weekly moments (one moment, "3 keer per week") is set to one
session per distinct weekday of its moments: the plan has exactly one session per moment from now on, and the
number stored is what the plan counts. Programmes without moments keep their number. The downgrade drops the
new tables; the corrected numbers stay (they were wrong before).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_programmes = sa.table("programmes", sa.column("id", sa.Integer), sa.column("sessions_per_week", sa.SmallInteger))
_moments = sa.table("programme_moments", sa.column("programme_id", sa.Integer), sa.column("weekday", sa.SmallInteger))


def _sessions_follow_the_moments() -> None:
    bind = op.get_bind()
    per_programme = bind.execute(
        sa.select(_moments.c.programme_id, sa.func.count(sa.distinct(_moments.c.weekday))).group_by(
            _moments.c.programme_id
        )
    ).all()
    for programme_id, weekdays in per_programme:
        bind.execute(
            sa.update(_programmes)
            .where(_programmes.c.id == programme_id, _programmes.c.sessions_per_week != weekdays)
            .values(sessions_per_week=weekdays)
        )


def upgrade() -> None:
    op.create_table(
        "school_calendars",
        sa.Column("school_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("holiday_region", sa.String(8), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_name", sa.String(120), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_school_calendars_school_id_schools", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("school_id", name="pk_school_calendars"),
    )
    op.create_table(
        "school_holidays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("by_name", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("first_day <= last_day", name="ck_school_holidays_first_before_last"),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_school_holidays_school_id_schools", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_school_holidays"),
        sa.UniqueConstraint(
            "school_id", "first_day", "last_day", name="uq_school_holidays_school_id_first_day_last_day"
        ),
    )
    op.create_index("ix_school_holidays_school_id", "school_holidays", ["school_id"])
    op.create_table(
        "cancelled_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("by_name", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_cancelled_days_school_id_schools", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programmes.id"], name="fk_cancelled_days_programme_id_programmes", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_cancelled_days"),
        sa.UniqueConstraint("programme_id", "day", name="uq_cancelled_days_programme_id_day"),
    )
    op.create_index("ix_cancelled_days_school_id", "cancelled_days", ["school_id"])
    op.create_index("ix_cancelled_days_programme_id", "cancelled_days", ["programme_id"])
    _sessions_follow_the_moments()


def downgrade() -> None:
    op.drop_table("cancelled_days")
    op.drop_table("school_holidays")
    op.drop_table("school_calendars")
