"""Opaque person references (docs/decisions/0013), step 2 of 3: seal what the clear columns hold.

Subjects get a tag and their id sealed under the case's data key; who assisted at a hearing and
the organisation a report was referred to are sealed under it too. A declared conflict gets its
own data key, the colleague's tag and the colleague's id sealed under it.
This needs the key document: with rows to convert and no keys, the migration stops before
anything changes (restore the key file and run it again). A case whose data key was destroyed
(ADR 0008) keeps nothing: its clear values are dropped, as retention meant them to be.
"""

from django.db import migrations

from integriteit.crypto.envelope import Sealer, WrappedKey
from integriteit.crypto.references import open_field, refer, referred_id, seal_field
from integriteit.crypto.keycheck import with_keys
from integriteit.reports.sealing import sealer_for


def _case_sealer(report) -> Sealer | None:
    return sealer_for(report) if bytes(report.wrapped_key or b"") else None


def _conflict_owner(conflict) -> str:
    return f"declaredconflict:{conflict.pk}"


def seal(apps, schema_editor):
    Subject = apps.get_model("cases", "Subject")
    Hearing = apps.get_model("cases", "Hearing")
    FollowUp = apps.get_model("cases", "FollowUp")
    DeclaredConflict = apps.get_model("cases", "DeclaredConflict")
    for subject in Subject.objects.exclude(person=None).select_related("report"):
        sealer = _case_sealer(subject.report)
        if sealer is not None:
            refer(sealer, subject, "person", subject.person_id)
        subject.person_id = None
        subject.save(update_fields=["person_tag", "sealed_person", "person"])
    for hearing in Hearing.objects.exclude(assisted_by="").select_related("report"):
        sealer = _case_sealer(hearing.report)
        if sealer is not None:
            seal_field(sealer, hearing, "sealed_assisted_by", hearing.assisted_by)
        hearing.assisted_by = ""
        hearing.save(update_fields=["sealed_assisted_by", "assisted_by"])
    for follow_up in FollowUp.objects.exclude(referral_organisation="").select_related("report"):
        sealer = _case_sealer(follow_up.report)
        if sealer is not None:
            seal_field(
                sealer, follow_up, "sealed_referral_organisation", follow_up.referral_organisation
            )
        follow_up.referral_organisation = ""
        follow_up.save(update_fields=["sealed_referral_organisation", "referral_organisation"])
    for conflict in DeclaredConflict.objects.all():
        sealer, wrapped = Sealer.new(_conflict_owner(conflict))
        conflict.wrapped_key, conflict.kek_version = wrapped.ciphertext, wrapped.kek_version
        refer(sealer, conflict, "person", conflict.person_id)
        conflict.person_id = None
        conflict.save()


def unseal(apps, schema_editor):
    """Back to the clear columns (needs the keys too)."""
    Subject = apps.get_model("cases", "Subject")
    Hearing = apps.get_model("cases", "Hearing")
    FollowUp = apps.get_model("cases", "FollowUp")
    DeclaredConflict = apps.get_model("cases", "DeclaredConflict")
    for subject in Subject.objects.exclude(person_tag="").select_related("report"):
        sealer = _case_sealer(subject.report)
        subject.person_id = referred_id(sealer, subject, "person") if sealer else None
        subject.save(update_fields=["person"])
    for hearing in Hearing.objects.exclude(sealed_assisted_by=None).select_related("report"):
        sealer = _case_sealer(hearing.report)
        hearing.assisted_by = open_field(sealer, hearing, "sealed_assisted_by") if sealer else ""
        hearing.save(update_fields=["assisted_by"])
    for follow_up in FollowUp.objects.exclude(sealed_referral_organisation=None).select_related(
        "report"
    ):
        sealer = _case_sealer(follow_up.report)
        follow_up.referral_organisation = (
            open_field(sealer, follow_up, "sealed_referral_organisation") if sealer else ""
        )
        follow_up.save(update_fields=["referral_organisation"])
    for conflict in DeclaredConflict.objects.all():
        sealer = Sealer.from_wrapped(
            WrappedKey(bytes(conflict.wrapped_key), conflict.kek_version),
            _conflict_owner(conflict),
        )
        conflict.person_id = referred_id(sealer, conflict, "person")
        conflict.save(update_fields=["person"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_person_reference_columns")]

    operations = [migrations.RunPython(with_keys(seal), with_keys(unseal))]
