"""Recommendations, responses, follow-up actions and interim signals sealed (docs/decisions/0013),
step 3 of 3: drop the clear columns."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("advisers", "0004_seal_recommendations_and_signals")]

    operations = [
        migrations.RemoveField(model_name="recommendation", name="text"),
        migrations.RemoveField(model_name="recommendation", name="response"),
        migrations.RemoveField(model_name="followupaction", name="description"),
        migrations.RemoveField(model_name="followupaction", name="owner"),
        migrations.RemoveField(model_name="interimsignal", name="text"),
        migrations.RemoveField(model_name="interimsignal", name="response"),
    ]
