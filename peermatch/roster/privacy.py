"""Columns we must not keep (data minimisation, DESIGN "Privacy by design", domain/privacy.md 5.3).

A roster export often carries far more than matching needs: BSN, ethnicity, country of birth,
address, parental-education weights, diagnoses, free-text remarks, e-mail and phone numbers. Such a
column is dropped on import: its values are never copied into a :class:`~peermatch.model.Roster`
or a :class:`~peermatch.errors.Problem`, and the teacher is told which columns were dropped.
"""

from __future__ import annotations

__all__ = ["is_sensitive"]

# Normalised header names (see headers.normalise): lower case, no accents, letters and digits only.
_EXACT = frozenset(
    {
        # identity numbers
        "bsn", "burgerservicenummer", "sofinummer", "sofi", "onderwijsnummer", "bsnondwnr4", "ondwnr",
        "rijksregisternummer", "pgn", "persoonsgebondennummer",
        # origin
        "etniciteit", "land", "landvader", "landmoeder", "geboorteland", "geboortelandvader",
        "geboortelandmoeder", "nationaliteit", "nationaliteiten", "herkomst", "afkomst", "thuistaal",
        # address
        "postcode", "postcodenl", "adres", "straat", "straatnaam", "huisnummer", "woonplaats", "plaats",
        "geboorteplaats", "postnummer", "postnummerbe",  # the last two: Flemish postcode (EDEXML Vlaanderen)
        # pupil weights and parents' education
        "gewicht", "gewichtnieuw", "leerlinggewicht", "opleidingouders", "opleidingvader", "opleidingmoeder",
        # health, diagnoses and labels, free text
        "dyslexie", "dyscalculie", "adhd", "add", "ass", "autisme", "diagnose", "diagnoses", "zorg",
        "zorgniveau", "arrangement", "ondersteuning", "opmerking", "opmerkingen", "notitie", "notities",
        "bijzonderheden", "medisch", "medicatie", "allergie", "allergieen", "toevoegingen",
        # contact, pictures, accounts
        "email", "emailadres", "mail", "telefoon", "telefoonnummer", "tel", "telnr", "mobiel", "gsm",
        "foto", "fotourl", "gebruikersnaam", "wachtwoord",
        # beliefs
        "religie", "godsdienst", "geloof", "levensbeschouwing",
    }
)  # fmt: skip

# Parts of normalised names that are sensitive wherever they appear ("bsn_ondwnr-4", "Diagnose AD(H)D",
# "Opmerkingen IB", "E-mail ouder 1", "Telefoon thuis", "Gewicht (nieuw)").
_PARTS = (
    "bsn", "sofinummer", "onderwijsnummer", "ondwnr", "etnic", "nationalit", "geboorteland", "postcode",
    "adres", "woonplaats", "gewicht", "opleidingouder", "opleidingvader", "opleidingmoeder", "dyslex",
    "dyscalc", "adhd", "diagnos", "zorg", "opmerking", "notitie", "bijzonderhed", "email", "telefoon",
    "mobiel", "medisch", "medicat", "allergie", "religie", "godsdienst", "ouder", "verzorger", "voogd",
)  # fmt: skip


def is_sensitive(normalised: str) -> bool:
    """True when a column with this (normalised) header must be dropped unread."""
    return normalised in _EXACT or any(part in normalised for part in _PARTS)
