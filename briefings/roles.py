"""The two staff roles, in one place: the migrations and the tests read them from here."""

from django.contrib.auth.management import create_permissions

EDITORS = "Editors"
PUBLISHERS = "Publishers"

# Every model staff edit. Editors may add, change and view them; Publishers may also delete.
CONTENT_MODELS = [
    "briefing",
    "figure",
    "measure",
    "metric",
    "organization",
    "person",
    "place",
    "quote",
    "rewardoffer",
    "rewardprogram",
    "source",
    "tipchannel",
    "topic",
]

PUBLISH_PERMISSION = "publish_briefing"


def permission_codenames(group_name):
    actions = ["add", "change", "view"] if group_name == EDITORS else ["add", "change", "delete", "view"]
    codenames = [f"{action}_{model}" for model in CONTENT_MODELS for action in actions]
    if group_name == PUBLISHERS:
        codenames.append(PUBLISH_PERMISSION)
    return codenames


# CBP encounter counts are written only by imports, never by hand: staff may view them, and Publishers may
# import files. Granted by migration 0004 (0002 ran before the model existed), so kept apart from the above.
IMPORT_ENCOUNTERS_PERMISSION = "import_encountercount"


def encounter_permission_codenames(group_name):
    codenames = ["view_encountercount"]
    if group_name == PUBLISHERS:
        codenames.append(IMPORT_ENCOUNTERS_PERMISSION)
    return codenames


# Corrections are a Publisher's call: Editors read them, Publishers write them (migration 0007).
def correction_permission_codenames(group_name):
    if group_name == EDITORS:
        return ["view_correction"]
    return ["add_correction", "change_correction", "delete_correction", "view_correction"]


# Changes to live content held for review (briefings/review.py): Editors read them, Publishers decide them.
def review_permission_codenames(group_name):
    if group_name == EDITORS:
        return ["view_pendingchange"]
    return ["view_pendingchange", "change_pendingchange"]


# Photos (migration 0020): both roles add and change them; a photo reaches readers only through a briefing or a
# place, whose changes go through review as any; Publishers delete.
def photo_permission_codenames(group_name):
    codenames = ["add_photo", "change_photo", "view_photo"]
    return codenames if group_name == EDITORS else [*codenames, "delete_photo"]


# Both roles read the audit log of recent changes; nobody edits it.
AUDIT_PERMISSION = "view_contentchange"


def grant_to_groups(apps, codenames_for):
    """For migrations: make sure the app's permissions exist now (Django normally creates them after all
    migrations ran), then add `codenames_for(group_name)` to each group. A missing codename is an error."""
    app_config = apps.get_app_config("briefings")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name in (EDITORS, PUBLISHERS):
        group, _ = Group.objects.get_or_create(name=group_name)
        codenames = codenames_for(group_name)
        permissions = Permission.objects.filter(content_type__app_label="briefings", codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for group {group_name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def revoke_from_groups(apps, codenames_for):
    """For migrations: the reverse of `grant_to_groups`."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=[EDITORS, PUBLISHERS]):
        codenames = codenames_for(group.name)
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="briefings", codename__in=codenames)
        )
