"""Logins that resist guessing: one throttle table, a forced password change, the demo school marked.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03

Self-contained (imports nothing from ``peermatch``).

* ``login_throttles`` replaces ``pupil_login_failures`` (one row per failed try and class code): one row per
  key (a staff account, a pupil, a client address) with its failures, growing wait and lock. The old rows
  only held waits of at most 15 minutes, so they are dropped, not converted.
* ``users.must_change_password``: a generated password must be changed at the next login. Existing
  accounts: false (their passwords were chosen or handed out before this rule).
* ``schools.demo``: the demo school ("OBS De Maasbrug (demo)", public passwords) is marked, so its accounts
  stop logging in once a real school exists (unless ``PEERMATCH_DEMO=1``).
* ``pupil_credentials.login_number``: the pupil's number on the login card (1-99, unique in the group), typed
  at login so a wrong code counts against that pupil only, never the class. Cards printed before this
  revision have no number: their rows keep a null number, which no login matches, and the Tutors page tells
  the teacher to print that group's cards again (the plain codes were never stored, so they cannot be
  numbered here). Nothing else of the pupil is touched. The same goes for the weak picture codes (3 different
  of 12 pictures: 1,320 codes), which ``peermatch.pupil_auth`` no longer accepts (5 of 16, repeats allowed:
  1,048,576): their cards are reported on Tutors and replaced by new ones, their rows are not deleted here.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEMO_SCHOOL_NAME = "OBS De Maasbrug (demo)"


def upgrade() -> None:
    op.create_table(
        "login_throttles",
        sa.Column("key", sa.String(160), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locks", sa.Integer(), nullable=False),
        sa.Column("wait_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name="pk_login_throttles"),
    )
    op.create_index("ix_login_throttles_last_failure_at", "login_throttles", ["last_failure_at"])
    op.drop_index("ix_pupil_login_failures_code_at", table_name="pupil_login_failures")
    op.drop_table("pupil_login_failures")
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("schools") as batch:
        batch.add_column(sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False))
    schools = sa.table("schools", sa.column("name", sa.String()), sa.column("demo", sa.Boolean()))
    op.execute(schools.update().where(schools.c.name == DEMO_SCHOOL_NAME).values(demo=True))
    with op.batch_alter_table("pupil_credentials") as batch:
        batch.add_column(sa.Column("login_number", sa.SmallInteger(), nullable=True))
        batch.create_unique_constraint("uq_pupil_credentials_group_id_login_number", ["group_id", "login_number"])


def downgrade() -> None:
    with op.batch_alter_table("pupil_credentials") as batch:
        batch.drop_constraint("uq_pupil_credentials_group_id_login_number", type_="unique")
        batch.drop_column("login_number")
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("demo")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("must_change_password")
    op.drop_index("ix_login_throttles_last_failure_at", table_name="login_throttles")
    op.drop_table("login_throttles")
    op.create_table(
        "pupil_login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_code", sa.String(12), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_pupil_login_failures"),
    )
    op.create_index("ix_pupil_login_failures_code_at", "pupil_login_failures", ["class_code", "at"])
