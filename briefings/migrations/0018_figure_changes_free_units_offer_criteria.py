"""Figures state changes (“down 21% from 46,666”) and take any unit; reward offers say their criterion in words.

- A figure's unit is free text (the suggested units keep their codes: `usd`, `percent`, `encounters`, …).
- Five fields record a change a figure states: its direction, the earlier number and the percentage, each as
  printed and as a value.
- Offers' kinds of criterion are general (the seed's “smuggling that resulted in death” becomes an arrest or
  conviction), and each offer says its criterion in a few words; existing offers take the words their kind's
  name gave them, so readers see what they saw before.

The constraint changes rebuild the figure and offer tables on SQLite; their search triggers are made again.
"""

import importlib

from django.db import migrations, models

SEARCH = importlib.import_module("briefings.migrations.0008_briefing_search")
REBUILT = ["briefings_figure", "briefings_rewardoffer"]

# What each old kind's name said, kept as the offer's criterion; and the general kind it now belongs to.
OLD_KINDS = {
    "arrest_or_conviction": ("Arrest and/or conviction of a key leader", "arrest_or_conviction"),
    "financial_disruption": ("Disruption of financial mechanisms", "financial_disruption"),
    "smuggling_resulting_in_death": (
        "Arrest and/or conviction for smuggling that resulted in death",
        "arrest_or_conviction",
    ),
}


# The units before this migration: going back needs every figure to use one of them.
UNITS_BEFORE = ["people", "encounters", "interviews", "arrests", "convictions", "usd", "miles", "years", "percent"]


def refuse_units_unknown_before(apps, schema_editor):
    Figure = apps.get_model("briefings", "Figure")
    unknown = sorted(set(Figure.objects.exclude(unit__in=UNITS_BEFORE).values_list("unit", flat=True)))
    if unknown:
        raise RuntimeError(
            "Cannot go back before 0018: figures use units the earlier list lacks ("
            + ", ".join(unknown)
            + "). Give those figures one of "
            + ", ".join(UNITS_BEFORE)
            + " first, or stay on 0018."
        )


def recreate_search_triggers(apps, schema_editor):
    SEARCH.recreate_sqlite_triggers(schema_editor, REBUILT)


def criteria_in_words(apps, schema_editor):
    RewardOffer = apps.get_model("briefings", "RewardOffer")
    for offer in RewardOffer.objects.all():
        words, kind = OLD_KINDS.get(offer.criterion_kind, (None, offer.criterion_kind))
        offer.criterion = words or " ".join(offer.criterion_text.split())[:300] or "Other"
        offer.criterion_kind = kind
        offer.save(update_fields=["criterion", "criterion_kind"])


