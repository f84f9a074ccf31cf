from django.db import migrations


def add_baseline(apps, schema_editor):
    from integriteit.investigations.baseline import BASELINE_NAME, BASELINE_STEPS

    Protocol = apps.get_model("investigations", "Protocol")
    ProtocolStep = apps.get_model("investigations", "ProtocolStep")
    protocol, _created = Protocol.objects.get_or_create(
        organisation=None, version=1, defaults={"name": BASELINE_NAME}
    )
    for position, step in enumerate(BASELINE_STEPS, start=1):
        ProtocolStep.objects.update_or_create(
            protocol=protocol,
            code=step["code"],
            defaults={
                "position": position * 10,
                "name": step["name"],
                "guidance": step["guidance"],
                "responsible_role": step["responsible_role"],
                "required_fields": step["required_fields"],
                "required_documents": step["required_documents"],
                "time_limit_days": step["time_limit_days"],
                "deviation_allowed": step.get("deviation_allowed", False),
                "is_baseline": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("investigations", "0001_initial")]
    operations = [migrations.RunPython(add_baseline, migrations.RunPython.noop)]
