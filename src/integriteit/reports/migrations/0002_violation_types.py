from django.db import migrations

# The nine official types (seed 001 §2.1; RULES R14), in the order BZK lists them.
CODES = [
    "financial",
    "position",
    "information",
    "communication",
    "powers",
    "force",
    "behaviour",
    "resources",
    "private_life",
]


def add_types(apps, schema_editor):
    ViolationType = apps.get_model("reports", "ViolationType")
    for position, code in enumerate(CODES, start=1):
        ViolationType.objects.update_or_create(code=code, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