def criteria_back_to_kinds(apps, schema_editor):
    RewardOffer = apps.get_model("briefings", "RewardOffer")
    by_words = {words: old for old, (words, _kind) in OLD_KINDS.items()}
    for offer in RewardOffer.objects.all():
        kind = by_words.get(offer.criterion, offer.criterion_kind)
        offer.criterion_kind = kind if kind in OLD_KINDS or kind == "other" else "other"
        offer.save(update_fields=["criterion_kind"])


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0017_figure_periods"),
    ]

    operations = [
        # Going back rebuilds the tables again after this first operation's reverse: triggers at both ends.
        migrations.RunPython(migrations.RunPython.noop, recreate_search_triggers),
        migrations.RemoveConstraint(
            model_name="figure",
            name="figure_unit_valid",
        ),
        migrations.RemoveConstraint(
            model_name="rewardoffer",
            name="reward_offer_criterion_valid",
        ),
        migrations.AddField(
            model_name="figure",
            name="change_direction",
            field=models.CharField(
                blank=True,
                choices=[("up", "up"), ("down", "down"), ("unchanged", "unchanged")],
                help_text="Only when the sentence states a change (“down 21% from 46,666”): which way.",
                max_length=10,
                verbose_name="change: direction",
            ),
        ),
        migrations.AddField(
            model_name="figure",
            name="change_from_as_printed",
            field=models.CharField(
                blank=True,
                help_text="The earlier number, e.g. “46,666”.",
                max_length=200,
                verbose_name="change: from, as printed",
            ),
        ),
        migrations.AddField(
            model_name="figure",
            name="change_from_value",
            field=models.DecimalField(
                blank=True, decimal_places=4, max_digits=20, null=True, verbose_name="change: from, value"
            ),
        ),
        migrations.AddField(
            model_name="figure",
            name="change_percent",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=9, null=True, verbose_name="change: percent"
            ),
        ),
        migrations.AddField(
            model_name="figure",
            name="change_percent_as_printed",
            field=models.CharField(
                blank=True, help_text="e.g. “21%”", max_length=50, verbose_name="change: percent, as printed"
            ),
        ),
        migrations.AddField(
            model_name="rewardoffer",
            name="criterion",
            field=models.CharField(
                blank=True,
                help_text="What the reward is for, in a few words readers see, e.g. “Arrest and/or conviction of a key leader”. Empty: the kind's name.",
                max_length=300,
                verbose_name="criterion",
            ),
        ),
        migrations.AlterField(
            model_name="figure",
            name="unit",
            field=models.CharField(
                help_text="What is counted, in the plural: pick a suggestion or type another (“migrants”).",
                max_length=60,
                verbose_name="unit",
            ),
        ),
        migrations.AlterField(
            model_name="rewardoffer",
            name="criterion_kind",
            field=models.CharField(
                choices=[
                    ("arrest_or_conviction", "Arrest and/or conviction"),
                    ("identification_or_location", "Identification or location"),
                    ("financial_disruption", "Disruption of financial mechanisms"),
                    ("prevention", "Preventing an act or attack"),
                    ("information", "Information"),
                    ("other", "Other"),
                ],
                max_length=40,
                verbose_name="kind of criterion",
            ),
        ),
        migrations.RunPython(criteria_in_words, criteria_back_to_kinds),
        migrations.AddConstraint(
            model_name="figure",
            constraint=models.CheckConstraint(
                condition=models.Q(("unit", ""), _negated=True), name="figure_unit_given"
            ),
        ),
        migrations.AddConstraint(
            model_name="figure",
            constraint=models.CheckConstraint(
                condition=models.Q(("change_direction__in", ["", "up", "down", "unchanged"])),
                name="figure_change_direction_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="figure",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("change_direction", ""), _negated=True),
                    models.Q(
                        ("change_from_as_printed", ""),
                        ("change_from_value__isnull", True),
                        ("change_percent__isnull", True),
                        ("change_percent_as_printed", ""),
                    ),
                    _connector="OR",
                ),
                name="figure_change_has_direction",
            ),
        ),
        migrations.AddConstraint(
            model_name="figure",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("change_from_value__isnull", True), ("change_from_value__gte", 0), _connector="OR"
                ),
                name="figure_change_from_non_negative",
            ),
        ),
        migrations.AddConstraint(
            model_name="figure",
            constraint=models.CheckConstraint(
                condition=models.Q(("change_percent__isnull", True), ("change_percent__gte", 0), _connector="OR"),
                name="figure_change_percent_non_negative",
            ),
        ),
        migrations.AddConstraint(
            model_name="rewardoffer",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "criterion_kind__in",
                        [
                            "arrest_or_conviction",
                            "identification_or_location",
                            "financial_disruption",
                            "prevention",
                            "information",
                            "other",
                        ],
                    )
                ),
                name="reward_offer_criterion_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="rewardoffer",
            constraint=models.CheckConstraint(
                condition=models.Q(("criterion", ""), _negated=True), name="reward_offer_criterion_given"
            ),
        ),
        # Going back, this runs first: the earlier unit column takes only its own codes.
        migrations.RunPython(migrations.RunPython.noop, refuse_units_unknown_before),
        migrations.RunPython(recreate_search_triggers, migrations.RunPython.noop),
    ]
