"""At most a few argon2 computations at once in this process, however many people log in together.

One argon2id hash with argon2-cffi's parameters costs 64 MiB and about 0.3 s of CPU. A whole class
logging in at once (48 pupils) would need 3 GB and make every page of every session wait for the CPU.
Every argon2 hash and verify (staff passwords in :mod:`peermatch.auth.passwords`, pupil codes in
:mod:`peermatch.pupil_auth`) runs in :func:`hashing_slot`: a process-wide bounded semaphore with
``PEERMATCH_HASH_CONCURRENCY`` places (default 2, the cores of a small school server). The others
queue (without holding the GIL) and are served a few hundred milliseconds later.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

__all__ = ["DEFAULT_CONCURRENCY", "ENV_VAR", "concurrency_from", "hashing_slot"]

ENV_VAR = "PEERMATCH_HASH_CONCURRENCY"
DEFAULT_CONCURRENCY = 2

log = logging.getLogger(__name__)


def concurrency_from(environ: Mapping[str, str]) -> int:
    """The number of argon2 computations allowed at once: ``PEERMATCH_HASH_CONCURRENCY`` when it is a
    whole number of at least 1, else :data:`DEFAULT_CONCURRENCY` (a bad value is logged, not fatal)."""
    raw = environ.get(ENV_VAR, "").strip()
    if not raw:
        return DEFAULT_CONCURRENCY
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        log.warning("%s=%r is not a whole number >= 1; using %d", ENV_VAR, raw, DEFAULT_CONCURRENCY)
        return DEFAULT_CONCURRENCY
    return value


_slots = threading.BoundedSemaphore(concurrency_from(os.environ))


@contextmanager
def hashing_slot() -> Iterator[None]:
    """Wait for one of the process's argon2 places and hold it while the block runs."""
    with _slots:
        yield
