"""Recommendations, responses, follow-up actions and interim signals sealed (docs/decisions/0013),
step 2 of 3: every annual report and interim signal gets its own data key, and the texts are
sealed under it. Needs the key document when there are rows (the migration stops before anything
changes without it)."""

from django.db import migrations

from integriteit.crypto.envelope import Sealer, WrappedKey
from integriteit.crypto.keycheck import with_keys
from integriteit.crypto.references import open_field, seal_field

# The owners bound into the keys, as integriteit.advisers.annual names them.
REPORT_OWNER = "adviserreport:{}"
SIGNAL_OWNER = "interimsignal:{}"


def _new_key(row, owner: str) -> Sealer:
    sealer, wrapped = Sealer.new(owner.format(row.pk))
    row.wrapped_key, row.kek_version = wrapped.ciphertext, wrapped.kek_version
    return sealer


def _key_of(row, owner: str) -> Sealer:
    wrapped = WrappedKey(bytes(row.wrapped_key), row.kek_version)
    return Sealer.from_wrapped(wrapped, owner.format(row.pk))


def seal(apps, schema_editor):
    AnnualReport = apps.get_model("advisers", "AnnualReport")
    InterimSignal = apps.get_model("advisers", "InterimSignal")
    for report in AnnualReport.objects.prefetch_related("recommendations__actions"):
        sealer = _new_key(report, REPORT_OWNER)
        report.save(update_fields=["wrapped_key", "kek_version"])
        for recommendation in report.recommendations.all():
            seal_field(sealer, recommendation, "sealed_text", recommendation.text)
            if recommendation.response:
                seal_field(sealer, recommendation, "sealed_response", recommendation.response)
            recommendation.text = recommendation.response = ""
            recommendation.save(
                update_fields=["sealed_text", "sealed_response", "text", "response"]
            )
            for action in recommendation.actions.all():
                seal_field(sealer, action, "sealed_description", action.description)
                seal_field(sealer, action, "sealed_owner", action.owner)
                action.description = action.owner = ""
                action.save(
                    update_fields=["sealed_description", "sealed_owner", "description", "owner"]
                )
    for signal in InterimSignal.objects.all():
        sealer = _new_key(signal, SIGNAL_OWNER)
        seal_field(sealer, signal, "sealed_text", signal.text)
        if signal.response:
            seal_field(sealer, signal, "sealed_response", signal.response)
        signal.text = signal.response = ""
        signal.save()


def unseal(apps, schema_editor):
    AnnualReport = apps.get_model("advisers", "AnnualReport")
    InterimSignal = apps.get_model("advisers", "InterimSignal")
    for report in AnnualReport.objects.exclude(wrapped_key=None).prefetch_related(
        "recommendations__actions"
    ):
        sealer = _key_of(report, REPORT_OWNER)
        for recommendation in report.recommendations.all():
            recommendation.text = open_field(sealer, recommendation, "sealed_text")
            recommendation.response = open_field(sealer, recommendation, "sealed_response")
            recommendation.save(update_fields=["text", "response"])
            for action in recommendation.actions.all():
                action.description = open_field(sealer, action, "sealed_description")
                action.owner = open_field(sealer, action, "sealed_owner")
                action.save(update_fields=["description", "owner"])
    for signal in InterimSignal.objects.exclude(wrapped_key=None):
        sealer = _key_of(signal, SIGNAL_OWNER)
        signal.text = open_field(sealer, signal, "sealed_text")
        signal.response = open_field(sealer, signal, "sealed_response")
        signal.save(update_fields=["text", "response"])


class Migration(migrations.Migration):
    dependencies = [("advisers", "0003_annual_report_and_signal_keys")]

    operations = [migrations.RunPython(with_keys(seal), with_keys(unseal))]
