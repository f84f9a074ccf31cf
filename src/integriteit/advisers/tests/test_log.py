"""The conversation log: sealed notes, the name warning and the save-anyway flow, edit and
delete of own entries (issue 5 §3)."""

import datetime
import sqlite3

import pytest
from django.db import connection
from django.utils import timezone, translation

from integriteit.advisers import log as services
from integriteit.advisers.constants import AdviserKind, AdviserThemes, ConversationTheme, Referral
from integriteit.advisers.models import ConfidentialAdviser, ConversationLogEntry
from integriteit.audit.models import AuditEntry
from integriteit.organisations.models import Organisation
from integriteit.testing import stored_bytes

NOTES = "Medewerker voelt zich buitengesloten in het overleg; gesprek over opties gevoerd."


def as_verified(user):
    user.is_verified = lambda: True
    return user


def adviser_record(user) -> ConfidentialAdviser:
    adviser, _ = ConfidentialAdviser.objects.get_or_create(
        user=user,
        defaults={
            "kind": AdviserKind.INTERNAL,
            "themes": AdviserThemes.BOTH,
            "home_organisation": Organisation.objects.get(slug="bzk"),
        },
    )
    adviser.organisations_served.add(Organisation.objects.get(slug="bzk"))
    return adviser


def log_input(**extra) -> services.LogInput:
    values = {
        "held_on": timezone.localdate() - datetime.timedelta(days=1),
        "theme": ConversationTheme.BULLYING,
        "organisation": Organisation.objects.get(slug="bzk"),
        "conversations": 2,
        "referrals": [Referral.COMPANY_DOCTOR],
        "notes": NOTES,
    }
    return services.LogInput(**{**values, **extra})


def form_data(**extra) -> dict:
    return {
        "held_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "theme": ConversationTheme.BULLYING,
        "organisation": Organisation.objects.get(slug="bzk").pk,
        "conversations": "1",
        "referrals": [Referral.RABA],
        "notes": "",
        **extra,
    }


def test_notes_are_sealed_and_read_by_the_author(people):
    adviser = as_verified(people["adviser"])
    adviser_record(adviser)
    entry = services.record_conversation(adviser, log_input())
    entry.refresh_from_db()
    assert entry.wrapped_key and entry.kek_version and entry.sealed_notes
    assert NOTES.encode() not in bytes(entry.sealed_notes)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM advisers_conversationlogentry WHERE id = %s", [entry.pk])
        raw = repr(cursor.fetchone()).encode()
    assert b"buitengesloten" not in raw
    assert services.notes_of(adviser, entry) == NOTES
    actions = list(
        AuditEntry.objects.filter(object_type="adviserlog").values_list("action", "detail")
    )
    assert ("adviserlog.created", {}) in actions and ("adviserlog.notes_read", {}) in actions
    assert "buitengesloten" not in repr(list(AuditEntry.objects.values_list("detail", flat=True)))


def test_notes_not_in_the_database_file(people, transactional_db):
    """The stored bytes (SQLite file or pg_dump) hold no plaintext of the notes."""
    adviser = as_verified(people["adviser"])
    adviser_record(adviser)
    services.record_conversation(adviser, log_input(notes="Zeer herkenbaar woord Xyzzyplover."))
    if connection.vendor == "sqlite":
        with sqlite3.connect(connection.settings_dict["NAME"]) as raw:
            raw.execute("PRAGMA wal_checkpoint(FULL)")
    for where, content in stored_bytes().items():
        assert b"Xyzzyplover" not in content, where


def test_ciphertext_bound_to_its_row(people):
    adviser = as_verified(people["adviser"])
    adviser_record(adviser)
    first = services.record_conversation(adviser, log_input(notes="eerste notitie"))
    second = services.record_conversation(adviser, log_input(notes="tweede notitie"))
    ConversationLogEntry.objects.filter(pk=second.pk).update(
        wrapped_key=first.wrapped_key,
        kek_version=first.kek_version,
        sealed_notes=first.sealed_notes,
    )
    second.refresh_from_db()
    from integriteit.crypto.envelope import DecryptionError

    with pytest.raises(DecryptionError):
        services.notes_of(adviser, second)


@pytest.mark.parametrize(
    ("text", "warns"),
    [
        ("Gesprek over werkdruk en de sfeer in het team.", False),
        ("Vervolggesprek gepland. Medewerker twijfelt over een melding.", False),
        ("Melder noemt Jan Jansen als degene die dreigt.", True),
        ("Het gaat om mevr. Bakker van inkoop.", True),
        ("Leidinggevende is dhr. Pietersen.", True),
        ("Klacht over Anna de Vries.", True),
        ("Mail naar sanne@example.nl gestuurd.", True),
        ("Terugbellen op 06-12345678.", True),
    ],
)
def test_name_warnings(text, warns):
    assert bool(services.name_warnings(text)) is warns


