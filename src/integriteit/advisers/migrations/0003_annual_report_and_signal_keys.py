"""Recommendations, responses, follow-up actions and interim signals sealed (docs/decisions/0013),
step 1 of 3: a data key on every annual report and signal, and the sealed columns beside the old
ones. The old text columns may be blank from here on, so the three steps can be reversed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("advisers", "0002_basic_requirements")]

    operations = [
        migrations.AlterField(
            model_name="recommendation", name="text", field=models.TextField(blank=True)
        ),
        migrations.AlterField(
            model_name="followupaction", name="description", field=models.TextField(blank=True)
        ),
        migrations.AlterField(
            model_name="followupaction",
            name="owner",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name="interimsignal", name="text", field=models.TextField(blank=True)
        ),
        migrations.AddField(
            model_name="annualreport",
            name="wrapped_key",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="annualreport",
            name="kek_version",
            field=models.CharField(blank=True, default="", max_length=16),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="interimsignal",
            name="wrapped_key",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="interimsignal",
            name="kek_version",
            field=models.CharField(blank=True, default="", max_length=16),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="interimsignal",
            name="sealed_text",
            field=models.BinaryField(default=b""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="interimsignal",
            name="sealed_response",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="sealed_text",
            field=models.BinaryField(default=b""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="recommendation",
            name="sealed_response",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="followupaction",
            name="sealed_description",
            field=models.BinaryField(default=b""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="followupaction",
            name="sealed_owner",
            field=models.BinaryField(default=b""),
            preserve_default=False,
        ),
    ]
