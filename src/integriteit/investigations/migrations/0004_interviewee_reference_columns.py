"""Opaque person references (docs/decisions/0013), step 1 of 3: the interviewee as a tag plus a
sealed id, and the adviser named at an interview sealed, beside the old columns."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("investigations", "0003_investigation_reminder")]

    operations = [
        migrations.AddField(
            model_name="interview",
            name="interviewee_tag",
            field=models.CharField(blank=True, db_index=True, default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="interview",
            name="sealed_interviewee",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="interview",
            name="sealed_adviser",
            field=models.BinaryField(blank=True, null=True),
        ),
    ]