def test_form_warns_and_saves_only_after_save_anyway(people, staff_client):
    adviser_record(people["adviser"])
    client = staff_client(people["adviser"])
    data = form_data(notes="Gesprek over Jan Jansen en zijn gedrag.")
    warned = client.post("/vertrouwenspersonen/logboek/nieuw/", data)
    assert warned.status_code == 200
    assert 'id="name-warnings"' in warned.content.decode()
    assert 'name="save_anyway"' in warned.content.decode()
    assert not ConversationLogEntry.objects.exists()
    saved = client.post("/vertrouwenspersonen/logboek/nieuw/", {**data, "save_anyway": "on"})
    assert saved.status_code == 302
    entry = ConversationLogEntry.objects.get()
    assert services.notes_of(as_verified(people["adviser"]), entry) == data["notes"]


def test_form_without_notes_saves_directly(people, staff_client):
    adviser_record(people["adviser"])
    client = staff_client(people["adviser"])
    response = client.post("/vertrouwenspersonen/logboek/nieuw/", form_data())
    assert response.status_code == 302
    entry = ConversationLogEntry.objects.get()
    assert entry.referrals == [Referral.RABA] and entry.sealed_notes is None


def test_list_filters_and_edit_and_delete(people, staff_client):
    adviser = as_verified(people["adviser"])
    adviser_record(adviser)
    this_year = services.record_conversation(adviser, log_input(notes=""))
    old = services.record_conversation(
        adviser,
        log_input(held_on=datetime.date(2020, 3, 1), theme=ConversationTheme.FINANCIAL, notes=""),
    )
    client = staff_client(people["adviser"])
    page = client.get("/vertrouwenspersonen/logboek/").content.decode()
    assert f"/logboek/{this_year.pk}/" in page and f"/logboek/{old.pk}/" in page
    page = client.get("/vertrouwenspersonen/logboek/?year=2020").content.decode()
    assert f"/logboek/{old.pk}/" in page and f"/logboek/{this_year.pk}/" not in page
    page = client.get(
        f"/vertrouwenspersonen/logboek/?theme={ConversationTheme.BULLYING}"
    ).content.decode()
    assert f"/logboek/{this_year.pk}/" in page and f"/logboek/{old.pk}/" not in page
    response = client.post(
        f"/vertrouwenspersonen/logboek/{old.pk}/",
        form_data(theme=ConversationTheme.OTHER, notes="Nieuwe notitie zonder namen."),
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.theme == ConversationTheme.OTHER
    assert services.notes_of(adviser, old) == "Nieuwe notitie zonder namen."
    assert (
        "Nieuwe notitie zonder namen."
        in client.get(f"/vertrouwenspersonen/logboek/{old.pk}/").content.decode()
    )
    client.post(f"/vertrouwenspersonen/logboek/{old.pk}/verwijderen/")
    assert not ConversationLogEntry.objects.filter(pk=old.pk).exists()


def test_log_page_is_404_without_adviser_record(people, staff_client):
    ConfidentialAdviser.objects.filter(user=people["coordinator"]).delete()
    client = staff_client(people["coordinator"])
    assert client.get("/vertrouwenspersonen/logboek/").status_code == 404
    assert client.get("/vertrouwenspersonen/logboek/nieuw/").status_code == 404


def test_pages_in_english(people, staff_client):
    adviser_record(people["adviser"])
    client = staff_client(people["adviser"])
    with translation.override("en"):
        assert client.get("/en/vertrouwenspersonen/logboek/").status_code == 200


def test_the_nine_violation_types_are_the_first_log_themes():
    """One definition of the nine types (reports.constants, seed 001 §2.1); the log's themes
    start with exactly those codes, in that order."""
    from integriteit.reports.constants import ViolationTypeCode

    assert ConversationTheme.values[:9] == ViolationTypeCode.values
    assert len(ViolationTypeCode.values) == 9


def test_no_other_module_spells_out_the_nine_types():
    """Before, advisers/constants.py repeated all nine codes and labels; now only their
    definition names them (migrations, frozen history, and tests aside)."""
    import ast
    from pathlib import Path

    from integriteit.reports.constants import ViolationTypeCode

    root = Path(__file__).resolve().parents[2]
    codes = set(ViolationTypeCode.values) - {"financial"}  # "financial" is also a test default
    spelling = []
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if "migrations" in parts or "tests" in parts or parts == ("reports", "constants.py"):
            continue
        literals = {
            node.value
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
        if len(codes & literals) > 2:
            spelling.append(str(path.relative_to(root)))
    assert spelling == []


def test_the_notes_field_says_optional_once(people, staff_client):
    """Issue 10 defect 7: the label carried "(optional)" and the form added it again."""
    adviser_record(people["adviser"])
    page = staff_client(people["adviser"]).get("/en/vertrouwenspersonen/logboek/nieuw/")
    assert page.status_code == 200
    assert "(optional) (optional)" not in page.content.decode()
    assert "Notes <span" in page.content.decode()
