"""Let both staff groups view CBP encounter counts and Publishers import them (see briefings/roles.py).

0002 created the groups before the EncounterCount model existed, so its permissions are added here.
"""

from django.db import migrations

from briefings.roles import encounter_permission_codenames, grant_to_groups, revoke_from_groups


def grant(apps, schema_editor):
    grant_to_groups(apps, encounter_permission_codenames)


def revoke(apps, schema_editor):
    revoke_from_groups(apps, encounter_permission_codenames)


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0003_encountercount"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
