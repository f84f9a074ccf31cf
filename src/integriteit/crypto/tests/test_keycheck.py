"""The key document is checked against the database before any key is used (issue 8 item 4,
docs/decisions/0011-key-document-check.md).

A valid-looking wrong document (every key well-formed, the same KEK version, other keys) used to
pass unnoticed: /healthz said ok, reports were sealed under a KEK nobody keeps, valid receipt
codes were "not known", and a coordinator named in a report saw it in his queue."""

import base64
import json
import runpy
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.db import OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.html import escape

import integriteit
from integriteit.access.rules import reports_visible_to
from integriteit.audit.models import AuditEntry
from integriteit.crypto import keycheck
from integriteit.crypto.keycheck import KeyCheckFailed, checked_keyring, kek_name
from integriteit.crypto.keys import keyring, parse_keyring
from integriteit.crypto.models import KeyFingerprint
from integriteit.reports.models import Report
from integriteit.reports.sealing import open_content
from integriteit.reports.views.mailbox import MAILBOX_KEY
from integriteit.testing import verified_client

from .conftest import wrong_document

pytestmark = pytest.mark.django_db

# What gunicorn's workers and runserver load (run, not imported: importing it runs the check).
WSGI = str(Path(integriteit.__file__).parent / "wsgi.py")
UNAVAILABLE = "The reporting point is temporarily unavailable"
UNKNOWN_CODE = "This receipt code is not known. Check it and try again."


def shown(text: str) -> str:
    """A message as the (Dutch) page shows it, HTML-escaped."""
    with translation.override("nl"):
        return escape(translation.gettext(text))


@pytest.fixture
def recorded(fresh_check, people):
    """The real document's fingerprints are in this test's database (as after the first start)."""
    checked_keyring()
    assert KeyFingerprint.objects.filter(name="exclusion_key").exists()


def key_material(*documents: dict) -> list[str]:
    """Every key of the documents, as in the document and as hex."""
    values = []
    for document in documents:
        keys = list(document["keks"].values()) + [
            document[name] for name in ("receipt_pepper", "audit_key", "exclusion_key")
        ]
        values += keys + [base64.b64decode(key).hex() for key in keys]
    return values


def problems_under(use_document, document) -> str:
    use_document(document)
    with pytest.raises(KeyCheckFailed) as failure:
        checked_keyring()
    return str(failure.value)


