"""Opaque person references (docs/decisions/0013), step 2 of 3: seal the interviewee's id and the
adviser's name under the case's data key. Needs the key document when there are rows to convert
(the migration stops before anything changes without it). A case whose data key was destroyed
(ADR 0008) keeps nothing."""

from django.db import migrations
from django.db.models import Q

from integriteit.crypto.references import open_field, refer, referred_id, seal_field
from integriteit.crypto.keycheck import with_keys
from integriteit.reports.sealing import sealer_for


def _case_sealer(interview):
    report = interview.investigation.report
    return sealer_for(report) if bytes(report.wrapped_key or b"") else None


def _to_convert(Interview):
    return Interview.objects.filter(~Q(interviewee=None) | ~Q(adviser="")).select_related(
        "investigation__report"
    )


def seal(apps, schema_editor):
    Interview = apps.get_model("investigations", "Interview")
    for interview in _to_convert(Interview):
        sealer = _case_sealer(interview)
        if sealer is not None:
            if interview.interviewee_id is not None:
                refer(sealer, interview, "interviewee", interview.interviewee_id)
            if interview.adviser:
                seal_field(sealer, interview, "sealed_adviser", interview.adviser)
        interview.interviewee_id, interview.adviser = None, ""
        interview.save(
            update_fields=[
                "interviewee_tag",
                "sealed_interviewee",
                "sealed_adviser",
                "interviewee",
                "adviser",
            ]
        )


def unseal(apps, schema_editor):
    Interview = apps.get_model("investigations", "Interview")
    rows = Interview.objects.filter(~Q(interviewee_tag="") | ~Q(sealed_adviser=None))
    for interview in rows.select_related("investigation__report"):
        sealer = _case_sealer(interview)
        if sealer is not None:
            interview.interviewee_id = referred_id(sealer, interview, "interviewee")
            interview.adviser = open_field(sealer, interview, "sealed_adviser")
        interview.save(update_fields=["interviewee", "adviser"])


class Migration(migrations.Migration):
    dependencies = [("investigations", "0004_interviewee_reference_columns")]

    operations = [migrations.RunPython(with_keys(seal), with_keys(unseal))]
