"""At most PEERMATCH_HASH_CONCURRENCY argon2 computations at once: a class logging in together queues."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, Literal

import pytest
from argon2 import PasswordHasher
from argon2.low_level import hash_secret

from peermatch import hashing, pupil_auth
from peermatch.auth import passwords
from peermatch.hashing import DEFAULT_CONCURRENCY, ENV_VAR, concurrency_from

CHEAP = {"time_cost": 1, "memory_cost": 64, "parallelism": 1}


class _Gauge:
    """How many argon2 computations run right now, and the most at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now = self.peak = self.calls = 0

    def measure(self, real: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self.now += 1
            self.calls += 1
            self.peak = max(self.peak, self.now)
        try:
            time.sleep(0.01)  # long enough for the other threads to pile up, if they could
            return real(*args, **kwargs)
        finally:
            with self._lock:
                self.now -= 1


@pytest.fixture
def gauge(monkeypatch: pytest.MonkeyPatch) -> _Gauge:
    """Real argon2 with cheap parameters, counted, behind a semaphore of 2 places."""
    gauge = _Gauge()

    class CountingHasher(PasswordHasher):
        def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
            return str(gauge.measure(super().hash, password, salt=salt))

        def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
            gauge.measure(super().verify, hash, password)  # raises on a mismatch, as argon2 does
            return True

    monkeypatch.setattr(passwords, "_hasher", CountingHasher(**CHEAP))  # type: ignore[arg-type]  # argon2 types each keyword
    monkeypatch.setattr(pupil_auth, "_PARAMS", PasswordHasher(**CHEAP))  # type: ignore[arg-type]
    monkeypatch.setattr(pupil_auth, "hash_secret", lambda *a, **k: gauge.measure(hash_secret, *a, **k))
    monkeypatch.setattr(hashing, "_slots", threading.BoundedSemaphore(2))
    return gauge


def test_48_simultaneous_logins_run_at_most_two_argon2_computations_at_once(gauge: _Gauge) -> None:
    stored = passwords.hash_password("correct horse battery")
    salt = pupil_auth.new_salt()
    start = threading.Barrier(48)
    answers: list[bool] = []

    def staff() -> None:
        start.wait()
        answers.append(passwords.verify_password(stored, "correct horse battery"))

    def pupil() -> None:
        start.wait()
        answers.append(pupil_auth.hash_personal_code("H4TKW", salt).startswith("$argon2id$"))

    threads = [threading.Thread(target=staff if i % 2 else pupil) for i in range(48)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [True] * 48
    assert gauge.calls == 49
    assert gauge.peak == 2  # they queued (never 3), and two really ran side by side


def test_the_number_of_places_comes_from_the_environment() -> None:
    assert concurrency_from({}) == DEFAULT_CONCURRENCY == 2
    assert concurrency_from({ENV_VAR: " 4 "}) == 4
    assert concurrency_from({ENV_VAR: "0"}) == DEFAULT_CONCURRENCY
    assert concurrency_from({ENV_VAR: "veel"}) == DEFAULT_CONCURRENCY


def test_the_process_semaphore_is_sized_from_peermatch_hash_concurrency() -> None:
    env = {**os.environ, ENV_VAR: "3"}
    code = "from peermatch import hashing; print(hashing._slots._initial_value)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "3"
