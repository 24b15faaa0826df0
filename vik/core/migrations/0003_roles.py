"""The seven roles of DESIGN §1 as Django groups. Their permissions are declared per app and
added by ``vik.core.roles.sync_roles`` after every migrate."""

from django.db import migrations

ROLES = [
    "Analist",
    "Voorzitter casustafel",
    "Bibob-specialist",
    "Bestuurder",
    "Partner",
    "Functioneel beheerder",
    "Privacy officer",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_access_log_table_and_extensions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
