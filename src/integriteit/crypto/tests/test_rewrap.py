"""KEK rotation: `generate_keys --rotate` then `rewrap_keys` moves every data key to the new KEK."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from integriteit.advisers import annual
from integriteit.advisers import log as adviser_log
from integriteit.advisers.models import AnnualReport, InterimSignal
from integriteit.advisers.tests.test_log import adviser_record, as_verified, log_input
from integriteit.audit.models import AuditEntry
from integriteit.audit.services import verify_chain
from integriteit.cases import services as case_services
from integriteit.cases.models import DeclaredConflict
from integriteit.cases.people import person_of
from integriteit.crypto.envelope import DecryptionError
from integriteit.crypto.holders import kek_versions_in_use, key_holders
from integriteit.crypto.keys import keyring, write_key_file
from integriteit.reports.models import Report
from integriteit.reports.sealing import open_content, open_identity

pytestmark = pytest.mark.django_db


def _rewrap() -> str:
    out = StringIO()
    call_command("rewrap_keys", batch_size=2, stdout=out)
    return out.getvalue()


def test_rotate_rewrap_and_remove_old_kek(key_file, make_report):
    reports = [
        make_report(description=f"Geheime melding nummer {n}", name="Kees Melder")[0]
        for n in range(5)
    ]
    old_version = keyring().current_kek
    assert {r.kek_version for r in reports} == {old_version}

    call_command("generate_keys", rotate=True, stdout=StringIO())
    keyring.cache_clear()
    new_version = keyring().current_kek
    assert new_version != old_version

    output = _rewrap()
    assert "Re-wrapped 5" in output
    assert set(Report.objects.values_list("kek_version", flat=True)) == {new_version}
    entries = AuditEntry.objects.filter(action="keys.rewrapped")
    assert sum(e.detail["count"] for e in entries) == 5
    assert entries.count() == 3  # batches of 2, 2 and 1
    assert all(e.actor_label == "system" for e in entries)

    # Idempotent: a second run finds nothing to do and writes no entry.
    assert "Re-wrapped 0" in _rewrap()
    assert AuditEntry.objects.filter(action="keys.rewrapped").count() == 3

    # The old KEK can now go: every report still opens with only the new one.
    document = json.loads(key_file.read_text())
    document["keks"] = {new_version: document["keks"][new_version]}
    write_key_file(key_file, json.dumps(document))
    keyring.cache_clear()
    assert list(keyring().keks) == [new_version]
    for report in Report.objects.all():
        assert open_identity(report).name == "Kees Melder"
    descriptions = {open_content(r).description for r in Report.objects.all()}
    assert descriptions == {f"Geheime melding nummer {n}" for n in range(5)}
    assert verify_chain().intact


def test_without_rewrap_old_kek_cannot_be_removed(key_file, make_report):
    report, _code = make_report(description="Nog onder de oude sleutel")
    call_command("generate_keys", rotate=True, stdout=StringIO())
    keyring.cache_clear()
    document = json.loads(key_file.read_text())
    current = document["current_kek"]
    document["keks"] = {current: document["keks"][current]}
    write_key_file(key_file, json.dumps(document))
    keyring.cache_clear()
    with pytest.raises(DecryptionError):
        open_content(Report.objects.get(pk=report.pk))


def _retire_all_but_current(key_file: Path) -> None:
    document = json.loads(key_file.read_text())
    current = document["current_kek"]
    document["keks"] = {current: document["keks"][current]}
    write_key_file(key_file, json.dumps(document))
    keyring.cache_clear()


def test_every_model_that_stores_a_wrapped_key_is_a_registered_holder():
    """A new module's model with a data key that forgets to register loses its data when the old
    KEK is retired; this finds it from the models themselves, not from a list."""
    storing = {
        model._meta.label
        for model in django_apps.get_models()
        if {"wrapped_key", "kek_version"} <= {field.name for field in model._meta.get_fields()}
    }
    assert storing
    assert storing <= {holder.label for holder in key_holders()}


def test_rotation_reaches_every_key_holder(key_file, make_report, people):
    """Issue 9 defect 1: after rotate, re-wrap and retiring the old KEK, nothing anywhere still
    needs the old KEK: the advisers' notes open as well as the reports."""
    assert {holder.label for holder in key_holders()} >= {
        "reports.Report",
        "advisers.ConversationLogEntry",
        "advisers.AnnualReport",
        "advisers.InterimSignal",
        "cases.DeclaredConflict",
    }
    report, _code = make_report(description="Melding onder de oude sleutel", name="Kees Melder")
    adviser = as_verified(people["adviser"])
    adviser_record(adviser)
    entry = adviser_log.record_conversation(adviser, log_input(notes="Notitie oude sleutel"))
    bzk = report.organisation
    annual_report = annual.create_report(adviser, bzk, 2025)
    annual.add_recommendation(adviser, annual_report, "Aanbeveling oude sleutel")
    signal = annual.raise_signal(adviser, bzk, "Signaal oude sleutel")
    conflict = case_services.declare_conflict(people["guide"], people["employee"])
    old_version = keyring().current_kek

    call_command("generate_keys", rotate=True, stdout=StringIO())
    keyring.cache_clear()
    output = _rewrap()
    assert "advisers.ConversationLogEntry: 1 re-wrapped" in output
    for label in ("advisers.AnnualReport", "advisers.InterimSignal", "cases.DeclaredConflict"):
        assert f"{label}: 1 re-wrapped" in output
    assert "reports.Report: 1 re-wrapped" in output
    assert old_version not in kek_versions_in_use()
    _retire_all_but_current(key_file)

    assert open_content(Report.objects.get(pk=report.pk)).description == (
        "Melding onder de oude sleutel"
    )
    entry = adviser_log.ConversationLogEntry.objects.get(pk=entry.pk)
    assert adviser_log.notes_of(adviser, entry) == "Notitie oude sleutel"
    [recommendation] = annual.recommendations_of(AnnualReport.objects.get(pk=annual_report.pk))
    assert recommendation.text == "Aanbeveling oude sleutel"
    assert annual.open_signal(InterimSignal.objects.get(pk=signal.pk)).text == (
        "Signaal oude sleutel"
    )
    conflict = DeclaredConflict.objects.get(pk=conflict.pk)
    assert person_of(conflict, "person") == people["employee"]
