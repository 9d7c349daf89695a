"""The Tutorbewijs: a real A4-landscape PDF with the child's name, role, date and modules, in Dutch letters."""

from __future__ import annotations

import re
from datetime import date
from importlib import resources

import pytest

from peermatch.errors import TrainingModuleError
from peermatch.model import Subject
from peermatch.training import certificate_pdf, format_date, load_modules

DAY = date(2025, 11, 23)
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "(": "(", ")": ")", "\\": "\\"}


def pdf_text(pdf: bytes) -> str:
    """The text of an uncompressed fpdf2 PDF. Embedded TrueType text is written as 2-byte glyph
    codes, one code table per font (its ToUnicode CMap), so we follow the font switches."""
    raw = pdf.decode("latin-1")
    objects = dict(re.findall(r"(?ms)^(\d+) 0 obj(.*?)endobj", raw))
    tables: dict[str, dict[int, str]] = {}
    for font, number in re.findall(r"/(F\d+) (\d+) 0 R", raw):
        cmap = objects[re.findall(r"/ToUnicode (\d+) 0 R", objects[number])[0]]
        pairs = re.findall(
            r"<([0-9A-F]{4})> <([0-9A-F]+)>", "".join(re.findall(r"(?s)beginbfchar(.*?)endbfchar", cmap))
        )
        tables[font] = {int(src, 16): chr(int(dst, 16)) for src, dst in pairs}
    lines, font = [], ""
    for match in re.finditer(r"(?s)/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", raw):
        if match.group(1):
            font = match.group(1)
            continue
        codes = re.sub(r"\\([nrtbf()\\]|[0-7]{1,3})", lambda m: _ESCAPES.get(m.group(1)) or chr(int(m.group(1), 8)),
                       match.group(2)).encode("latin-1")  # fmt: skip
        lines.append("".join(tables[font][int.from_bytes(codes[i : i + 2], "big")] for i in range(0, len(codes), 2)))
    return "\n".join(lines)


@pytest.fixture(scope="module")
def reading_certificate() -> bytes:
    modules = load_modules("nl").core_for(Subject.LEZEN)
    return certificate_pdf("Zoë", "lezen", DAY, modules, "nl", school="Basisschool Café Ümit", compress=False)


def test_the_certificate_is_a_complete_pdf_on_a4_landscape(reading_certificate: bytes) -> None:
    assert reading_certificate.startswith(b"%PDF-")
    assert reading_certificate.rstrip().endswith(b"%%EOF")
    assert re.search(rb"/MediaBox \[0 0 841\.89 595\.28\]", reading_certificate)


def test_the_certificate_names_the_child_the_role_the_date_and_every_module_passed(reading_certificate: bytes) -> None:
    text = pdf_text(reading_certificate)
    assert "Tutorbewijs" in text
    assert "Zoë" in text
    assert "leesmaatje" in text
    assert "Datum: 23 november 2025" in text
    assert "Handtekening juf of meester" in text
    assert "Basisschool Café Ümit" in text
    for module in load_modules("nl").core_for(Subject.LEZEN):
        assert module.title in text


def test_dutch_and_other_accented_letters_print_from_the_bundled_fonts() -> None:
    pdf = certificate_pdf("Fleur-Anaïs Çelik", "rekenen", DAY, ["Één keer, twee keer: ë é ï ü ß ş ğ"], compress=False)
    text = pdf_text(pdf)
    assert "Fleur-Anaïs Çelik" in text
    assert "Één keer, twee keer: ë é ï ü ß ş ğ" in text
    assert b"DejaVuSans" in pdf
    fonts = resources.files("peermatch") / "fonts"
    assert (fonts / "DejaVuSans.ttf").is_file()
    assert (fonts / "DejaVuSans-Bold.ttf").is_file()


@pytest.mark.parametrize(
    ("subject", "lang", "role"),
    [
        ("rekenen", "nl", "rekenmaatje"),
        (Subject.LEZEN, "en", "reading buddy"),
        ("rekenen", "en", "maths buddy"),
        ("both", "nl", "lees- en rekenmaatje"),
    ],
)
def test_the_role_follows_the_subject_and_language(subject: Subject | str, lang: str, role: str) -> None:
    assert role in pdf_text(certificate_pdf("Sem", subject, DAY, [], lang, compress=False))


def test_the_english_certificate_has_an_english_date_and_title() -> None:
    text = pdf_text(certificate_pdf("Noor", "lezen", date(2026, 3, 5), [], "en", compress=False))
    assert "Tutor certificate" in text
    assert "Date: 5 March 2026" in text
    assert format_date(date(2026, 3, 5), "nl") == "5 maart 2026"


def test_the_name_is_in_the_file_title_so_a_saved_certificate_is_easy_to_find() -> None:
    pdf = certificate_pdf("Zoë", "lezen", DAY, [], compress=False)
    [title] = re.findall(rb"/Title <feff([0-9a-f]+)>", pdf)
    assert bytes.fromhex(title.decode()).decode("utf-16-be") == "Tutorbewijs voor Zoë"


def test_a_long_name_and_many_long_modules_still_fit_on_one_page() -> None:
    titles = [
        f"Module {i}: een heel lange titel die eigenlijk niet op één regel past, en nog langer" for i in range(20)
    ]
    pdf = certificate_pdf("Maria-Fernanda Alexandrina Wilhelmina van den Berg", "both", DAY, titles, compress=False)
    assert pdf.count(b"/Type /Page\n") == 1
    text = pdf_text(pdf)
    assert "Maria-Fernanda Alexandrina Wilhelmina van den Berg" in text
    assert text.count("…") == 20  # cut with an ellipsis rather than running off the page


def test_the_same_input_gives_the_same_bytes() -> None:
    assert certificate_pdf("Sem", "lezen", DAY, ["Wachten"]) == certificate_pdf("Sem", "lezen", DAY, ["Wachten"])


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"first_name": "  "}, "training.certificate_no_name"),
        ({"subject": "taal"}, "training.unknown_subject"),
        ({"lang": "de"}, "training.unknown_language"),
    ],
)
def test_an_empty_name_unknown_subject_or_language_is_refused(kwargs: dict[str, str], code: str) -> None:
    arguments: dict[str, object] = {"first_name": "Sem", "subject": "lezen", "lang": "nl", **kwargs}
    with pytest.raises(TrainingModuleError) as caught:
        certificate_pdf(date=DAY, modules_passed=[], **arguments)  # type: ignore[arg-type]
    assert caught.value.problems[0].code == code
