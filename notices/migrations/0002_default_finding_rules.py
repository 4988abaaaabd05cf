"""The default rules deciding which group (一是/二是/三是) a deduction goes to (notices/defaults.py)."""

from django.db import migrations

from notices.defaults import install_default_rules


def add_rules(apps, schema_editor):
    install_default_rules(apps.get_model("notices", "FindingRule"))


class Migration(migrations.Migration):
    dependencies = [("notices", "0001_initial")]

    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