def call_command_output(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


# --- The symptoms with a valid-looking wrong document ----------------------------------------


def test_healthz_fails_and_names_no_key_material(
    recorded, make_report, real_document, use_document
):
    make_report()
    wrong = wrong_document()
    use_document(wrong)
    response = Client().get("/healthz")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "error" and data["database"] == "ok" and data["keys"] == "mismatch"
    assert "receipt_pepper differs" in data["reason"]
    assert "exclusion_key differs" in data["reason"]
    assert "KEK version 1 differs" in data["reason"]
    body = response.content.decode()
    assert not [value for value in key_material(wrong, real_document) if value in body]
    assert not [row.fingerprint for row in KeyFingerprint.objects.all() if row.fingerprint in body]


def test_healthz_is_ok_with_the_right_document(recorded):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["keys"] == "ok"


def test_healthz_fails_without_a_key_document(recorded, key_file, fresh_check):
    key_file.unlink()
    keyring.cache_clear()
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["keys"] == "missing"
    assert str(key_file) not in response.content.decode()  # the path stays in the log
    assert Client().get("/melden/").status_code == 503


def test_application_refuses_to_start(recorded, make_report, use_document):
    """wsgi.py is what gunicorn's workers and runserver load: it raises instead of serving."""
    make_report()
    use_document(wrong_document())
    with pytest.raises(KeyCheckFailed, match="receipt_pepper differs"):
        runpy.run_path(WSGI)


def test_application_starts_with_the_right_document(recorded, fresh_check):
    assert callable(runpy.run_path(WSGI)["application"])


def test_an_unreachable_database_does_not_stop_the_start(recorded, use_document, monkeypatch):
    """The check waits for the first request; the pages say 'unavailable' until it passes."""

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    use_document(wrong_document())
    monkeypatch.setattr(keycheck, "inspect", unreachable)
    keycheck.check_at_start()  # no exception
    response = Client().get("/melden/")
    assert response.status_code == 503 and shown(UNAVAILABLE) in response.content.decode()


def test_reporter_post_stores_no_report_under_a_wrong_key(recorded, make_report, use_document):
    make_report()
    before = Report.objects.count()
    use_document(wrong_document())
    client = Client()
    response = client.post(
        "/melden/bzk/",
        {
            "kind": "integrity_violation",
            "violation_types": ["financial"],
            "description": "Onder een verkeerde sleutel.",
            "raised_before": "no",
            "relation": "employee",
            "anonymous": "1",
        },
    )
    assert response.status_code == 503
    assert response["Retry-After"]
    assert shown(UNAVAILABLE) in response.content.decode()
    assert Report.objects.count() == before


def test_valid_receipt_code_is_not_called_unknown(recorded, make_report, use_document):
    _report, code = make_report()
    use_document(wrong_document())
    client = Client()
    response = client.post("/postbus/", {"code": code})
    assert response.status_code == 503
    page = response.content.decode()
    assert shown(UNAVAILABLE) in page and shown(UNKNOWN_CODE) not in page
    assert MAILBOX_KEY not in client.session


def test_named_coordinator_does_not_see_the_report(
    recorded, make_report, people, real_document, use_document
):
    """Only the exclusion key differs: the coordinator's tag no longer matches the stored
    exclusion. Every staff page answers 503, and the access rules themselves refuse."""
    coordinator = people["coordinator"]
    report, _code = make_report(involved=(coordinator,))
    client = verified_client(coordinator)
    assert report.reference not in client.get("/behandeling/").content.decode()

    use_document(real_document | {"exclusion_key": wrong_document()["exclusion_key"]})
    for page in ("/behandeling/", f"/behandeling/{report.pk}/", "/behandeling/overzicht/"):
        response = client.get(page)
        assert response.status_code == 503, page
        assert report.reference not in response.content.decode()
    assert client.get("/beheer/").status_code == 503
    coordinator.is_verified = lambda: True
    with pytest.raises(KeyCheckFailed, match="exclusion_key differs"):
        reports_visible_to(coordinator).filter(pk=report.pk).exists()


def test_generate_keys_refuses_on_a_populated_database_without_the_file(
    recorded, make_report, key_file, fresh_check
):
    make_report()
    key_file.unlink()
    keyring.cache_clear()
    for options in ({}, {"if_missing": True}):
        with pytest.raises(CommandError, match=r"already holds data.*reports\.Report"):
            call_command("generate_keys", stdout=StringIO(), **options)
        assert not key_file.exists()


def test_generate_keys_writes_a_document_for_an_empty_database(key_file, fresh_check):
    KeyFingerprint.objects.all().delete()
    key_file.unlink()
    call_command("generate_keys", stdout=StringIO())
    assert parse_keyring(key_file.read_text()).current_kek == "1"


def test_generate_keys_refuses_with_the_environment_variant(key_file, settings):
    settings.INTEGRITEIT_KEYS_JSON = key_file.read_text()
    for options in ({}, {"rotate": True}):
        with pytest.raises(CommandError, match="INTEGRITEIT_KEYS is set"):
            call_command("generate_keys", stdout=StringIO(), **options)


def test_a_missing_kek_version_still_in_use_is_named(recorded, make_report, key_file, use_document):
    make_report()
    call_command("generate_keys", rotate=True, stdout=StringIO())
    document = json.loads(key_file.read_text())
    del document["keks"]["1"]  # removed before `rewrap_keys`
    message = problems_under(use_document, document)
    assert "KEK version 1 is missing from the key document, but stored data keys need it" in message
    assert "1" in Client().get("/healthz").json()["reason"]
    with pytest.raises(CommandError, match="KEK version 1 is missing"):
        call_command("verify_keys", stdout=StringIO())


# --- What counts as a mismatch --------------------------------------------------------------


@pytest.mark.parametrize("name", ["receipt_pepper", "audit_key", "exclusion_key"])
def test_each_key_is_compared(recorded, real_document, use_document, name):
    document = real_document | {name: wrong_document()[name]}
    assert f"The {name} differs" in problems_under(use_document, document)


def test_a_different_kek_under_a_recorded_version(recorded, real_document, use_document):
    document = real_document | {"keks": {"1": wrong_document()["keks"]["1"]}}
    assert "KEK version 1 differs" in problems_under(use_document, document)


def test_a_current_kek_added_by_hand_must_be_accepted(recorded, real_document, use_document):
    document = real_document | {
        "keks": real_document["keks"] | {"2": wrong_document()["keks"]["1"]},
        "current_kek": "2",
    }
    assert "current KEK version 2 is not recorded" in problems_under(use_document, document)
    out = StringIO()
    call_command("verify_keys", accept_current_kek=True, stdout=out)
    assert "Recorded the fingerprint of kek:2" in out.getvalue()
    assert checked_keyring().current_kek == "2"


def test_environment_variant_is_checked_the_same_way(recorded, make_report, settings, key_file):
    """INTEGRITEIT_KEYS: a wrong document fails, a KEK added by hand is accepted explicitly."""
    _report, code = make_report()
    settings.INTEGRITEIT_KEYS_JSON = json.dumps(wrong_document())
    keyring.cache_clear()
    assert Client().get("/healthz").status_code == 503
    assert Client().post("/postbus/", {"code": code}).status_code == 503

    real = json.loads(Path(settings.INTEGRITEIT_KEY_FILE).read_text())
    rotated = real | {"keks": real["keks"] | {"2": wrong_document()["keks"]["1"]}}
    settings.INTEGRITEIT_KEYS_JSON = json.dumps(rotated | {"current_kek": "2"})
    keyring.cache_clear()
    assert Client().get("/healthz").json()["reason"].startswith("The current KEK version 2")
    call_command("verify_keys", accept_current_kek=True, stdout=StringIO())
    assert Client().get("/healthz").status_code == 200


def test_rotation_records_the_new_kek_and_refuses_the_older_document(
    recorded, make_report, key_file, use_document
):
    make_report()
    before = key_file.read_text()
    call_command("generate_keys", rotate=True, stdout=StringIO())
    assert KeyFingerprint.objects.filter(name=kek_name("2")).exists()
    entry = AuditEntry.objects.get(action="keys.rotated")
    assert entry.object_id == "2" and entry.detail == {"previous": "1"}
    use_document(key_file.read_text())
    assert checked_keyring().current_kek == "2"

    # A server still started with the document from before the rotation refuses.
    message = problems_under(use_document, before)
    assert "KEK version 2 was added by a rotation after the current KEK version 1" in message
    # Going back on purpose (before any data key is wrapped under 2) is an explicit act.
    call_command("verify_keys", accept_current_kek=True, stdout=StringIO())
    assert not KeyFingerprint.objects.filter(name=kek_name("2")).exists()
    assert checked_keyring().current_kek == "1"


def test_retired_kek_is_forgotten(recorded, make_report, key_file, use_document):
    report, _code = make_report(description="Na de rotatie")
    call_command("generate_keys", rotate=True, stdout=StringIO())
    keyring.cache_clear()
    call_command("rewrap_keys", stdout=StringIO())
    use_document(key_file.read_text())  # every server restarted with the rotated document
    out = StringIO()
    call_command("retire_keys", stdout=out)
    assert "Removed KEK version 1" in out.getvalue()
    assert list(json.loads(key_file.read_text())["keks"]) == ["2"]
    assert not KeyFingerprint.objects.filter(name=kek_name("1")).exists()
    assert AuditEntry.objects.filter(action="keys.retired", object_id="1").exists()
    use_document(key_file.read_text())
    assert checked_keyring().current_kek == "2"
    assert open_content(Report.objects.get(pk=report.pk)).description == "Na de rotatie"
    assert "Nothing to retire" in call_command_output("retire_keys")


def test_retire_keys_keeps_a_kek_that_data_still_needs(recorded, make_report, key_file):
    make_report()
    call_command("generate_keys", rotate=True, stdout=StringIO())
    keyring.cache_clear()
    assert "Nothing to retire" in call_command_output("retire_keys")
    assert set(keyring().keks) == {"1", "2"}


# --- First use and an installation from before the check -------------------------------------


def test_first_use_records_every_key(people, fresh_check):
    KeyFingerprint.objects.all().delete()
    checked_keyring()
    assert set(KeyFingerprint.objects.values_list("name", flat=True)) == {
        "receipt_pepper",
        "audit_key",
        "exclusion_key",
        "kek:1",
    }


def test_upgrade_records_a_document_the_data_confirms(people, make_report, fresh_check):
    make_report(involved=(people["coordinator"],))
    KeyFingerprint.objects.all().delete()
    out = call_command_output("verify_keys")
    assert "Recorded the fingerprint of kek:1" in out and "fits this database" in out
    assert KeyFingerprint.objects.count() == 4


@pytest.mark.parametrize(
    ("wrong_keys", "expected"),
    [
        (("keks",), "KEK version 1 does not open the data keys stored under it"),
        (("audit_key",), "The audit_key does not fit the data stored in this database"),
        (("exclusion_key",), "The exclusion_key does not fit the data stored in this database"),
    ],
)
def test_upgrade_refuses_a_document_the_data_contradicts(
    make_report, people, real_document, use_document, wrong_keys, expected
):
    make_report(involved=(people["coordinator"],))
    KeyFingerprint.objects.all().delete()
    wrong = wrong_document()
    message = problems_under(use_document, real_document | {k: wrong[k] for k in wrong_keys})
    assert expected in message
    assert not KeyFingerprint.objects.exists()  # nothing recorded


def test_another_process_recording_another_document_at_the_same_time(people, fresh_check):
    KeyFingerprint.objects.all().delete()
    check = keycheck.inspect(keyring())
    KeyFingerprint.objects.create(
        name="audit_key", fingerprint="0" * 64, recorded_at=timezone.now()
    )
    with pytest.raises(KeyCheckFailed, match="Another process recorded a different audit_key"):
        keycheck._apply(check)
    assert list(KeyFingerprint.objects.values_list("name", flat=True)) == ["audit_key"]


# --- Where it is enforced, and what it costs ------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["rewrap_keys"],
        ["retire_keys"],
        ["verify_audit_chain"],
        ["remove_personal_data", "--dry-run"],
        ["send_reminders", "--dry-run"],
        ["purge_drafts"],
        ["generate_keys", "--rotate"],
    ],
)
def test_commands_touching_sealed_data_refuse(recorded, use_document, command):
    use_document(wrong_document())
    with pytest.raises(CommandError, match="does not fit this database"):
        call_command(*command, stdout=StringIO())


