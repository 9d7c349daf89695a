"""Pupil login codes, pure: generating, normalising and hashing class codes and personal codes.

A pupil logs in with two codes from a printed login card, never with an e-mail address:

* the **class code** of the group (6 characters, e.g. ``K7MQ3R``), the same on every card of the group;
* the pupil's **number** in the group (1-99, e.g. ``12``): not a secret, it says whose code is typed, so a
  wrong code counts against that one pupil (``peermatch.auth.throttle``), never against the whole class;
* a **personal code**: 5 characters (``text``: 31^5 ≈ 28.6 million) or 5 pictures out of 16, repeats allowed
  (``pictures``, for the youngest: 16^5 = 1,048,576; tapping five big pictures is within a 7-year-old's reach,
  and the old 3 different of 12 gave only 1,320).

Codes use only characters that cannot be mixed up: no ``0``/``O``, ``1``/``I``/``L``; lower case is
accepted when typed. Personal codes are stored as argon2id hashes only. The hash is salted per group
(the salt lives with the class code), and the number picks the one credential to compare, so a login costs
exactly one argon2 computation and needs no name picker (no list of the class's names for whoever has the
class code). Storage is in ``peermatch.storage.pupil_codes`` and
``peermatch.storage.pupil_logins``; the throttled login is ``peermatch.services.pupil_login``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.low_level import Type, hash_secret

from peermatch.hashing import hashing_slot

__all__ = [
    "CLASS_CODE_LENGTH",
    "CODE_ALPHABET",
    "MAX_LOGIN_NUMBER",
    "PERSONAL_CODE_LENGTH",
    "PICTURES",
    "PICTURE_CODE_LENGTH",
    "PICTURE_COMBINATIONS",
    "AuthenticatedPupil",
    "CodeKind",
    "LoginCard",
    "Picture",
    "generate_class_code",
    "generate_personal_code",
    "hash_personal_code",
    "new_salt",
    "normalize_class_code",
    "normalize_login_number",
    "normalize_personal_code",
    "picture_of",
    "pictures_of",
]

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: nothing a child can misread
CLASS_CODE_LENGTH = 6
PERSONAL_CODE_LENGTH = 5
PICTURE_CODE_LENGTH = 5
MAX_LOGIN_NUMBER = 99  # a group has at most 99 pupils with a login card; two digits for a child to type

_PARAMS = PasswordHasher()  # argon2-cffi's recommended argon2id parameters, used with our own salt


class CodeKind(StrEnum):
    TEXT = "text"  # 5 characters, e.g. "H4TKW"
    PICTURES = "pictures"  # 5 pictures, repeats allowed, e.g. "zon-anker-maan-zon-kroon"


@dataclass(frozen=True)
class Picture:
    """One picture of a picture code: ``key`` is what is stored and typed, ``emoji`` what the screen
    shows, ``symbol`` what the printed card shows (a glyph of the bundled DejaVu font). The picture's
    name is the i18n message ``pupil.picture.<key>``."""

    key: str
    emoji: str
    symbol: str


PICTURES: tuple[Picture, ...] = (
    Picture("zon", "☀️", "☀"),
    Picture("ster", "⭐", "★"),
    Picture("hart", "❤️", "♥"),
    Picture("paraplu", "☂️", "☂"),
    Picture("vliegtuig", "✈️", "✈"),
    Picture("muziek", "🎵", "♪"),
    Picture("anker", "⚓", "⚓"),
    Picture("bloem", "🌸", "✿"),
    Picture("wolk", "☁️", "☁"),
    Picture("sneeuwvlok", "❄️", "❄"),
    Picture("potlood", "✏️", "✏"),
    Picture("maan", "🌙", "☾"),
    Picture("kroon", "👑", "♛"),
    Picture("schaar", "✂️", "✂"),
    Picture("telefoon", "☎️", "☎"),
    Picture("paard", "🐴", "♞"),
)
_BY_KEY = {p.key: p for p in PICTURES}
PICTURE_COMBINATIONS = len(PICTURES) ** PICTURE_CODE_LENGTH  # 16^5 = 1,048,576: at least 10^6 (issue 11)


@dataclass(frozen=True)
class AuthenticatedPupil:
    """A logged-in pupil, as the core needs them: pupil-facing functions take this, never a staff user."""

    id: int
    school_id: int
    group_id: int
    first_name: str
    group_name: str


@dataclass(frozen=True)
class LoginCard:
    """What one printed login card says. ``personal_code`` is the plain code: it exists only until printed."""

    pupil_id: int
    first_name: str
    group_name: str
    class_code: str
    personal_code: str
    kind: CodeKind
    number: int  # the pupil's number in the group (1-99), typed between the two codes

    @property
    def pictures(self) -> tuple[Picture, ...]:
        return pictures_of(self.personal_code) if self.kind is CodeKind.PICTURES else ()


Choose = Callable[[Sequence[str]], str]


def generate_class_code(choose: Choose = secrets.choice) -> str:
    return "".join(choose(CODE_ALPHABET) for _ in range(CLASS_CODE_LENGTH))


def generate_personal_code(kind: CodeKind = CodeKind.TEXT, choose: Choose = secrets.choice) -> str:
    """A new personal code: 5 characters, or 5 picture keys (each of the 16, repeats allowed) joined by ``-``."""
    if kind is CodeKind.PICTURES:
        keys = [p.key for p in PICTURES]
        return "-".join(choose(keys) for _ in range(PICTURE_CODE_LENGTH))
    return "".join(choose(CODE_ALPHABET) for _ in range(PERSONAL_CODE_LENGTH))


def new_salt() -> str:
    return secrets.token_hex(16)


_SEPARATORS = re.compile(r"[\s\-_.,/]+")


def normalize_class_code(typed: str) -> str | None:
    """``"k7m q3r"`` -> ``"K7MQ3R"``; None when it cannot be a class code (wrong length or characters)."""
    code = _SEPARATORS.sub("", typed or "").upper()
    if len(code) != CLASS_CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def normalize_login_number(typed: str | int | None) -> int | None:
    """``" 07 "`` -> ``7``; None when it is not a number from 1 to ``MAX_LOGIN_NUMBER``."""
    text = str(typed if typed is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 3:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_LOGIN_NUMBER else None


def normalize_personal_code(typed: str | Sequence[str], kind: CodeKind) -> str | None:
    """The canonical code, or None when it cannot be one of ``kind``.

    Text: spaces and dashes dropped, upper case. Pictures: a sequence of picture keys (or one string
    with the keys separated by ``-`` or spaces), lower case, joined by ``-``.
    """
    if kind is CodeKind.PICTURES:
        parts = [typed] if isinstance(typed, str) else list(typed)
        keys = [k for part in parts for k in _SEPARATORS.split(str(part).strip().lower()) if k]
        if len(keys) != PICTURE_CODE_LENGTH or any(k not in _BY_KEY for k in keys):
            return None
        return "-".join(keys)
    if not isinstance(typed, str):
        return None
    code = _SEPARATORS.sub("", typed).upper()
    if len(code) != PERSONAL_CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def hash_personal_code(code: str, salt_hex: str) -> str:
    """The argon2id hash (PHC string) of a normalised personal code with the group's salt: the same code
    in the same group always gives the same string, so a login can look it up. At most
    ``PEERMATCH_HASH_CONCURRENCY`` argon2 computations run at once (:mod:`peermatch.hashing`)."""
    with hashing_slot():
        raw = hash_secret(
            code.encode("utf-8"),
            bytes.fromhex(salt_hex),
            time_cost=_PARAMS.time_cost,
            memory_cost=_PARAMS.memory_cost,
            parallelism=_PARAMS.parallelism,
            hash_len=_PARAMS.hash_len,
            type=Type.ID,
        )
    return raw.decode("ascii")


def picture_of(key: str) -> Picture:
    return _BY_KEY[key]


def pictures_of(code: str) -> tuple[Picture, ...]:
    """The pictures of a normalised picture code, in order."""
    return tuple(_BY_KEY[k] for k in code.split("-"))
