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
