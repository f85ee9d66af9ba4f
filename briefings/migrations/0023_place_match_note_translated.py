"""A place's note on how it was matched to CBP's data is read by readers: translated like its description. The
new columns are nullable, so SQLite adds them in place and the place search triggers stay."""

from django.db import migrations, models
from django.db.models import F


def copy_english(apps, schema_editor):
    apps.get_model("briefings", "place").objects.update(cbp_match_note_en=F("cbp_match_note"))


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0022_search_reads_english_columns"),
    ]

    operations = [
        migrations.AddField(
            model_name="place",
            name="cbp_match_note_en",
            field=models.TextField(
                blank=True,
                help_text="Shown to readers beside the official figures: the match is the desk's, not the source's.",
                null=True,
                verbose_name="how the CBP match was made",
            ),
        ),
        migrations.AddField(
            model_name="place",
            name="cbp_match_note_es",
            field=models.TextField(
                blank=True,
                help_text="Shown to readers beside the official figures: the match is the desk's, not the source's.",
                null=True,
                verbose_name="how the CBP match was made",
            ),
        ),
        migrations.RunPython(copy_english, migrations.RunPython.noop),
    ]
