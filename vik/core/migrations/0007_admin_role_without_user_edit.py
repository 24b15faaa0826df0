"""The functional admin no longer edits users in the Django admin (users are read-only there;
VIK's own user management applies separation of duties). ``sync_roles`` only adds permissions,
so take the old add/change-user permissions away from the role here. Re-runnable."""

from django.db import migrations


def drop_user_edit(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Functioneel beheerder").first()
    if group is None:
        return
    group.permissions.remove(
        *Permission.objects.filter(content_type__app_label="core", codename__in=["add_user", "change_user"])
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0006_user_management_grant_requests")]
    operations = [migrations.RunPython(drop_user_edit, migrations.RunPython.noop)]
