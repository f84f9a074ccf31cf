"""Opaque person references (docs/decisions/0013), step 3 of 3: drop the clear columns."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("investigations", "0005_seal_interviewee_references")]

    operations = [
        migrations.RemoveField(model_name="interview", name="interviewee"),
        migrations.RemoveField(model_name="interview", name="adviser"),
    ]
