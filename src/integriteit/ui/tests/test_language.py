"""The UI is Dutch by default and English under /en/; the Dutch catalogue is complete."""

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "nl" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"


def parse_po(path: Path) -> tuple[list[dict[str, str]], list[int]]:
    """Return (entries, fuzzy_lines) for a .po file.

    Each entry is a dict of field name (msgid, msgid_plural, msgstr, msgstr[0], ...)
    to its unescaped text. Obsolete (#~) entries are skipped.
    """
    entries: list[dict[str, str]] = []
    fuzzy: list[int] = []
    current: dict[str, str] = {}
    field: str | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy.append(number)
        if not line or line.startswith("#"):
            if not line and current:
                entries.append(current)
                current, field = {}, None
            continue
        if line.startswith('"'):
            assert field is not None, f"{path}:{number}: a continued string without a field"
            current[field] += ast.literal_eval(line)
            continue
        field, _, value = line.partition(" ")
        if field == "msgid" and "msgid" in current:
            entries.append(current)
            current = {}
        current[field] = ast.literal_eval(value)
    if current:
        entries.append(current)
    return entries, fuzzy


def translations(entry):
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def test_dutch_is_the_default(client, db):
    response = client.get("/melden/")
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl"' in content
    assert "Melding maken" in content
    assert "Over welke organisatie gaat uw melding?" in content
    assert "Make a report" not in content


def test_english_lives_under_en(client, db):
    response = client.get("/en/melden/")
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en"' in content
    assert "Make a report" in content
    assert "Melding maken" not in content


def test_po_file_is_complete():
    entries, fuzzy = parse_po(PO_FILE)
    header = [entry for entry in entries if entry["msgid"] == ""]
    messages = [entry for entry in entries if entry["msgid"] != ""]
    assert len(header) == 1
    assert "Language: nl\n" in header[0]["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header[0]["msgstr"]
    assert messages, "the Dutch catalogue is empty"
    assert not fuzzy, f"fuzzy entries at lines {fuzzy}"
    untranslated = [entry["msgid"] for entry in messages if not all(translations(entry))]
    assert not untranslated, f"untranslated: {untranslated}"


def test_mo_file_matches_po_file():
    """The committed .mo is compiled from the current .po (run compilemessages after editing)."""
    entries, _ = parse_po(PO_FILE)
    with MO_FILE.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for entry in entries:
        if entry["msgid"] == "":
            continue
        if "msgid_plural" in entry:
            assert (
                catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 1) == entry["msgstr[0]"]
            )
            assert (
                catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 2) == entry["msgstr[1]"]
            )
        else:
            assert catalogue.gettext(entry["msgid"]) == entry["msgstr"]


@pytest.mark.parametrize(
    ("english", "dutch"),
    [
        ("Financial violations", "Financiële schendingen"),
        ("Misuse of the power to use force", "Misbruik van geweldsbevoegdheid"),
        ("Inappropriate conduct in private life", "Ongepast gedrag in de privésfeer"),
        ("Work queue", "Werkvoorraad"),
        ("Receipt code", "Ontvangstcode"),
    ],
)
def test_domain_terms(english, dutch):
    with translation.override("nl"):
        assert translation.gettext(english) == dutch
