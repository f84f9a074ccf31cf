"""Opaque person references (docs/decisions/0013), step 3 of 3: drop the clear columns."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_seal_person_references")]

    operations = [
        migrations.AlterUniqueTogether(name="declaredconflict", unique_together=set()),
        migrations.RemoveField(model_name="declaredconflict", name="person"),
        migrations.AddConstraint(
            model_name="declaredconflict",
            constraint=models.UniqueConstraint(
                fields=("user", "person_tag"), name="one_declaration_per_colleague"
            ),
        ),
        migrations.RemoveField(model_name="subject", name="person"),
        migrations.RemoveField(model_name="hearing", name="assisted_by"),
        migrations.RemoveField(model_name="followup", name="referral_organisation"),
    ]
