from django.db import migrations


def seed(apps, schema_editor):
    from plan.seed_data import seed as seed_plan

    seed_plan(apps.get_model("plan", "Ambition"), apps.get_model("plan", "PlanAction"))


class Migration(migrations.Migration):
    dependencies = [("plan", "0001_ambitions_and_actions")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
