"""Pupil codes, pure: no ambiguous characters, normalising what children type, deterministic per-group hashing."""

from __future__ import annotations

import random

import pytest

from peermatch import pupil_auth
from peermatch.pupil_auth import (
    CLASS_CODE_LENGTH,
    CODE_ALPHABET,
    PERSONAL_CODE_LENGTH,
    PICTURES,
    CodeKind,
    LoginCard,
    generate_class_code,
    generate_personal_code,
    hash_personal_code,
    new_salt,
    normalize_class_code,
    normalize_personal_code,
)

AMBIGUOUS = set("0O1IL")


def test_the_alphabet_has_no_characters_a_child_can_mix_up() -> None:
    assert not AMBIGUOUS & set(CODE_ALPHABET)
    assert not set(CODE_ALPHABET) & set("abcdefghijklmnopqrstuvwxyz")
    assert len(set(CODE_ALPHABET)) == len(CODE_ALPHABET) == 31


def test_generated_codes_use_only_the_alphabet() -> None:
    for _ in range(300):
        class_code = generate_class_code()
        personal = generate_personal_code(CodeKind.TEXT)
        assert len(class_code) == CLASS_CODE_LENGTH
        assert set(class_code) <= set(CODE_ALPHABET)
        assert len(personal) == PERSONAL_CODE_LENGTH
        assert set(personal) <= set(CODE_ALPHABET)
        assert not AMBIGUOUS & set(class_code + personal)


def test_picture_codes_are_five_pictures_from_a_fixed_set_of_sixteen_repeats_allowed() -> None:
    assert len(PICTURES) == 16
    assert len({p.key for p in PICTURES}) == 16
    assert len({p.emoji for p in PICTURES}) == len({p.symbol for p in PICTURES}) == 16
    rng = random.Random(7)
    for _ in range(200):
        code = generate_personal_code(CodeKind.PICTURES, rng.choice)
        keys = code.split("-")
        assert len(keys) == 5
        assert set(keys) <= {p.key for p in PICTURES}


def test_what_children_type_is_normalised_and_impossible_codes_are_refused() -> None:
    assert normalize_class_code(" k7m q3r ") == "K7MQ3R"
    assert normalize_class_code("K7M-Q3R") == "K7MQ3R"
    assert normalize_class_code("K7MQ3") is None  # too short
    assert normalize_class_code("K0MQ3R") is None  # 0 is never in a code
    assert normalize_personal_code("h4t kw", CodeKind.TEXT) == "H4TKW"
    assert normalize_personal_code("H4TK", CodeKind.TEXT) is None
    assert normalize_personal_code(["Zon", "anker", "MAAN", "zon", "Kroon"], CodeKind.PICTURES) == (
        "zon-anker-maan-zon-kroon"
    )
    assert normalize_personal_code("zon anker maan zon kroon", CodeKind.PICTURES) == "zon-anker-maan-zon-kroon"
    assert normalize_personal_code(["zon", "anker", "maan"], CodeKind.PICTURES) is None  # an old 3-picture code
    assert normalize_personal_code(["zon", "anker", "maan", "zon", "draak"], CodeKind.PICTURES) is None


def test_the_hash_is_argon2id_deterministic_per_group_and_different_between_groups(cheap_argon2: None) -> None:
    salt, other = new_salt(), new_salt()
    hashed = hash_personal_code("H4TKW", salt)
    assert hashed.startswith("$argon2id$")
    assert "H4TKW" not in hashed
    assert hashed == hash_personal_code("H4TKW", salt)
    assert hashed != hash_personal_code("H4TKW", other)
    assert hashed != hash_personal_code("H4TKX", salt)


def test_the_default_hash_parameters_are_argon2_cffis_recommended_ones() -> None:
    assert pupil_auth._PARAMS.memory_cost >= 65536
    assert pupil_auth._PARAMS.time_cost >= 2


def test_a_picture_card_lists_its_pictures_in_order() -> None:
    card = LoginCard(1, "Noor", "7A", "K7MQ3R", "zon-anker-maan-zon-kroon", CodeKind.PICTURES, 1)
    assert [p.key for p in card.pictures] == ["zon", "anker", "maan", "zon", "kroon"]
    assert LoginCard(1, "Noor", "7A", "K7MQ3R", "H4TKW", CodeKind.TEXT, 1).pictures == ()


@pytest.fixture
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    from argon2 import PasswordHasher

    monkeypatch.setattr(pupil_auth, "_PARAMS", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
