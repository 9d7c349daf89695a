"""Loading training modules: every broken file is reported precisely and skipped; the rest still load."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from peermatch.errors import Problem, Severity
from peermatch.i18n import catalogue
from peermatch.training import load_modules, parse_module

ROOT = Path(__file__).resolve().parents[2]

BODY = """
## Sem en Noor

Sem leest met Noor. Ze lezen samen een boek over konijnen in de leeshoek.

## Tips

- Tel tot vijf.

## Doen

- Luisteren.

## Niet doen

- Voorzeggen.

## Probeer het

Oefen met een klasgenoot.
"""


def question(qid: str, answer: Any = "b") -> dict[str, Any]:
    return {
        "id": qid,
        "question": f"Vraag {qid}?",
        "answer": answer,
        "choices": [
            {"id": "a", "text": "Antwoord a", "feedback": "Nee, want a."},
            {"id": "b", "text": "Antwoord b", "feedback": "Ja, want b."},
            {"id": "c", "text": "Antwoord c", "feedback": "Nee, want c."},
        ],
    }


def front(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "wachten",
        "title": "Wacht even",
        "order": 1,
        "minutes": 3,
        "subject": "both",
        "core": True,
        "version": 1,
        "summary": "Tel tot vijf.",
        "quiz": [question("q1"), question("q2"), question("q3")],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not _DROP}


_DROP = object()


def write(folder: Path, name: str, data: dict[str, Any] | str, body: str = BODY) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    header = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path = folder / name
    path.write_text(f"---\n{header}---\n{body}", encoding="utf-8")
    return path


def errors_of(problems: tuple[Problem, ...], file: str) -> list[Problem]:
    return [p for p in problems if p.file == file and p.severity is Severity.ERROR]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    write(tmp_path / "nl", "01-goed.md", front(id="goed", order=1))
    return tmp_path


def test_a_valid_module_loads_with_its_front_matter_quiz_and_body(root: Path) -> None:
    modules = load_modules("nl", root)
    assert modules.problems == ()
    module = modules["goed"]
    assert (module.title, module.order, module.minutes, module.subject, module.core, module.version) == (
        "Wacht even", 1, 3, "both", True, 1,
    )  # fmt: skip
    assert [q.id for q in module.quiz] == ["q1", "q2", "q3"]
    assert module.quiz[0].answer == "b"
    assert module.quiz[0].correct_choice.feedback == "Ja, want b."
    assert module.body.startswith("## Sem en Noor")
    assert module.source == "nl/01-goed.md"
    assert module.reading_time == 1


def test_a_module_without_a_title_is_skipped_and_reported_with_file_and_field_while_the_others_load(root: Path) -> None:
    write(root / "nl", "02-kapot.md", front(id="kapot", title=_DROP))
    modules = load_modules("nl", root)
    assert modules.ids == ("goed",)
    assert modules.skipped == ("nl/02-kapot.md",)
    [problem] = errors_of(modules.problems, "nl/02-kapot.md")
    assert (problem.code, problem.column) == ("training.missing_field", "title")
    assert "title" in problem.message("nl")
    assert "ontbreekt" in problem.message("nl")
    assert "missing" in problem.message("en")


def test_broken_yaml_is_reported_with_its_line_and_the_others_load(root: Path) -> None:
    write(root / "nl", "02-yaml.md", "id: yaml\ntitle: Wacht: tel tot vijf\norder: 2\n")
    modules = load_modules("nl", root)
    assert modules.ids == ("goed",)
    [problem] = errors_of(modules.problems, "nl/02-yaml.md")
    assert problem.code == "training.yaml_syntax"
    assert problem.params["line"] == 3  # the '---' line is line 1, so the title is on line 3
    assert "regel 3" in problem.message("nl")
    assert "line 3" in problem.message("en")


def test_an_answer_out_of_range_is_reported_with_the_question_field_and_value(root: Path) -> None:
    write(root / "nl", "02-antwoord.md", front(id="antwoord", quiz=[question("q1"), question("q2", 3), question("q3")]))
    modules = load_modules("nl", root)
    assert "antwoord" not in modules
    [problem] = errors_of(modules.problems, "nl/02-antwoord.md")
    assert (problem.code, problem.column, problem.value) == ("training.answer_out_of_range", "quiz[q2].answer", "3")
    assert "0 tot 2" in problem.message("nl")


def test_an_answer_that_names_no_choice_is_reported(root: Path) -> None:
    write(
        root / "nl", "02-antwoord.md", front(id="antwoord", quiz=[question("q1"), question("q2", "e"), question("q3")])
    )
    [problem] = errors_of(load_modules("nl", root).problems, "nl/02-antwoord.md")
    assert (problem.code, problem.column, problem.value) == ("training.answer_unknown", "quiz[q2].answer", "e")
    assert "a, b, c" in problem.message("nl")


def test_an_answer_may_be_a_zero_based_position_and_is_kept_as_the_choice_id(root: Path) -> None:
    write(
        root / "nl",
        "02-index.md",
        front(id="index", order=2, quiz=[question("q1", 0), question("q2", 2), question("q3")]),
    )
    module = load_modules("nl", root)["index"]
    assert [q.answer for q in module.quiz] == ["a", "c", "b"]


def test_true_is_not_accepted_as_an_answer(root: Path) -> None:
    write(root / "nl", "02-bool.md", front(id="bool", quiz=[question("q1", True), question("q2"), question("q3")]))
    [problem] = errors_of(load_modules("nl", root).problems, "nl/02-bool.md")
    assert (problem.code, problem.column) == ("training.answer_type", "quiz[q1].answer")


def test_a_duplicate_id_keeps_the_first_file_and_reports_the_second_with_both_names(root: Path) -> None:
    write(root / "nl", "02-dubbel.md", front(id="goed", title="Tweede", order=2))
    modules = load_modules("nl", root)
    assert modules.ids == ("goed",)
    assert modules["goed"].title == "Wacht even"
    [problem] = errors_of(modules.problems, "nl/02-dubbel.md")
    assert (problem.code, problem.column, problem.value) == ("training.duplicate_id", "id", "goed")
    assert "nl/01-goed.md" in problem.message("nl")
    assert modules.skipped == ("nl/02-dubbel.md",)


@pytest.mark.parametrize(
    ("overrides", "code", "field", "value"),
    [
        ({"subject": "taal"}, "training.unknown_module_subject", "subject", "taal"),
        ({"minutes": 12}, "training.out_of_range", "minutes", "12"),
        ({"minutes": "vier"}, "training.not_integer", "minutes", "vier"),
        ({"core": "ja"}, "training.not_boolean", "core", "ja"),
        ({"version": 0}, "training.out_of_range", "version", "0"),
        ({"id": "Wacht Even"}, "training.not_slug", "id", "Wacht Even"),
        ({"title": ""}, "training.empty_text", "title", None),
        ({"title": 42}, "training.not_text", "title", "42"),
        ({"quiz": "geen lijst"}, "training.not_list", "quiz", "geen lijst"),
        ({"quiz": [question("q1"), question("q2")]}, "training.question_count", "quiz", "2"),
        ({"quiz": [question("q1"), question("q1"), question("q3")]},
         "training.duplicate_question_id", "quiz[q1].id", "q1"),
    ],
)  # fmt: skip
def test_each_wrong_field_is_reported_with_its_field_and_value(
    root: Path, overrides: dict[str, Any], code: str, field: str, value: str | None
) -> None:
    write(root / "nl", "02-fout.md", front(**overrides))
    modules = load_modules("nl", root)
    problems = errors_of(modules.problems, "nl/02-fout.md")
    assert [(p.code, p.column, p.value) for p in problems] == [(code, field, value)]
    assert modules.ids == ("goed",)


def test_a_question_with_two_choices_or_a_choice_without_feedback_is_reported(root: Path) -> None:
    two = question("q1")
    two["choices"] = two["choices"][:2]
    silent = question("q2")
    del silent["choices"][1]["feedback"]
    write(root / "nl", "02-keuzes.md", front(quiz=[two, silent, question("q3")]))
    problems = errors_of(load_modules("nl", root).problems, "nl/02-keuzes.md")
    assert [(p.code, p.column) for p in problems] == [
        ("training.choice_count", "quiz[q1].choices"),
        ("training.missing_field", "quiz[q2].choices[#2].feedback"),
    ]


def test_choice_ids_default_to_a_b_c_d_and_numbers_are_fine_as_choice_text(root: Path) -> None:
    sums = {"id": "som", "question": "Hoeveel is 3 x 4?", "answer": "c",
            "choices": [{"text": 7, "feedback": "Nee."}, {"text": 34, "feedback": "Nee."},
                        {"text": 12, "feedback": "Ja!"}, {"text": 1.5, "feedback": "Nee."}]}  # fmt: skip
    write(root / "nl", "02-som.md", front(id="som", order=2, quiz=[sums, question("q2"), question("q3")]))
    module = load_modules("nl", root)["som"]
    assert [(c.id, c.text) for c in module.quiz[0].choices] == [("a", "7"), ("b", "34"), ("c", "12"), ("d", "1.5")]


def test_a_file_without_front_matter_or_not_in_utf8_is_reported(root: Path) -> None:
    (root / "nl" / "02-geen-kop.md").write_text("# Alleen tekst\n", encoding="utf-8")
    (root / "nl" / "03-latin1.md").write_bytes("---\ntitle: Zoë\n---\n".encode("latin-1"))
    modules = load_modules("nl", root)
    assert [p.code for p in errors_of(modules.problems, "nl/02-geen-kop.md")] == ["training.no_front_matter"]
    assert [p.code for p in errors_of(modules.problems, "nl/03-latin1.md")] == ["training.not_utf8"]
    assert modules.ids == ("goed",)


def test_an_unknown_field_and_a_missing_section_are_warnings_and_the_module_still_loads(root: Path) -> None:
    write(
        root / "nl", "02-typo.md", front(id="typo", order=2, anwser="b"), body=BODY.replace("## Niet doen", "## Nooit")
    )
    modules = load_modules("nl", root)
    assert "typo" in modules
    warnings = [(p.code, p.value) for p in modules.warnings if p.file == "nl/02-typo.md"]
    assert warnings == [("training.unknown_field", "anwser"), ("training.missing_section", "Niet doen")]
    assert modules.errors == ()


def test_a_text_longer_than_its_minutes_is_a_warning(root: Path) -> None:
    long_body = BODY + "\n" + "woord " * 500
    write(root / "nl", "02-lang.md", front(id="lang", order=2), body=long_body)
    [warning] = [p for p in load_modules("nl", root).warnings if p.file == "nl/02-lang.md"]
    assert warning.code == "training.too_long"
    assert warning.params == {"reading": 5, "minutes": 3}  # ~35 + 500 words at 120 a minute


def test_modules_come_in_order_then_id_and_a_shared_order_number_is_a_warning(root: Path) -> None:
    write(root / "nl", "00-b.md", front(id="b-module", order=5))
    write(root / "nl", "00-a.md", front(id="a-module", order=5))
    modules = load_modules("nl", root)
    assert modules.ids == ("goed", "a-module", "b-module")
    assert [p.code for p in modules.warnings] == ["training.duplicate_order"]


def test_drafts_starting_with_an_underscore_are_not_read(root: Path) -> None:
    write(root / "nl", "_concept.md", "id: [kapot")
    modules = load_modules("nl", root)
    assert modules.problems == ()
    assert modules.ids == ("goed",)


def test_a_missing_folder_or_language_gives_an_empty_set_with_a_problem_instead_of_raising(tmp_path: Path) -> None:
    missing = load_modules("nl", tmp_path / "nergens")
    assert (len(missing), [p.code for p in missing.problems]) == (0, ["training.no_folder"])
    (tmp_path / "en").mkdir()
    empty = load_modules("en", tmp_path)
    assert [p.code for p in empty.problems] == ["training.no_modules"]
    assert [p.code for p in load_modules("de", tmp_path).problems] == ["training.unknown_language"]


def test_every_skipped_file_gets_a_note_that_the_other_modules_still_work(root: Path) -> None:
    write(root / "nl", "02-kapot.md", front(title=_DROP))
    notes = [p for p in load_modules("nl", root).problems if p.severity is Severity.INFO]
    assert [(p.code, p.file) for p in notes] == [("training.skipped", "nl/02-kapot.md")]


def test_every_problem_reads_as_a_full_sentence_in_both_languages(root: Path) -> None:
    write(root / "nl", "02-a.md", front(id="a", subject="taal", quiz=[question("q1", 9)], anwser=1))
    write(root / "nl", "03-b.md", "id: [kapot\n")
    problems = load_modules("nl", root).problems
    assert len(problems) >= 5
    for problem in problems:
        for lang in ("nl", "en"):
            text = problem.message(lang)
            assert text != problem.code
            assert not re.search(r"\{\w+\}", text), text


def test_every_training_message_code_used_in_the_code_exists_in_the_catalogue() -> None:
    used: set[str] = set()
    for path in (ROOT / "peermatch" / "training").rglob("*.py"):
        used |= set(re.findall(r"""["'](training\.[a-z_.]+[a-z_])["']""", path.read_text("utf-8")))
    assert used, "no codes found: the pattern is out of date"
    assert used - set(catalogue("nl")) == set()
    assert used - set(catalogue("en")) == set()


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_any_text_at_all_gives_a_module_or_problems_and_never_an_exception(text: str) -> None:
    module, problems = parse_module(text, "nl/x.md")
    assert module is not None or problems


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 9) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["id", "title", "order", "minutes", "subject", "core", "quiz", "x"]), yaml_values)
)
def test_any_yaml_front_matter_gives_a_module_or_problems_and_never_an_exception(data: dict[str, Any]) -> None:
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + BODY
    module, problems = parse_module(text, "nl/x.md")
    assert (module is None) == any(p.severity is Severity.ERROR for p in problems)
