"""The quiz that tests understanding and the practice sign-off, in AppTest on the demo school with tutor
activity: a try asks 3 of the module's questions, a failed try says why the chosen answers are wrong but
never which answer is right, the retry asks other questions; the teacher taps "Gezien" per tutor on the
Tutors page with the module's checklist, and can undo it; "Klaar om te starten" needs both."""

from __future__ import annotations

from apphelpers import as_pupil, demo_codes, logged_in, login_pupil, ok, rows
from streamlit.testing.v1 import AppTest

from peermatch.training import Module, load_modules

MODULE = load_modules("nl").modules[0]


def _asked(at: AppTest, module: Module) -> dict[str, str]:
    """Question id -> the radio's key, for the questions on the page now."""
    prefix = f"q_{module.id}_"
    return {str(r.key).rsplit("_", 1)[-1]: str(r.key) for r in at.radio if str(r.key).startswith(prefix)}


def _page_text(at: AppTest) -> str:
    kinds = ("markdown", "error", "success", "info", "warning", "caption")
    return "\n".join(str(getattr(e, "value", "")) for kind in kinds for e in at.get(kind))


def test_a_failed_try_explains_the_wrong_answers_without_the_right_one_and_the_retry_asks_new_questions(
    tutor_db: str,
) -> None:
    at = as_pupil(tutor_db, demo_codes(tutor_db)["fresh"], "views/training.py")
    ok(at.button(key=f"open_{MODULE.id}").click().run())
    first = _asked(at, MODULE)
    assert len(first) == 3
    assert set(first) <= {q.id for q in MODULE.quiz}
    assert at.radio(key=next(iter(first.values()))).options  # the choices are shown
    ok(at.run())
    assert _asked(at, MODULE) == first  # a rerun shows the same paper
    wrong_choices = {}
    for qid, key in first.items():
        question = MODULE.question(qid)
        assert question is not None
        wrong = next(c for c in question.choices if c.id != question.answer)
        wrong_choices[qid] = wrong
        at.radio(key=key).set_value(wrong.id)
    ok(at.form_submit_button[0].click().run())

    errors = [e.value for e in at.error]
    assert len(errors) == 3
    for qid, wrong in wrong_choices.items():
        assert any(wrong.feedback in e and wrong.text in e for e in errors), qid  # why the chosen one is wrong
    shown = _page_text(at)
    for qid in first:
        question = MODULE.question(qid)
        assert question is not None
        assert question.correct_choice.text not in shown  # no "Het goede antwoord is ..."
        assert question.correct_choice.feedback not in shown
    assert "goede antwoord" not in shown.lower()
    assert "Bij je volgende poging krijg je nieuwe vragen." in shown

    ok(at.button(key=f"retry_{MODULE.id}").click().run())
    second = _asked(at, MODULE)
    assert len(second) == 3
    assert set(second).isdisjoint(first)  # a pool of 9: three fresh questions
    assert all(f"q_{MODULE.id}_2_" in key for key in second.values())
    for qid, key in second.items():
        question = MODULE.question(qid)
        assert question is not None
        at.radio(key=key).set_value(question.answer)
    ok(at.form_submit_button[0].click().run())
    assert "Gehaald! Je had 3 van de 3 vragen goed." in [s.value for s in at.success]
    pupil = at.session_state["pupil_user"]
    stored = rows(tutor_db, "SELECT attempt_no, correct, total FROM training_attempts WHERE pupil_id = :p "
                             "ORDER BY attempt_no", p=pupil.id)  # fmt: skip
    assert stored == [(1, 0, 3), (2, 3, 3)]


def test_the_teacher_signs_off_a_tutors_practice_with_one_tap_and_can_undo_it(tutor_db: str) -> None:
    fresh = login_pupil(tutor_db, demo_codes(tutor_db)["fresh"])
    at = logged_in(tutor_db, "juf.fatima", page="views/tutors.py")
    ok(at.selectbox(key="tutors_group").select_index(1).run())  # 7A
    module = at.selectbox(key="practice_module_lezen").value
    assert isinstance(module, Module)
    assert module.id == "samen-lezen"  # the subject's own module is offered first
    assert any(module.try_it.splitlines()[0] in str(m.value) for m in at.markdown)  # its checklist is shown
    before = rows(tutor_db, "SELECT count(*) FROM practice_signoffs")[0][0]

    ok(at.button(key=f"practice_sign_{fresh.id}").click().run())
    assert f"De oefening van {fresh.first_name} is genoteerd." in [s.value for s in at.success]
    assert rows(tutor_db, "SELECT module_id FROM practice_signoffs WHERE pupil_id = :p", p=fresh.id) == [
        ("samen-lezen",)
    ]
    assert rows(tutor_db, "SELECT action, detail FROM audit_log WHERE entity = 'practice_signoff' "
                           "AND entity_id = :p", p=str(fresh.id)) == [("create", "samen-lezen")]  # fmt: skip
    keys = {b.key for b in at.button}
    assert f"practice_undo_{fresh.id}" in keys  # the undo button instead of "Gezien"
    assert f"practice_sign_{fresh.id}" not in keys
    ok(at.button(key=f"practice_undo_{fresh.id}").click().run())
    assert f"De oefening van {fresh.first_name} staat weer op niet gezien." in [s.value for s in at.success]
    assert rows(tutor_db, "SELECT count(*) FROM practice_signoffs")[0][0] == before


def test_a_tutor_with_passed_quizzes_but_no_practice_is_not_ready_and_gets_no_tutorbewijs(tutor_db: str) -> None:
    ready = login_pupil(tutor_db, demo_codes(tutor_db)["ready"])
    at = as_pupil(tutor_db, demo_codes(tutor_db)["ready"], "views/training.py")
    assert "Klaar om te starten als leesmaatje! 🎉" in [s.value for s in at.success]
    assert any(getattr(b, "label", None) == "Download je tutorbewijs" for b in at.get("download_button"))

    rows(tutor_db, "DELETE FROM practice_signoffs WHERE pupil_id = :p", p=ready.id)
    at = as_pupil(tutor_db, demo_codes(tutor_db)["ready"], "views/training.py")
    assert "Klaar om te starten als leesmaatje! 🎉" not in [s.value for s in at.success]
    assert any("laat je juf of meester zien" in i.value for i in at.info)
    assert not any(getattr(b, "label", None) == "Download je tutorbewijs" for b in at.get("download_button"))
