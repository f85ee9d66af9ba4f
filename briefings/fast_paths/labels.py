"""Choice labels: `get_<field>_display()` without building a dict of every choice per call."""

from functools import cache


class ChoiceLabels:
    """Mixed into models: replaces `Model._get_FIELD_display` (django/db/models/base.py), which builds a dict of
    all the field's choices on every call, hashing each lazy label and so translating it. Here the dict is made
    once per field; the labels stay lazy, so each is translated into its reader's language."""

    def _get_FIELD_display(self, field):
        value, labels = getattr(self, field.attname), _labels(field)
        return str(labels[value]) if value in labels else value


@cache
def _labels(field):
    return dict(field.flatchoices)
