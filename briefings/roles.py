"""The two staff roles, in one place: the groups migration and the tests read them from here."""

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


# Both roles read the audit log of recent changes; nobody edits it.
AUDIT_PERMISSION = "view_contentchange"
