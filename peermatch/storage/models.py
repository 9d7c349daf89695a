"""The tables. Every table that holds pupil data carries ``school_id``, and deleting a school or a pupil
deletes everything that hangs from it (ON DELETE CASCADE; SQLite enforces it because the engine sets
``PRAGMA foreign_keys=ON``).

::

    School ─┬─ Group ─┬─ UserGroup ── User ── AuditLog
            │         └─ programme_tutor_groups / programme_tutee_groups ── Programme ─ ProgrammeMoment
            ├─ PupilRow ─┬─ LevelMeasurementRow (a history: one row per subject per measurement date)
            │         └─ NotWith (pupil pair that must never be matched, stored once with a < b)
            └─ Programme ─┬─ PairConstraint (pin / forbid, kept across re-runs)
                          └─ MatchingRun ── PairRow (tutor, tutee) ── CheckInRow (after every session)
    Group ── GroupLoginCode (class code);  PupilRow ─┬─ PupilCredential (argon2 hash of the personal code)
                                                  ├─ TrainingAttempt (one quiz try)
                                                  └─ PracticeSignoff (a teacher saw the tutor practise a module)
    LoginThrottle (failed logins per account, pupil or address: waits and locks; no pupil data)
    PairRow ─┬─ AlertTriage (one row per triage step of a monitoring alert, keyed by the alert's stable id)
          └─ EvaluationTalk ("Wat ging goed? Wat kan beter? Wat kan ik voor je doen?")
    School ── SchoolSettings (one row: the settings the school may change, e.g. the pair-health thresholds)
    School ── SchoolCalendarRow (one row: the school's holiday region)
    School ── SchoolRetention (one row: how many months after the school year check-ins, worries, pairs are kept)
    School ── SchoolLetterContact (one row: how parents reach the school, printed in every parent letter)
    School ── SchoolHoliday (the school's own changes to its region's shipped holidays: added or removed)
    Programme ── CancelledDay ("vandaag geen maatjes-moment": no session planned that day)
    PairRow ── OutcomeAnswerRow (the before/after scale of the tutor or the tutee; also hangs from the pupil)

Schema changes go through Alembic (``storage/migrations``); ``tests/unit/test_storage_migrations.py``
proves the migrations and these models agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from peermatch.model import Role, Subject
from peermatch.storage.enums import ConstraintKind, PairStatus, RunStatus, Scale, StaffRole

__all__ = [
    "AlertTriage",
    "AuditLog",
    "Base",
    "BoardRow",
    "BoardSchoolRow",
    "BoardUserRow",
    "CancelledDay",
    "CheckInRow",
    "EvaluationTalk",
    "Group",
    "GroupLoginCode",
    "LevelMeasurementRow",
    "LoginThrottle",
    "MatchingRun",
    "MonitoringVersion",
    "NotWith",
    "OutcomeAnswerRow",
    "PairConstraint",
    "PairRow",
    "PracticeSignoff",
    "Programme",
    "ProgrammeMoment",
    "PupilCredential",
    "PupilRow",
    "School",
    "SchoolCalendarRow",
    "SchoolHoliday",
    "SchoolLetterContact",
    "SchoolRetention",
    "SchoolSettings",
    "TrainingAttempt",
    "User",
    "UserGroup",
    "UtcDateTime",
    "programme_tutee_groups",
    "programme_tutor_groups",
    "utcnow",
]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A moment in time, stored in UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware one (UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _text_enum(enum: type[StrEnum], length: int) -> sa.Enum:
    """A StrEnum stored as its value in a VARCHAR (no native enum type, so migrations stay simple)."""
    return sa.Enum(enum, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


def _school_fk() -> Mapped[int]:
    return mapped_column(sa.ForeignKey("schools.id", ondelete="CASCADE"), index=True)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class School(Base):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # migration 0011: the demo school (public passwords): its accounts log in only while no real school
    # exists, or with PEERMATCH_DEMO=1
    demo: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class Group(Base):
    """A class as the school names it: "5B", "Vlinders", "1/2A"."""

    __tablename__ = "groups"
    __table_args__ = (sa.UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = _school_fk()
    name: Mapped[str] = mapped_column(sa.String(40))
    grade: Mapped[int | None] = mapped_column(sa.SmallInteger)


class PupilRow(Base):
    __tablename__ = "pupils"
    __table_args__ = (sa.UniqueConstraint("school_id", "pupil_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = _school_fk()
    pupil_number: Mapped[str] = mapped_column(sa.String(40))  # text: leading zeros kept
    first_name: Mapped[str] = mapped_column(sa.String(100))
    prefix: Mapped[str] = mapped_column(sa.String(40), default="")
    last_name: Mapped[str] = mapped_column(sa.String(100), default="")
    birth_date: Mapped[date | None] = mapped_column(sa.Date)
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("groups.id", ondelete="SET NULL"), index=True)
    role: Mapped[Role] = mapped_column(_text_enum(Role, 8), default=Role.OPEN)
    motivation: Mapped[int | None] = mapped_column(sa.SmallInteger)
    active: Mapped[bool] = mapped_column(default=True)
    left_on: Mapped[date | None] = mapped_column(sa.Date)  # leaves the school on this date (pairs end then)
    takes_part: Mapped[bool] = mapped_column(default=True, server_default=sa.true())  # False: "doet niet mee"
    # the language of the parent letter for this pupil's family (reports.LETTER_LANGUAGES); None: Dutch (0017)
    family_language: Mapped[str | None] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    group: Mapped[Group | None] = relationship()


class LevelMeasurementRow(Base):
    """One level of one pupil in one subject on one date. A pupil has a history, not one value."""

    __tablename__ = "level_measurements"
    __table_args__ = (
        sa.UniqueConstraint("pupil_id", "subject", "measured_on"),
        sa.CheckConstraint("index_low <= index_high", name="index_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = _school_fk()
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"), index=True)
    subject: Mapped[Subject] = mapped_column(_text_enum(Subject, 10))
    scale: Mapped[Scale] = mapped_column(_text_enum(Scale, 24))
    code: Mapped[str] = mapped_column(sa.String(24))  # canonical: "M4", "Plus", "AVI 5 (oud)"
    index_low: Mapped[float] = mapped_column(sa.Float)
    index_high: Mapped[float] = mapped_column(sa.Float)
    quality: Mapped[str | None] = mapped_column(sa.String(12))  # beheersing / instructie / frustratie
    written: Mapped[str] = mapped_column(sa.String(64), default="")  # exactly as in the file
    note: Mapped[str | None] = mapped_column(sa.String(64))  # i18n code, e.g. "levels.note.avi_uit"
    measured_on: Mapped[date] = mapped_column(sa.Date)
    source: Mapped[str] = mapped_column(sa.String(255), default="")  # e.g. the file name
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class NotWith(Base):
    """Two pupils who must never be paired (siblings, a conflict). Stored once, ``pupil_a_id < pupil_b_id``."""

    __tablename__ = "not_with"
    __table_args__ = (
        sa.UniqueConstraint("pupil_a_id", "pupil_b_id"),
        sa.CheckConstraint("pupil_a_id < pupil_b_id", name="ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = _school_fk()
    pupil_a_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"))
    pupil_b_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"), index=True)


programme_tutor_groups = sa.Table(
    "programme_tutor_groups",
    Base.metadata,
    sa.Column("programme_id", sa.ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("group_id", sa.ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True, index=True),
)
programme_tutee_groups = sa.Table(
    "programme_tutee_groups",
    Base.metadata,
    sa.Column("programme_id", sa.ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("group_id", sa.ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Programme(Base):
    """A tutoring programme: which groups tutor which groups, in what subject, when and how long."""

    __tablename__ = "programmes"
    __table_args__ = (sa.UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = _school_fk()
    name: Mapped[str] = mapped_column(sa.String(120))
    subject: Mapped[Subject] = mapped_column(_text_enum(Subject, 10))
    start_date: Mapped[date | None] = mapped_column(sa.Date)
    weeks: Mapped[int] = mapped_column(sa.SmallInteger)
    sessions_per_week: Mapped[int] = mapped_column(sa.SmallInteger)
    minutes_per_session: Mapped[int] = mapped_column(sa.SmallInteger)
    rules: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)  # margin, age gaps, capacity, weights ...
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    tutor_groups: Mapped[list[Group]] = relationship(secondary=programme_tutor_groups, order_by=Group.name)
    tutee_groups: Mapped[list[Group]] = relationship(secondary=programme_tutee_groups, order_by=Group.name)
    moments: Mapped[list[ProgrammeMoment]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="[ProgrammeMoment.weekday, ProgrammeMoment.start]"
    )


class ProgrammeMoment(Base):
    """A fixed weekly moment: weekday 1 (Monday) to 7 (Sunday), start and end time."""

    __tablename__ = "programme_moments"
    __table_args__ = (
        sa.CheckConstraint("weekday BETWEEN 1 AND 7", name="weekday"),
        sa.CheckConstraint("start_time < end_time", name="start_before_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(sa.SmallInteger)
    start: Mapped[time] = mapped_column("start_time", sa.Time)
    end: Mapped[time] = mapped_column("end_time", sa.Time)


class User(Base):
    """A staff account. Usernames are unique across all schools, so login needs no school picker."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = _school_fk()
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)  # stored lower-case
    display_name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))  # argon2id, never the password
    role: Mapped[StaffRole] = mapped_column(_text_enum(StaffRole, 12))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # e-mail notifications (migration 0006): no address, no mail
    email: Mapped[str | None] = mapped_column(sa.String(254))
    notify_signals: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    notify_weekly: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # migration 0011: a generated password (a reset, create-school) must be changed at the next login
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class UserGroup(Base):
    """A group a leerkracht teaches (and so may see)."""

    __tablename__ = "user_groups"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True, index=True)


