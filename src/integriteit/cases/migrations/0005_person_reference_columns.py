"""Opaque person references (docs/decisions/0013), step 1 of 3: the new columns beside the old.

Steps 2 (seal the existing rows) and 3 (drop the clear columns) are separate migrations, so each
runs in its own transaction. The declared conflict's old reference to the colleague becomes
nullable first, so the three steps can also be reversed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_case_assignment_seal"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="declaredconflict",
            name="person",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="subject",
            name="person_tag",
            field=models.CharField(blank=True, db_index=True, default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="subject",
            name="sealed_person",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="hearing",
            name="sealed_assisted_by",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="followup",
            name="sealed_referral_organisation",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="declaredconflict",
            name="person_tag",
            field=models.CharField(db_index=True, default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="declaredconflict",
            name="sealed_person",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="declaredconflict",
            name="wrapped_key",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="declaredconflict",
            name="kek_version",
            field=models.CharField(blank=True, default="", max_length=16),
            preserve_default=False,
        ),
    ]
