"""A file that cannot be read is read once per session, not again on every rerun (issue 11, item 1).

Found: after a failed upload, a language switch read the file again (19-25 s for a hostile workbook). Now the
failure is remembered by the file's hash with its problems, shown again in the new language without a read.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

import ui.roster_input
from benchmarks.hostile import xlsx_valid, xlsx_wide_header
from peermatch.model import Roster

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the page reads (each call of the cached reader)."""
    names: list[str] = []
    original: Callable[[bytes, str], Roster] = ui.roster_input._read

    def counting(content: bytes, filename: str) -> Roster:
        names.append(filename)
        return original(content, filename)

    monkeypatch.setattr(ui.roster_input, "_read", counting)
    return names


def _upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key="roster_upload").set_value((name, content, XLSX)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


BROKEN = xlsx_valid(3)[:-200]  # a workbook cut short: its zip directory is gone


@pytest.mark.parametrize(
    ("content", "nl", "en"),
    [
        (xlsx_wide_header(250), "meer dan 200 kolommen", "more than 200 columns"),
        (BROKEN, "Dit Excel-bestand is beschadigd", "This Excel file is damaged"),
    ],
    ids=["hostile", "damaged"],
)
def test_a_failed_read_is_remembered_across_reruns_and_a_language_switch(
    app: AppTest, reads: list[str], content: bytes, nl: str, en: str
) -> None:
    _upload(app, "klas.xlsx", content)

    assert [e.value for e in app.error] == ["'klas.xlsx' kan niet gelezen worden."]
    assert nl in app.markdown[0].value
    assert reads == ["klas.xlsx"]

    app.sidebar.selectbox(key="lang").set_value("en").run()
    app.run()

    assert [e.value for e in app.error] == ["'klas.xlsx' cannot be read."]
    assert en in app.markdown[0].value
    assert reads == ["klas.xlsx"]  # shown again from the session, never read again


def test_another_file_after_a_failed_one_is_read(app: AppTest, reads: list[str]) -> None:
    _upload(app, "breed.xlsx", xlsx_wide_header(250))
    _upload(app, "klas.xlsx", xlsx_valid(3))

    assert not app.error
    assert {m.label: m.value for m in app.metric}["Leerlingen"] == "3"
    assert reads == ["breed.xlsx", "klas.xlsx"]