class MatchingRun(Base):
    """One run of the matcher for a programme: a draft until published; at most one published run."""

    __tablename__ = "matching_runs"
    __table_args__ = (
        sa.Index(
            "uq_matching_runs_one_published",
            "programme_id",
            unique=True,
            sqlite_where=sa.text("status = 'published'"),
            postgresql_where=sa.text("status = 'published'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = _school_fk()
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    status: Mapped[RunStatus] = mapped_column(_text_enum(RunStatus, 12), default=RunStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    rules: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)  # the rules this run used
    summary: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)  # counts, unpaired reasons ...

    pairs: Mapped[list[PairRow]] = relationship(
        back_populates="run", cascade="all, delete-orphan", passive_deletes=True, order_by="PairRow.id"
    )


class PairRow(Base):
    __tablename__ = "pairs"
    __table_args__ = (
        sa.UniqueConstraint("run_id", "tutor_id", "tutee_id"),
        sa.CheckConstraint("tutor_id <> tutee_id", name="two_pupils"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = _school_fk()
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_runs.id", ondelete="CASCADE"), index=True)
    tutor_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"), index=True)
    tutee_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"), index=True)
    status: Mapped[PairStatus] = mapped_column(_text_enum(PairStatus, 12), default=PairStatus.PROPOSED)
    pinned: Mapped[bool] = mapped_column(default=False)
    explanation: Mapped[Any] = mapped_column(sa.JSON, default=list)  # reasons (i18n codes + params, or text)
    cost: Mapped[float | None] = mapped_column(sa.Float)
    start_date: Mapped[date | None] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    end_reason: Mapped[str | None] = mapped_column(sa.String(200))

    run: Mapped[MatchingRun] = relationship(back_populates="pairs")


class PairConstraint(Base):
    """A teacher's pin or forbid for one tutor-tutee pair in a programme, kept across re-runs."""

    __tablename__ = "pair_constraints"
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "tutor_id", "tutee_id"),
        sa.CheckConstraint("tutor_id <> tutee_id", name="two_pupils"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = _school_fk()
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programmes.id", ondelete="CASCADE"))
    tutor_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"), index=True)
    tutee_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ConstraintKind] = mapped_column(_text_enum(ConstraintKind, 8))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)


class AuditLog(Base):
    """Who viewed, changed or exported which pupil data, and when. Ids only: never names or levels."""

    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_school_at", "school_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("schools.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(sa.String(20))  # see enums.AuditAction
    entity: Mapped[str] = mapped_column(sa.String(40))  # "pupil", "group", "programme", "run", "roster" ...
    entity_id: Mapped[str | None] = mapped_column(sa.String(40))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # counts or which groups (migration 0010_retention): never names, levels or texts of pupils
    detail: Mapped[str | None] = mapped_column(sa.String(300))


# --- Pupil login, training attempts and check-ins (migration 0002) -----------------------------------


class GroupLoginCode(Base):
    """The class code of a group, printed on every login card of that group. Unique across all schools,
    so a pupil needs no school picker. ``salt`` salts the argon2 hashes of the group's personal codes."""

    __tablename__ = "group_login_codes"

    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    school_id: Mapped[int] = _school_fk()
    class_code: Mapped[str] = mapped_column(sa.String(12), unique=True)
    code_kind: Mapped[str] = mapped_column(sa.String(10), default="text")  # "text" or "pictures"
    salt: Mapped[str] = mapped_column(sa.String(64))  # hex
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PupilCredential(Base):
    """A pupil's personal login code, as an argon2id hash only (the plain code is shown once, for printing)."""

    __tablename__ = "pupil_credentials"
    __table_args__ = (
        sa.UniqueConstraint("group_id", "code_hash"),
        sa.UniqueConstraint("group_id", "login_number", name="uq_pupil_credentials_group_id_login_number"),
    )

    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"), primary_key=True)
    school_id: Mapped[int] = _school_fk()
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(255))
    # migration 0011: the pupil's number on the card (1-99), typed at login; null on a card made before 0011
    # (it has no number: the teacher prints the group's cards again)
    login_number: Mapped[int | None] = mapped_column(sa.SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class LoginThrottle(Base):
    """The failed logins of one key (``user:<username>``, ``addr:<ip>``, ``pupil:<id>``, ``class-addr:<ip>``):
    the growing wait and the lock of ``peermatch.auth.throttle``. Forgotten a day after the last failure."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(sa.String(160), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locks: Mapped[int] = mapped_column(default=0)
    wait_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_failure_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)


class TrainingAttempt(Base):
    """One try of one tutor at one module's quiz; ``answers`` is a list of {question_id, chosen, correct}."""

    __tablename__ = "training_attempts"
    __table_args__ = (
        sa.UniqueConstraint("pupil_id", "module_id", "attempt_no"),
        sa.CheckConstraint("correct >= 0 AND correct <= total", name="score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = _school_fk()
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[str] = mapped_column(sa.String(80))
    module_version: Mapped[int] = mapped_column(sa.SmallInteger)
    attempt_no: Mapped[int] = mapped_column(sa.SmallInteger)
    taken_on: Mapped[date] = mapped_column(sa.Date)
    correct: Mapped[int] = mapped_column(sa.SmallInteger)
    total: Mapped[int] = mapped_column(sa.SmallInteger)
    passed: Mapped[bool] = mapped_column()
    answers: Mapped[Any] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PracticeSignoff(Base):
    """A teacher watched the tutor do a module's "Probeer het" role-play: one row per tutor and module.

    Undoing the sign-off deletes the row (both are audited). ``signed_by_name`` keeps who signed when the
    account is gone."""

    __tablename__ = "practice_signoffs"
    __table_args__ = (sa.UniqueConstraint("pupil_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = _school_fk()
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[str] = mapped_column(sa.String(80))
    signed_on: Mapped[date] = mapped_column(sa.Date)
    signed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    signed_by_name: Mapped[str] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class CheckInRow(Base):
    """The tutor's check-in after one session of a pair, one per pair and day (a second one edits it).
    ``submission_id`` (a client-made uuid) makes a resubmit return the stored row instead of a duplicate.
    ``worry`` and ``worry_text`` are for the
    group's teacher and the IB'er only: no pupil-facing function returns them."""

    __tablename__ = "checkins"
    __table_args__ = (
        sa.Index("ix_checkins_school_date", "school_id", "session_date"),
        sa.Index("uq_checkins_pair_day", "pair_id", "session_date", unique=True),  # one per pair and day (0005)
        sa.CheckConstraint("minutes BETWEEN 0 AND 120", name="minutes"),
        sa.CheckConstraint("tutor_mood BETWEEN 1 AND 5", name="tutor_mood"),
        sa.CheckConstraint("tutee_fun BETWEEN 1 AND 5", name="tutee_fun"),
        sa.CheckConstraint("tutee_learned BETWEEN 1 AND 5", name="tutee_learned"),
        sa.CheckConstraint("tutor_together BETWEEN 1 AND 5", name="tutor_together"),  # 0018
        sa.CheckConstraint("tutee_together BETWEEN 1 AND 5", name="tutee_together"),  # 0018
    )
    # the server defaults of 0018 are read when used, not RETURNed by the insert (an old schema lacks them)
    __mapper_args__ = {"eager_defaults": False}  # noqa: RUF012

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = _school_fk()
    submission_id: Mapped[str] = mapped_column(sa.String(36), unique=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    tutor_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"), index=True)
    tutee_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"), index=True)
    session_date: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(16))  # checkins.SessionStatus
    minutes: Mapped[int | None] = mapped_column(sa.SmallInteger)
    activity: Mapped[str] = mapped_column(sa.String(200), default="")
    tutor_mood: Mapped[int | None] = mapped_column(sa.SmallInteger)
    went_well: Mapped[str] = mapped_column(sa.String(300), default="")
    was_hard: Mapped[str] = mapped_column(sa.String(300), default="")
    try_next: Mapped[str] = mapped_column(sa.String(300), default="")
    needs_help: Mapped[bool] = mapped_column(default=False)
    worry: Mapped[bool] = mapped_column(default=False)
    worry_text: Mapped[str] = mapped_column(sa.String(500), default="")
    tutee_fun: Mapped[int | None] = mapped_column(sa.SmallInteger)
    tutee_learned: Mapped[int | None] = mapped_column(sa.SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # migration 0018: the relationship and a voice for both children. "Hoe ging het samen?" (1-5) of each;
    # "Ik wil zelf iets vertellen" (the tutor's own trouble) and "Ik wil de juf iets vertellen" (the tutee's,
    # on the tutee's own login): each also raises ``worry`` so the signal pages show it; staff only.
    # Server defaults only (no Python default): an insert that does not set them leaves them out, so a row can
    # still be inserted into a database from before 0018 (the tests of older migrations do).
    tutor_together: Mapped[int | None] = mapped_column(sa.SmallInteger, server_default=sa.null())
    tutee_together: Mapped[int | None] = mapped_column(sa.SmallInteger, server_default=sa.null())
    tutor_own: Mapped[bool] = mapped_column(server_default=sa.false())
    tutor_own_text: Mapped[str] = mapped_column(sa.String(500), server_default="")
    tutee_says: Mapped[bool] = mapped_column(server_default=sa.false())
    tutee_says_text: Mapped[str] = mapped_column(sa.String(300), server_default="")
    # False while only the tutee answered (on their own login) and the tutor's check-in of that day is to come
    tutor_checked_in: Mapped[bool] = mapped_column(server_default=sa.true())
    tutee_answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, server_default=sa.null())


# --- Monitoring: alert triage and evaluation talks (migration 0003) ----------------------------------


class AlertTriage(Base):
    """One triage step of a monitoring alert (nieuw → in_behandeling → afgehandeld). The alert itself is
    not stored: it is generated again from the check-ins, with the same stable ``alert_id``; the newest
    step of an ``alert_id`` is its state. ``note`` may mention what was done: staff only."""

    __tablename__ = "alert_triage"
    __table_args__ = (sa.Index("ix_alert_triage_school_alert", "school_id", "alert_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = _school_fk()
    alert_id: Mapped[str] = mapped_column(sa.String(40))
    kind: Mapped[str] = mapped_column(sa.String(20))  # monitoring.AlertKind
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(sa.String(16))  # monitoring.TriageState
    note: Mapped[str] = mapped_column(sa.String(1000), default="")
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    by_name: Mapped[str] = mapped_column(sa.String(120), default="")  # kept when the account is removed
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class EvaluationTalk(Base):
    """A structured evaluation talk with a pair, held by the teacher or the IB'er (e.g. before a holiday)."""

    __tablename__ = "evaluation_talks"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = _school_fk()
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(sa.Date)
    went_well: Mapped[str] = mapped_column(sa.String(1000), default="")
    could_be_better: Mapped[str] = mapped_column(sa.String(1000), default="")
    what_can_i_do: Mapped[str] = mapped_column(sa.String(1000), default="")
    # migration 0018: the tutor's and the tutee's own parts, and the relationship item (1-5, "Hoe gaat het samen?")
    tutor_part: Mapped[str] = mapped_column(sa.String(1000), default="", server_default="")
    tutee_part: Mapped[str] = mapped_column(sa.String(1000), default="", server_default="")
    relationship: Mapped[int | None] = mapped_column(sa.SmallInteger)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    by_name: Mapped[str] = mapped_column(sa.String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SchoolSettings(Base):
    """The settings a school may change (beheerder and ib; see ``storage.settings``), one row per school.

    ``monitoring_thresholds`` holds the pair-health numbers that differ from the defaults of
    :class:`peermatch.monitoring.Thresholds`, as JSON (``{"no_checkin_days": 7}``); unknown keys are ignored
    when read, missing keys take the default. No pupil data."""

    __tablename__ = "school_settings"

    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    monitoring_thresholds: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    updated_by_name: Mapped[str] = mapped_column(sa.String(120), default="")  # kept when the account is removed


# --- The school's calendar: holiday changes and cancelled days (migration 0007_calendar) -------------------


class SchoolCalendarRow(Base):
    """The school's holiday region (noord / midden / zuid, as :class:`peermatch.calendar.Region`), one row per
    school; a school without a row is in zuid. Changed by the beheerder and the ib. No pupil data."""

    __tablename__ = "school_calendars"

    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    holiday_region: Mapped[str] = mapped_column(sa.String(8), default="zuid")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    updated_by_name: Mapped[str] = mapped_column(sa.String(120), default="")


class SchoolHoliday(Base):
    """A school's change to the holidays shipped for its region (``peermatch/calendar/schoolvakanties.toml``):
    ``removed`` false is a period the school added, ``removed`` true hides the shipped period with these first
    and last days. No pupil data."""

    __tablename__ = "school_holidays"
    __table_args__ = (
        sa.UniqueConstraint("school_id", "first_day", "last_day"),
        sa.CheckConstraint("first_day <= last_day", name="first_before_last"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = _school_fk()
    first_day: Mapped[date] = mapped_column(sa.Date)
    last_day: Mapped[date] = mapped_column(sa.Date)
    name: Mapped[str] = mapped_column(sa.String(80))
    removed: Mapped[bool] = mapped_column(default=False)
    by_name: Mapped[str] = mapped_column(sa.String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class CancelledDay(Base):
    """A day a programme's session does not take place ("vandaag geen maatjes-moment"): no session is planned,
    so no pair is behind for it. Undone by deleting the row."""

    __tablename__ = "cancelled_days"
    __table_args__ = (sa.UniqueConstraint("programme_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = _school_fk()
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(sa.Date)
    reason: Mapped[str] = mapped_column(sa.String(200), default="")
    by_name: Mapped[str] = mapped_column(sa.String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


# --- Retention: how long a school keeps its pupils' check-ins, worries and pairs (migration 0010_retention) ----


class SchoolRetention(Base):
    """How many months after the end of the school year (31 July) the school keeps check-ins, worry texts and
    pair histories (:class:`peermatch.retention.Retention`), one row per school; a school without a row keeps
    the defaults. Changed by the beheerder. ``last_run_on``: the day the retention run last looked. No pupil data."""

    __tablename__ = "school_retention"

    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    checkin_months: Mapped[int] = mapped_column(sa.SmallInteger, default=12)
    worry_months: Mapped[int] = mapped_column(sa.SmallInteger, default=3)
    pair_months: Mapped[int] = mapped_column(sa.SmallInteger, default=12)
    last_run_on: Mapped[date | None] = mapped_column(sa.Date)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_by_name: Mapped[str] = mapped_column(sa.String(120), default="")


# --- The weekly focus of a programme (migration 0016_weekly_focus) -----------------------------------------------


class WeeklyFocusRow(Base):
    """What the teacher wants a programme's pairs to work on in one school week (``week``: its Monday), as
    :class:`peermatch.focus.WeeklyFocus`. One per programme and week; set again, it is replaced. No pupil data."""

    __tablename__ = "weekly_focus"
    __table_args__ = (sa.UniqueConstraint("programme_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = _school_fk()
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    week: Mapped[date] = mapped_column(sa.Date)
    kind: Mapped[str] = mapped_column(sa.String(12))
    text: Mapped[str] = mapped_column(sa.String(300))
    by_name: Mapped[str] = mapped_column(sa.String(120), default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


# --- The parent letter: how parents reach the school (migration 0017_family_language) ------------------------------


class SchoolLetterContact(Base):
    """How parents reach the school, printed in every parent letter: ``name`` (e.g. "juf Anna de Vries, intern
    begeleider"; empty: the school), ``detail`` (a phone number or e-mail address) and ``schoolyard`` (the letter
    also invites them to talk to the teacher on the schoolyard). One row per school; a school without a row has
    the schoolyard line only. Changed by the beheerder and the ib. No pupil data."""

    __tablename__ = "school_letter_contact"

    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    detail: Mapped[str] = mapped_column(sa.String(200), default="")
    schoolyard: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_by_name: Mapped[str] = mapped_column(sa.String(120), default="")


# --- Boards above schools (migration 0019_boards) -----------------------------------------------------------------


class BoardRow(Base):
    """A school board or a city programme (*Mentoren op Zuid*) above several schools. No pupil data."""

    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class BoardSchoolRow(Base):
    """A school of a board: the board's coordinator sees its aggregates (never its pupils)."""

    __tablename__ = "board_schools"

    board_id: Mapped[int] = mapped_column(sa.ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True)
    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class BoardUserRow(Base):
    """The board a *bovenschools coördinator* account (role ``bovenschools``) belongs to: one board per account.

    ``users.school_id`` of such an account is the board's first school (the column is NOT NULL), but nothing
    reads it as a right: every board check goes by the role and this row (``storage.boards``)."""

    __tablename__ = "board_users"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    board_id: Mapped[int] = mapped_column(sa.ForeignKey("boards.id", ondelete="CASCADE"), index=True)


# --- The monitoring data's change counter (migration 0020_monitoring_versions) ---------------------------------


class MonitoringVersion(Base):
    """One row per school, kept by database triggers (migration 0020): ``version`` goes up by one with every
    insert, update or delete in a table the monitoring pages read; ``epoch`` is random, drawn when the row is
    made (so a counter that starts again, e.g. after a restore, is never mistaken for the old one). A page reads
    this row to know whether the data it loaded before is still current, in every app process alike."""

    __tablename__ = "monitoring_versions"

    school_id: Mapped[int] = mapped_column(sa.ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger)
    epoch: Mapped[int] = mapped_column(sa.BigInteger)


# --- Broader outcomes: the before/after scale (migration 0021_outcome_scale) ------------------------------------


class OutcomeAnswerRow(Base):
    """One pupil's answer to the 3-item scale (:mod:`peermatch.outcome_scale`) in one pair, at one moment ("voor"
    or "na"): confidence, pleasure and courage, each 1-5. One per pair, pupil and moment; the first is kept. Goes
    with its pair (programme deletion, retention of pairs), its pupil and its school (cascade)."""

    __tablename__ = "outcome_answers"
    __table_args__ = (
        sa.UniqueConstraint("pair_id", "pupil_id", "moment"),
        sa.CheckConstraint("confidence BETWEEN 1 AND 5", name="confidence"),
        sa.CheckConstraint("pleasure BETWEEN 1 AND 5", name="pleasure"),
        sa.CheckConstraint("courage BETWEEN 1 AND 5", name="courage"),
        sa.CheckConstraint("moment IN ('voor', 'na')", name="moment"),
        sa.CheckConstraint("side IN ('tutor', 'tutee')", name="side"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = _school_fk()
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(sa.String(8))  # outcome_scale.Side
    moment: Mapped[str] = mapped_column(sa.String(8))  # outcome_scale.Moment
    subject: Mapped[str] = mapped_column(sa.String(12))  # the programme's, as the items were worded
    confidence: Mapped[int] = mapped_column(sa.SmallInteger)
    pleasure: Mapped[int] = mapped_column(sa.SmallInteger)
    courage: Mapped[int] = mapped_column(sa.SmallInteger)
    answered_on: Mapped[date] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
