"""Let both staff groups view CBP encounter counts and Publishers import them (see briefings/roles.py).

0002 created the groups before the EncounterCount model existed, so its permissions are added here.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from briefings.roles import EDITORS, PUBLISHERS, encounter_permission_codenames


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure the new model's exist now.
    app_config = apps.get_app_config("briefings")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name in (EDITORS, PUBLISHERS):
        group, _ = Group.objects.get_or_create(name=group_name)
        codenames = encounter_permission_codenames(group_name)
        permissions = Permission.objects.filter(content_type__app_label="briefings", codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for group {group_name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=[EDITORS, PUBLISHERS]):
        codenames = encounter_permission_codenames(group.name)
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="briefings", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0003_encountercount"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
