from django.db import migrations

KINDS = ["formal_appointment", "term_valid", "basic_training", "peer_review", "hours", "contact"]


def add(apps, schema_editor):
    BasicRequirement = apps.get_model("advisers", "BasicRequirement")
    for kind in KINDS:
        BasicRequirement.objects.get_or_create(kind=kind)


class Migration(migrations.Migration):
    dependencies = [("advisers", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
