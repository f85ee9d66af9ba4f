"""Figures: periods per week, per month, per year and over the stated dates, for stories beyond the seed's.

Like 0014, the constraint change rebuilds the figure table on SQLite; its search triggers are made again.
"""

import importlib

from django.db import migrations, models

PREVIOUS = importlib.import_module("briefings.migrations.0014_figure_qualifier_nearly_unit_percent")


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0016_changes_for_review"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, PREVIOUS.recreate_search_triggers),
        migrations.RemoveConstraint(
            model_name="figure",
            name="figure_period_valid",
        ),
        migrations.AlterField(
            model_name="figure",
            name="period",
            field=models.CharField(
                choices=[
                    ("per_day", "per day"),
                    ("per_week", "per week"),
                    ("per_month", "per month"),
                    ("per_year", "per year"),
                    ("over_range", "over the stated dates"),
                    ("total_to_date", "total to date"),
                    ("at_a_time", "at one time"),
                    ("amount", "amount"),
                    ("length", "length"),
                    ("duration", "duration"),
                ],
                max_length=20,
                verbose_name="period",
            ),
        ),
        migrations.AddConstraint(
            model_name="figure",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "period__in",
                        [
                            "per_day",
                            "per_week",
                            "per_month",
                            "per_year",
                            "over_range",
                            "total_to_date",
                            "at_a_time",
                            "amount",
                            "length",
                            "duration",
                        ],
                    )
                ),
                name="figure_period_valid",
            ),
        ),
        migrations.RunPython(PREVIOUS.recreate_search_triggers, migrations.RunPython.noop),
    ]
