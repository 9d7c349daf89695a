"""A class checking in at once, without a browser: 30 check-ins at the same moment while 10 threads keep the
interpreter busy (other sessions' page runs), on a SQLite file, by the old path and by today's service.

    .venv/bin/python -m benchmarks.burst           # prints the table (about half a minute)

*old*: the whole check-in (reads, validation, insert) in one write transaction that waits up to SQLite's 5 s
busy timeout, as ``save_checkin`` did before issue 14; *now*: ``peermatch.services.checkins.save_checkin``
(reads and validation first, then only the insert, retried while busy: ``Database.write_retrying``).
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from argon2 import PasswordHasher

from benchmarks.measure import fmt_s
from peermatch import pupil_auth
from peermatch.checkins import CheckInForm, SessionStatus, new_submission_id
from peermatch.demo import generate_school
from peermatch.demo_school.seed import demo_pupil_logins, seed_demo
from peermatch.pupil_auth import AuthenticatedPupil
from peermatch.services import Database
from peermatch.services.checkins import save_checkin, submit_checkin
from peermatch.services.pupil_home import own_pairs
from peermatch.services.pupil_login import pupil_login
from peermatch.storage.models import CheckInRow

WRITERS, BUSY_THREADS = 30, 10
TODAY = date.today()


def _forms(db: Database, pupils: list[AuthenticatedPupil]) -> list[tuple[AuthenticatedPupil, CheckInForm]]:
    jobs = []
    for i in range(WRITERS):
        pupil = pupils[i % len(pupils)]  # a day of its own per writer: one check-in per pair and day
        pair = own_pairs(db, pupil)[0]
        form = CheckInForm(submission_id=new_submission_id(), pair_id=pair.pair_id,
                           session_date=TODAY - timedelta(days=i // len(pupils)), status=SessionStatus.HELD, minutes=20,
                           activity="samen lezen", tutor_mood=4, went_well="Hij las zelf", tutee_fun=5,
                           tutee_learned=4)  # fmt: skip
        jobs.append((pupil, form))
    return jobs


def _old(db: Database, pupil: AuthenticatedPupil, form: CheckInForm) -> object:
    with db.write() as session:
        return submit_checkin(session, pupil, form, today=TODAY)


def _now(db: Database, pupil: AuthenticatedPupil, form: CheckInForm) -> object:
    return save_checkin(db, pupil, form, today=TODAY)


def _burst(save: Callable[[Database, AuthenticatedPupil, CheckInForm], object]) -> tuple[int, int, float]:
    """(stored, failed, seconds) for one burst on a fresh demo database."""
    with tempfile.TemporaryDirectory() as folder:
        db = Database.connect(f"sqlite:///{Path(folder) / 'burst.db'}")
        with db.write() as session:
            seed_demo(session, generate_school(200, 2026), tutor_activity=True)
        with db.read() as session:
            cards = demo_pupil_logins(session)
        pupils = [p for c in cards if (p := pupil_login(db, c.class_code, c.number, c.personal_code)) is not None]
        jobs = _forms(db, pupils)
        with db.read() as session:
            before = session.scalar(sa.select(sa.func.count()).select_from(CheckInRow)) or 0
        failed: list[BaseException] = []
        start, stop = threading.Barrier(WRITERS), threading.Event()

        def write(pupil: AuthenticatedPupil, form: CheckInForm) -> None:
            start.wait()
            try:
                save(db, pupil, form)
            except Exception as exc:  # counted: what a pupil would have seen
                failed.append(exc)

        def burn() -> None:
            x = 0
            while not stop.is_set():
                for i in range(1000):
                    x += i * i

        burners = [threading.Thread(target=burn) for _ in range(BUSY_THREADS)]
        for burner in burners:
            burner.start()
        began = time.perf_counter()
        writers = [threading.Thread(target=write, args=job) for job in jobs]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join()
        took = time.perf_counter() - began
        stop.set()
        for burner in burners:
            burner.join()
        with db.read() as session:
            after = session.scalar(sa.select(sa.func.count()).select_from(CheckInRow)) or 0
        return after - before, len(failed), took


def run() -> list[str]:
    """The table rows for the README: stored, lost and the burst's duration per path."""
    logging.getLogger("peermatch.services.database").setLevel(logging.CRITICAL)  # each lost one is logged
    pupil_auth._PARAMS = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)  # logins are not measured
    rows = ["| path | stored of 30 | lost (error shown) | burst took |", "|---|---|---|---|"]
    for name, save in (("old: one write transaction, 5 s busy timeout", _old), ("now: `save_checkin`", _now)):
        stored, failed, took = _burst(save)
        rows.append(f"| {name} | {stored} | {failed} | {fmt_s(took)} |")
    return rows


if __name__ == "__main__":
    print("\n".join(run()))
