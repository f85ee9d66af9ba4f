"""A briefing's body rendered to HTML in each language when it is saved (Briefing.rendered_body), and rendered
now for the briefings already stored. New nullable columns are added in place (no table rebuild, so SQLite's
search triggers stay)."""

from django.db import migrations, models

from briefings.markdown import render_markdown


def render_stored_bodies(apps, schema_editor):
    Briefing = apps.get_model("briefings", "Briefing")
    for briefing in Briefing.objects.only("pk", "body_en", "body_es").iterator(chunk_size=500):
        Briefing.objects.filter(pk=briefing.pk).update(
            body_html_en=render_markdown(briefing.body_en), body_html_es=render_markdown(briefing.body_es)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0025_encounter_totals"),
    ]

    operations = [
        migrations.AddField(
            model_name="briefing",
            name="body_html_en",
            field=models.TextField(editable=False, null=True, verbose_name="body as HTML (English)"),
        ),
        migrations.AddField(
            model_name="briefing",
            name="body_html_es",
            field=models.TextField(editable=False, null=True, verbose_name="body as HTML (Spanish)"),
        ),
        # Reversing leaves nothing to undo: the columns go with the fields.
        migrations.RunPython(render_stored_bodies, migrations.RunPython.noop),
    ]
