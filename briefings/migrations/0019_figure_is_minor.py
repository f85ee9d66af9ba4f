"""Figures the desk marks as minor stay out of a briefing's “The numbers” box (they are still linked in its story).

Adding the field rebuilds the figure table on SQLite, which drops its search triggers: they are made again, as in
0018 (whose helper this reuses), at both ends.
"""

import importlib

from django.db import migrations, models

TRIGGERS = importlib.import_module("briefings.migrations.0018_figure_changes_free_units_offer_criteria")


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0018_figure_changes_free_units_offer_criteria"),
    ]

    operations = [
        # Going back rebuilds the table again after this first operation's reverse: triggers at both ends.
        migrations.RunPython(migrations.RunPython.noop, TRIGGERS.recreate_search_triggers),
        migrations.AddField(
            model_name="figure",
            name="is_minor",
            field=models.BooleanField(
                default=False,
                help_text="Left out of the briefing's “The numbers” box: a number that only sets the scene (“60-mile”, “third anniversary”). It is still linked in the story and has its own page.",
                verbose_name="minor figure",
            ),
        ),
        migrations.RunPython(TRIGGERS.recreate_search_triggers, migrations.RunPython.noop),
    ]