def test_system_check_reports_a_mismatch(recorded, use_document):
    call_command("check", "--database", "default", stdout=StringIO())
    use_document(wrong_document())
    with pytest.raises(SystemCheckError, match=r"crypto\.E002.*receipt_pepper differs"):
        call_command("check", "--database", "default", stdout=StringIO(), stderr=StringIO())


def test_system_check_waits_while_migrations_are_pending(recorded, use_document, monkeypatch):
    """`migrate` runs the database checks before migrating: the tables may not match the models
    yet (an upgrade that adds a key holder), so the comparison waits for the current schema."""
    use_document(wrong_document())
    assert keycheck.system_check(databases=["default"])
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: ["pending"])
    assert keycheck.system_check(databases=["default"]) == []


def test_a_check_that_passed_costs_nothing_until_restart(recorded, key_file):
    with CaptureQueriesContext(connection) as queries:
        checked_keyring()
        assert Client().get("/healthz").status_code == 200
    assert [q["sql"] for q in queries] == ["SELECT 1"]
    # A new document on disk is read at restart only (keys are cached per process).
    key_file.write_text(json.dumps(wrong_document()))
    assert checked_keyring() is keyring()
    keyring.cache_clear()
    with pytest.raises(KeyCheckFailed):
        checked_keyring()


def test_a_database_error_during_the_check_is_not_remembered(recorded, monkeypatch):
    inspect = keycheck.inspect
    keycheck._passed.clear()  # a process that has not checked yet

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(keycheck, "inspect", unreachable)
    assert Client().get("/melden/").status_code == 503
    assert Client().get("/healthz").status_code == 503
    monkeypatch.setattr(keycheck, "inspect", inspect)
    assert Client().get("/melden/").status_code == 200
