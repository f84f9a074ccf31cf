"""Envelope encryption: round trip and tampering (SECURITY.md "Keys", "Tests that prove it")."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from integriteit.crypto.envelope import DecryptionError, Sealer, WrappedKey, rewrap, unwrap, wrap
from integriteit.crypto.keys import keyring, new_key_document, write_key_file
from integriteit.reports.models import Report, ReporterIdentity
from integriteit.reports.sealing import open_content, open_identity, sealer_for

pytestmark = pytest.mark.django_db


def _fresh(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


def _flip(blob: bytes, index: int = -1) -> bytes:
    data = bytearray(blob)
    data[index] ^= 0x01
    return bytes(data)


def test_round_trip():
    sealer, wrapped = Sealer.new("report:1")
    blob = sealer.seal_text("report", "content", "Geheime tekst")
    assert b"Geheime tekst" not in blob
    again = Sealer.from_wrapped(wrapped, "report:1")
    assert again.open_text("report", "content", blob) == "Geheime tekst"
    # Two seals of the same text differ (random nonce).
    assert sealer.seal_text("report", "content", "x") != sealer.seal_text("report", "content", "x")


def test_round_trip_through_the_database(make_report):
    report, _code = make_report(description="Rondje door de database", name="Jan Melder")
    report = _fresh(report)
    assert open_content(report).description == "Rondje door de database"
    assert open_identity(report).name == "Jan Melder"


@pytest.mark.parametrize("index", [0, 5, 20, -1])
def test_tampered_ciphertext_fails(make_report, index):
    report, _code = make_report(description="Niet te wijzigen")
    Report.objects.filter(pk=report.pk).update(
        sealed_content=_flip(bytes(report.sealed_content), index)
    )
    with pytest.raises(DecryptionError):
        open_content(_fresh(report))


def test_truncated_ciphertext_fails():
    sealer, _wrapped = Sealer.new("report:1")
    blob = sealer.seal_text("report", "content", "kort")
    for cut in (blob[:10], blob[:-1], b""):
        with pytest.raises(DecryptionError):
            sealer.open("report", "content", cut)


def test_tampered_wrapped_key_fails(make_report):
    report, _code = make_report()
    Report.objects.filter(pk=report.pk).update(wrapped_key=_flip(bytes(report.wrapped_key)))
    with pytest.raises(DecryptionError):
        open_content(_fresh(report))


def test_ciphertext_swapped_between_reports_fails(make_report):
    a, _ = make_report(description="Melding A")
    b, _ = make_report(description="Melding B")
    Report.objects.filter(pk=b.pk).update(sealed_content=bytes(a.sealed_content))
    with pytest.raises(DecryptionError):
        open_content(_fresh(b))
    # Even with A's wrapped key copied along, B's id in the associated data stops it.
    Report.objects.filter(pk=b.pk).update(
        wrapped_key=bytes(a.wrapped_key), kek_version=a.kek_version
    )
    with pytest.raises(DecryptionError):
        open_content(_fresh(b))
    assert open_content(_fresh(a)).description == "Melding A"


def test_identity_swapped_between_reports_fails(make_report):
    a, _ = make_report(name="Anna A")
    b, _ = make_report(name="Bert B")
    ReporterIdentity.objects.filter(report=b).update(sealed=bytes(a.identity.sealed))
    with pytest.raises(DecryptionError):
        open_identity(_fresh(b))


def test_ciphertext_swapped_between_fields_fails(make_report):
    report, _code = make_report(description="Inhoud", name="Identiteit Persoon")
    identity_blob = bytes(ReporterIdentity.objects.get(report=report).sealed)
    Report.objects.filter(pk=report.pk).update(sealed_content=identity_blob)
    with pytest.raises(DecryptionError):
        open_content(_fresh(report))
    # And the other way round.
    report = _fresh(report)
    sealer = sealer_for(report)
    content_blob = sealer.seal_text("report", "content", "{}")
    with pytest.raises(DecryptionError):
        sealer.open("identity", "identity", content_blob)


def test_wrong_kek_version_fails(make_report):
    report, _code = make_report()
    Report.objects.filter(pk=report.pk).update(kek_version="999")
    with pytest.raises(DecryptionError):
        open_content(_fresh(report))


def test_wrong_kek_under_right_version_fails(key_file, make_report):
    report, _code = make_report()
    document = json.loads(key_file.read_text())
    other = json.loads(new_key_document())["keks"]["1"]
    document["keks"][report.kek_version] = other
    write_key_file(key_file, json.dumps(document))
    keyring.cache_clear()
    with pytest.raises(DecryptionError):
        open_content(_fresh(report))


def test_wrapped_key_bound_to_owner_and_version(key_file):
    dek = b"k" * 32
    wrapped = wrap(dek, "report:a")
    assert unwrap(wrapped, "report:a") == dek
    with pytest.raises(DecryptionError):
        unwrap(wrapped, "report:b")
    # Claiming another (existing) KEK version fails too.
    call_command("generate_keys", rotate=True, stdout=StringIO())
    moved = WrappedKey(wrapped.ciphertext, keyring().current_kek)
    with pytest.raises(DecryptionError):
        unwrap(moved, "report:a")
    assert unwrap(rewrap(wrapped, "report:a"), "report:a") == dek
