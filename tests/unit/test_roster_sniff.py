"""Recognising the kind of file and its text encoding from the content, not the name."""

from __future__ import annotations

import codecs

import pytest

from peermatch.errors import UnsupportedFileError
from peermatch.roster.sniff import decode_text, detect_format
from peermatch.roster.table import Format

TEXT = "leerlingnummer;roepnaam;achternaam\r\n1;Zoë;Çelik\r\n"


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"PK\x03\x04rest", "klas.csv", Format.XLSX),  # content wins over the name
        (b"<?xml version='1.0'?><EDEX/>", "EDEX.XML", Format.XML),
        (b"  \r\n<EDEX/>", None, Format.XML),
        (codecs.BOM_UTF8 + b"<EDEX/>", None, Format.XML),
        ("<EDEX/>".encode("utf-16"), None, Format.XML),
        (b"leerlingnummer;roepnaam", "klas.xlsx", Format.CSV),
    ],
)
def test_the_format_comes_from_the_content(data: bytes, filename: str | None, expected: Format) -> None:
    assert detect_format(data, filename) is expected


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "roster.file.xls_old"),
        (b"%PDF-1.4\n", "roster.file.unsupported"),
        (b"\x89PNG\r\n\x1a\n", "roster.file.unsupported"),
        (b"<!DOCTYPE html><html><body>", "roster.file.unsupported"),
    ],
)
def test_known_non_roster_files_are_refused_with_a_specific_message(data: bytes, code: str) -> None:
    with pytest.raises(UnsupportedFileError) as info:
        detect_format(data, "klas.csv")

    assert info.value.problems[0].code == code
    assert info.value.problems[0].file == "klas.csv"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "utf-16-be"])
def test_text_is_decoded_from_every_supported_encoding_without_a_bom(encoding: str) -> None:
    assert decode_text(TEXT.encode(encoding)) == TEXT


def test_nul_bytes_mean_a_binary_file() -> None:
    with pytest.raises(UnsupportedFileError) as info:
        decode_text(b"leerlingnummer;roepnaam\x00\x00\x01\x02;\xff\xfe\x00")

    assert info.value.problems[0].code == "roster.file.binary"


def test_many_control_characters_mean_a_binary_file() -> None:
    with pytest.raises(UnsupportedFileError):
        decode_text(b"abc\x01\x02\x03\x04\x05\x06def")


def test_a_stray_control_character_in_a_long_text_is_tolerated() -> None:
    text = TEXT * 50 + "\x0b"

    assert decode_text(text.encode()) == text
