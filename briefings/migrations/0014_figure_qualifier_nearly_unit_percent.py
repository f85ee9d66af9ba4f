"""Figures: the qualifier “nearly” and the unit “percent” (briefings/evidence/numbers.py reads both in print).

Changing the figure table's constraints makes Django rebuild it on SQLite, and the rebuilt table has lost the
search triggers of 0008_briefing_search; they are created again here (the index itself, and its rows, remain).
"""

import importlib

from django.db import migrations, models

SEARCH = importlib.import_module("briefings.migrations.0008_briefing_search")
TABLE = "briefings_figure"


def recreate_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    index = f"{TABLE}_fts"
    for event in ("insert", "update", "delete"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {index}_{event}")
    for sql in SEARCH.sqlite_forwards(TABLE, SEARCH.SEARCHED[TABLE]):
        if sql.startswith("CREATE TRIGGER"):
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0013_encounter_import_jobs"),
    ]

    operations = [
        # Going back rebuilds the table again, after this first operation's reverse would have run: so the
        # triggers are made again at both ends.
        migrations.RunPython(migrations.RunPython.noop, recreate_search_triggers),
        migrations.RemoveConstraint(
            model_name="figure",
            name="figure_qualifier_valid",
        ),
        migrations.RemoveConstraint(
            model_name="figure",
            name="figure_unit_valid",
        ),
        migrations.AlterField(
            model_name="figure",
            name="qualifier",
            field=models.CharField(
                choices=[
                    ("exact", "exactly"),
                    ("about", "about"),
                    ("only_about", "only about"),
                    ("nearly", "nearly"),
                    ("over", "over"),
                    ("fewer_than", "fewer than"),
                    ("up_to", "up to"),
                    ("at_least", "at least"),
                    ("indefinite", "indefinite (no number stated)"),
                ],
                max_length=20,
                verbose_name="qualifier",
            ),
        ),
        migrations.AlterField(
            model_name="figure",
            name="unit",
            field=models.CharField(
                choices=[
                    ("people", "people"),
                    ("encounters", "encounters"),
                    ("interviews", "interviews"),
                    ("arrests", "arrests"),
                    ("convictions", "convictions"),
                    ("usd", "US dollars"),
                    ("miles", "miles"),
                    ("years", "years"),
                    ("percent", "percent"),
                ],
                max_length=20,
                verbose_name="unit",
            ),
        ),
        migrations.AddConstraint(
            model_name="figure",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "qualifier__in",
                        [
                            "exact",
                            "about",
                            "only_about",
                            "nearly",
                            "over",
                            "fewer_than",
                            "up_to",
                            "at_least",
                            "indefinite",
                        ],
                    )
                ),
                name="figure_qualifier_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="figure",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "unit__in",
                        [
                            "people",
                            "encounters",
                            "interviews",
                            "arrests",
                            "convictions",
                            "usd",
                            "miles",
                            "years",
                            "percent",
                        ],
                    )
                ),
                name="figure_unit_valid",
            ),
        ),
        migrations.RunPython(recreate_search_triggers, migrations.RunPython.noop),
    ]
