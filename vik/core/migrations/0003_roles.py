"""The seven roles of DESIGN §1 as Django groups, with the core permissions they hold. Each
domain app grants its own model permissions to these groups in its own data migration."""

from django.db import migrations

ROLES = {
    "Analist": [],
    "Voorzitter casustafel": ["view_all_teams"],
    "Bibob-specialist": [],
    "Bestuurder": [],
    "Partner": [],
    "Functioneel beheerder": ["manage_configuration", "view_user", "change_user", "add_user", "view_orgunit", "add_orgunit", "change_orgunit", "view_declaredday", "add_declaredday", "change_declaredday", "delete_declaredday"],
    "Privacy officer": ["view_access_log", "break_glass"],
}


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    create_permissions(global_apps.get_app_config("core"), verbosity=0)
    core_cts = ContentType.objects.filter(app_label="core")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(content_type__in=core_cts, codename__in=codenames)
        group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_access_log_table_and_extensions"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
