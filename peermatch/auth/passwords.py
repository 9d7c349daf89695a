"""Staff passwords: the policy, generated passwords, argon2id hashing and the session's credential stamp.

The policy (OWASP ASVS 2.1): 12 to 256 characters, not only spaces, not the username (also not with digits or
signs around it), not one of the 30,000 most common passwords, and not easily guessed. The list and the
guessing estimate are those of ``zxcvbn`` (Dropbox's estimator, kept up as a package: its password list comes
from real leaks, and it sees repeats, sequences, keyboard walks, dates and l33t), so PeerMatch keeps no
hand-made list.

Passwords are hashed with argon2id (argon2-cffi); a hash made with older parameters is replaced at the
next successful login (the login service asks :func:`needs_rehash`). Only a few hashes run at once per
process (:mod:`peermatch.hashing`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from hashlib import sha256
from secrets import choice

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from peermatch.errors import AuthError, Problem
from peermatch.hashing import hashing_slot

__all__ = [
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "check_password_policy",
    "credential_stamp",
    "dummy_hash",
    "generate_password",
    "hash_password",
    "needs_rehash",
    "verify_password",
]

MIN_PASSWORD_LENGTH = 12  # OWASP ASVS 5.0 L2 asks at least 12 characters
MAX_PASSWORD_LENGTH = 256
MIN_GUESS_SCORE = 3  # zxcvbn 0-4; 3: "safely unguessable", about 10^8 guesses or more
_ESTIMATE_CHARS = 72  # zxcvbn looks at this many characters (its own limit); a longer password is long enough
_AROUND = re.compile(r"^[\W\d_]+|[\W\d_]+$")  # digits and signs before or after the word

_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to read out and type over
_hasher = PasswordHasher()  # argon2id with argon2-cffi's recommended parameters (RFC 9106 low-memory)


@cache
def dummy_hash() -> str:
    """A hash to verify against when the user is unknown, so the answer takes as long."""
    with hashing_slot():
        return _hasher.hash("peermatch: no such user")


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def _bare(text: str) -> str:
    """``"Beheer2024!"`` -> ``"beheer"``: lower case, without the digits and signs around the word."""
    return _AROUND.sub("", text.strip().lower())


def check_password_policy(password: str, *, username: str = "", user_inputs: Iterable[str] = ()) -> None:
    """Raise ``AuthError`` when the password breaks the policy (see the module text), naming the first rule it
    breaks. ``username`` and ``user_inputs`` (display name, school) count as guessable words."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(Problem("auth.password.too_short", params={"min": MIN_PASSWORD_LENGTH}))
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AuthError(Problem("auth.password.too_long", params={"max": MAX_PASSWORD_LENGTH}))
    if not password.strip():
        raise AuthError(Problem("login_guard.password_blank"))
    bare = _bare(password)
    name = username.strip().lower()
    if name and (bare in {name, _bare(name), re.sub(r"[\W_]+", "", name)} or password.strip().lower() == name):
        raise AuthError(Problem("login_guard.password_username"))
    common = _common_passwords()
    if password.strip().lower() in common or bare in common:
        raise AuthError(Problem("login_guard.password_common"))
    inputs = [word for word in (username, *user_inputs) if word]
    if zxcvbn(password[:_ESTIMATE_CHARS], user_inputs=inputs)["score"] < MIN_GUESS_SCORE:
        raise AuthError(Problem("login_guard.password_guessable"))


def generate_password() -> str:
    """A random password for a new or reset account, e.g. ``k7qm-x3vt-9hpr-w2cz``.

    Drawn with ``secrets`` from 31 unambiguous characters: 16 of them give about 79 bits, and the
    dashes make it easy to copy by hand. Always passes :func:`check_password_policy`.
    """
    return "-".join("".join(choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(4))


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (salted; the password itself is never stored). At most
    ``PEERMATCH_HASH_CONCURRENCY`` hashes and verifies run at once (:mod:`peermatch.hashing`)."""
    with hashing_slot():
        return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        with hashing_slot():
            return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than today's (then re-hash at login)."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def credential_stamp(password_hash: str) -> str:
    """A short fingerprint of the stored password hash, kept in a login session (never the hash itself).

    A new password gives a new salted hash, so a new stamp: :func:`peermatch.services.login.reload_user`
    ends the sessions that still carry the old one. (A re-hash at login with newer argon2 parameters changes it
    too, once.)
    """
    return sha256(password_hash.encode()).hexdigest()[:16]
