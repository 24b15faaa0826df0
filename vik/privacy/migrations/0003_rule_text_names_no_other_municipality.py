"""Issue #19 item 6: the default retention rule for signals dismissed at triage named another
municipality's privacy statement in its legal basis; name the municipality's own statement.
Re-runnable; a rule text an administrator has changed since is left alone."""

from django.db import migrations

OLD = "AVG art. 6 lid 1 sub e; privacyverklaring ondermijning gemeente Hilversum"
NEW = "AVG art. 6 lid 1 sub e; privacyverklaring ondermijning van de gemeente"


def forwards(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    RetentionRule.objects.filter(legal_basis=OLD).update(legal_basis=NEW)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_default_retention_rules_and_schedules")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
