from django.db import migrations

# RULES R13 (cao Rijk ch. 15, since 2020), plus criminal complaint, other and none.
MEASURES = [
    ("written_reprimand", "Schriftelijke berisping", True),
    ("ikb_reduction", "Vermindering van IKB-uren", True),
    ("no_periodic_increase", "Geen periodieke salarisverhoging (tot 4 jaar)", True),
    ("transfer", "Overplaatsing naar een andere functie of plaats", True),
    ("fine", "Geldboete", True),
    ("dismissal", "Ontslag", True),
    # Filing a criminal complaint is not a disciplinary measure; hearing first could warn a suspect.
    ("criminal_complaint", "Aangifte gedaan", False),
    ("other", "Andere maatregel", True),
    ("none", "Geen maatregel", False),
]
# Legacy codes from before the cao Rijk of 2020, kept readable for older records.
LEGACY = [
    ("legacy_suspension_punitive", "Schorsing als straf (oude code)"),
    ("legacy_salary_reduction", "Vermindering van salaris (oude code)"),
]


def add(apps, schema_editor):
    MeasureType = apps.get_model("cases", "MeasureType")
    for position, (code, name, hearing) in enumerate(MEASURES, start=1):
        MeasureType.objects.update_or_create(
            code=code, defaults={"name": name, "requires_hearing": hearing, "position": position}
        )
    for position, (code, name) in enumerate(LEGACY, start=100):
        MeasureType.objects.update_or_create(
            code=code, defaults={"name": name, "is_legacy": True, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
