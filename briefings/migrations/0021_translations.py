"""Content in English and Spanish (django-modeltranslation, briefings/translation.py): a column per language for
each translated field, the English ones filled from the field as it was; the desk's translations of quotes,
figures' sentences and offers' wording; tip channels' instructions and the date they were last checked; each
source's language.

The new not-null columns make SQLite rebuild figures, quotes and offers, which drops their search triggers: they
are made again (0008's helper). The original columns stay, and keep the English (TimeStamped.save()).
"""

import importlib

from django.db import migrations, models
from django.db.models import F

SEARCH = importlib.import_module("briefings.migrations.0008_briefing_search")

# A copy of briefings/translation.py's TRANSLATED_FIELDS as this migration found it (the new desk's-translation
# fields start empty: nothing to copy).
TRANSLATED = {
    "briefing": ("headline", "dek", "body", "photo_caption"),
    "photo": ("alt_text", "caption"),
    "correction": ("text",),
    "place": ("name", "description"),
    "organization": ("name", "description"),
    "person": ("role", "description"),
    "topic": ("name", "description"),
    "measure": ("name", "summary"),
    "metric": ("name", "description"),
    "figure": ("date_note",),
    "rewardprogram": ("name", "description"),
    "rewardoffer": ("criterion",),
}


def copy_english(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        apps.get_model("briefings", model_name).objects.update(**{f"{field}_en": F(field) for field in fields})


def recreate_search_triggers(apps, schema_editor):
    SEARCH.recreate_sqlite_triggers(schema_editor, ["briefings_figure", "briefings_quote", "briefings_rewardoffer"])


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0020_photos"),
    ]

    operations = [
        # Going back, the columns' removal rebuilds the tables last: their triggers are made again after it.
        migrations.RunPython(migrations.RunPython.noop, recreate_search_triggers),
        migrations.AddField(
            model_name="briefing",
            name="body_en",
            field=models.TextField(
                help_text="Markdown. Raw HTML is removed when the page is shown.", null=True, verbose_name="body"
            ),
        ),
        migrations.AddField(
            model_name="briefing",
            name="body_es",
            field=models.TextField(
                help_text="Markdown. Raw HTML is removed when the page is shown.", null=True, verbose_name="body"
            ),
        ),
        migrations.AddField(
            model_name="briefing",
            name="dek_en",
            field=models.TextField(
                blank=True,
                help_text="The one- or two-sentence summary under the headline.",
                null=True,
                verbose_name="dek",
            ),
        ),
        migrations.AddField(
            model_name="briefing",
            name="dek_es",
            field=models.TextField(
                blank=True,
                help_text="The one- or two-sentence summary under the headline.",
                null=True,
                verbose_name="dek",
            ),
        ),
        migrations.AddField(
            model_name="briefing",
            name="headline_en",
            field=models.CharField(max_length=300, null=True, verbose_name="headline"),
        ),
        migrations.AddField(
            model_name="briefing",
            name="headline_es",
            field=models.CharField(max_length=300, null=True, verbose_name="headline"),
        ),
        migrations.AddField(
            model_name="briefing",
            name="photo_caption_en",
            field=models.TextField(blank=True, null=True, verbose_name="photo caption"),
        ),
        migrations.AddField(
            model_name="briefing",
            name="photo_caption_es",
            field=models.TextField(blank=True, null=True, verbose_name="photo caption"),
        ),
        migrations.AddField(
            model_name="correction",
            name="text_en",
            field=models.TextField(
                help_text="What was wrong and what is right, as readers will read it.",
                null=True,
                verbose_name="correction",
            ),
        ),
        migrations.AddField(
            model_name="correction",
            name="text_es",
            field=models.TextField(
                help_text="What was wrong and what is right, as readers will read it.",
                null=True,
                verbose_name="correction",
            ),
        ),
        migrations.AddField(
            model_name="figure",
            name="date_note_en",
            field=models.TextField(blank=True, null=True, verbose_name="how the dates were established"),
        ),
        migrations.AddField(
            model_name="figure",
            name="date_note_es",
            field=models.TextField(blank=True, null=True, verbose_name="how the dates were established"),
        ),
        migrations.AddField(
            model_name="figure",
            name="sentence_translation",
            field=models.TextField(
                blank=True,
                help_text="The desk's translation of the words above, shown beside them, never instead of them.",
                verbose_name="desk's translation of the sentence",
            ),
        ),
        migrations.AddField(
            model_name="figure",
            name="sentence_translation_en",
            field=models.TextField(
                blank=True,
                help_text="The desk's translation of the words above, shown beside them, never instead of them.",
                null=True,
                verbose_name="desk's translation of the sentence",
            ),
        ),
        migrations.AddField(
            model_name="figure",
            name="sentence_translation_es",
            field=models.TextField(
                blank=True,
                help_text="The desk's translation of the words above, shown beside them, never instead of them.",
                null=True,
                verbose_name="desk's translation of the sentence",
            ),
        ),
        migrations.AddField(
            model_name="measure",
            name="name_en",
            field=models.CharField(max_length=300, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="measure",
            name="name_es",
            field=models.CharField(max_length=300, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="measure",
            name="summary_en",
            field=models.TextField(blank=True, null=True, verbose_name="summary"),
        ),
        migrations.AddField(
            model_name="measure",
            name="summary_es",
            field=models.TextField(blank=True, null=True, verbose_name="summary"),
        ),
        migrations.AddField(
            model_name="metric",
            name="description_en",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="metric",
            name="description_es",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="metric",
            name="name_en",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="metric",
            name="name_es",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="organization",
            name="description_en",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="organization",
            name="description_es",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="organization",
            name="name_en",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="organization",
            name="name_es",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="person",
            name="description_en",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="person",
            name="description_es",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="person",
            name="role_en",
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name="role or title"),
        ),
        migrations.AddField(
            model_name="person",
            name="role_es",
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name="role or title"),
        ),
        migrations.AddField(
            model_name="photo",
            name="alt_text_en",
            field=models.CharField(
                help_text="What the photo shows, for a reader who cannot see it (“Migrants wade across a river”).",
                max_length=300,
                null=True,
                verbose_name="alternative text",
            ),
        ),
        migrations.AddField(
            model_name="photo",
            name="alt_text_es",
            field=models.CharField(
                help_text="What the photo shows, for a reader who cannot see it (“Migrants wade across a river”).",
                max_length=300,
                null=True,
                verbose_name="alternative text",
            ),
        ),
        migrations.AddField(
            model_name="photo",
            name="caption_en",
            field=models.TextField(blank=True, null=True, verbose_name="caption"),
        ),
        migrations.AddField(
            model_name="photo",
            name="caption_es",
            field=models.TextField(blank=True, null=True, verbose_name="caption"),
        ),
        migrations.AddField(
            model_name="place",
            name="description_en",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="place",
            name="description_es",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="place",
            name="name_en",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="place",
            name="name_es",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="quote",
            name="translation",
            field=models.TextField(
                blank=True,
                help_text="The desk's translation of the words above, shown beside them, never instead of them.",
                verbose_name="desk's translation",
            ),
        ),
        migrations.AddField(
            model_name="quote",
            name="translation_en",
            field=models.TextField(
                blank=True,
                help_text="The desk's translation of the words above, shown beside them, never instead of them.",
                null=True,
                verbose_name="desk's translation",
            ),
        ),
        migrations.AddField(
            model_name="quote",
            name="translation_es",
            field=models.TextField(
                blank=True,
                help_text="The desk's translation of the words above, shown beside them, never instead of them.",
                null=True,
                verbose_name="desk's translation",
            ),
        ),
        migrations.AddField(
            model_name="rewardoffer",
            name="criterion_en",
            field=models.CharField(
                blank=True,
                help_text="What the reward is for, in a few words readers see, e.g. “Arrest and/or conviction of a key leader”. Empty: the kind's name.",
                max_length=300,
                null=True,
                verbose_name="criterion",
            ),
        ),
        migrations.AddField(
            model_name="rewardoffer",
            name="criterion_es",
            field=models.CharField(
                blank=True,
                help_text="What the reward is for, in a few words readers see, e.g. “Arrest and/or conviction of a key leader”. Empty: the kind's name.",
                max_length=300,
                null=True,
                verbose_name="criterion",
            ),
        ),
        migrations.AddField(
            model_name="rewardoffer",
            name="criterion_translation",
            field=models.TextField(
                blank=True,
                help_text="The desk's translation of the words above, shown beside them, never instead of them.",
                verbose_name="desk's translation of the wording",
            ),
        ),
        migrations.AddField(
            model_name="rewardoffer",
            name="criterion_translation_en",
            field=models.TextField(
                blank=True,
                help_text="The desk's translation of the words above, shown beside them, never instead of them.",
                null=True,
                verbose_name="desk's translation of the wording",
            ),
        ),
        migrations.AddField(
            model_name="rewardoffer",
            name="criterion_translation_es",
            field=models.TextField(
                blank=True,
                help_text="The desk's translation of the words above, shown beside them, never instead of them.",
                null=True,
                verbose_name="desk's translation of the wording",
            ),
        ),
        migrations.AddField(
            model_name="rewardprogram",
            name="description_en",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="rewardprogram",
            name="description_es",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="rewardprogram",
            name="name_en",
            field=models.CharField(max_length=300, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="rewardprogram",
            name="name_es",
            field=models.CharField(max_length=300, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="source",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("es", "Spanish")],
                default="en",
                help_text="The language the document is written in: its quotes and sentences are shown in it, marked so.",
                max_length=10,
                verbose_name="language",
            ),
        ),
        migrations.AddField(
            model_name="tipchannel",
            name="checked_on",
            field=models.DateField(
                blank=True,
                help_text="When the desk last checked that this channel works as described. Readers see the date.",
                null=True,
                verbose_name="last checked",
            ),
        ),
        migrations.AddField(
            model_name="tipchannel",
            name="instructions",
            field=models.TextField(
                blank=True,
                help_text="What a reader needs to know to send a tip this way (hours, what to say), in a few lines.",
                verbose_name="how to use it",
            ),
        ),
        migrations.AddField(
            model_name="tipchannel",
            name="instructions_en",
            field=models.TextField(
                blank=True,
                help_text="What a reader needs to know to send a tip this way (hours, what to say), in a few lines.",
                null=True,
                verbose_name="how to use it",
            ),
        ),
        migrations.AddField(
            model_name="tipchannel",
            name="instructions_es",
            field=models.TextField(
                blank=True,
                help_text="What a reader needs to know to send a tip this way (hours, what to say), in a few lines.",
                null=True,
                verbose_name="how to use it",
            ),
        ),
        migrations.AddField(
            model_name="topic",
            name="description_en",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="topic",
            name="description_es",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="topic",
            name="name_en",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="topic",
            name="name_es",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.RunPython(copy_english, migrations.RunPython.noop),
        migrations.RunPython(recreate_search_triggers, migrations.RunPython.noop),
    ]
