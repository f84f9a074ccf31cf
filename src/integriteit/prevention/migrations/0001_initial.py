# The app's first migration holds nothing: each concept of the module (declarations, risk
# analyses) adds its own tables in the migrations that follow.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []
    operations: list = []
