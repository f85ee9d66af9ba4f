"""Photos: an image with alt text, caption, credit, licence and focal point; a briefing's lead photo and a place's photo.

The new columns on briefings and places are nullable, so SQLite adds them in place and their search triggers stay;
going back rebuilds both tables, so their triggers are made again then (0008's helper).
"""

import importlib

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

import briefings.models.photos
from briefings import roles

SEARCH = importlib.import_module("briefings.migrations.0008_briefing_search")


def recreate_search_triggers(apps, schema_editor):
    SEARCH.recreate_sqlite_triggers(schema_editor, ["briefings_briefing", "briefings_place"])


def grant_photos(apps, schema_editor):
    roles.grant_to_groups(apps, roles.photo_permission_codenames)


def revoke_photos(apps, schema_editor):
    roles.revoke_from_groups(apps, roles.photo_permission_codenames)


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0019_figure_is_minor"),
    ]

    operations = [
        # Going back rebuilds the briefing and place tables after this first operation's reverse.
        migrations.RunPython(migrations.RunPython.noop, recreate_search_triggers),
        migrations.CreateModel(
            name="Photo",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "image",
                    models.ImageField(
                        height_field="height",
                        help_text="A JPEG, PNG or WebP file. Renditions for the pages are made from it when it is saved.",
                        storage=briefings.models.photos.original_storage,
                        upload_to="%Y/%m/",
                        verbose_name="image",
                        width_field="width",
                    ),
                ),
                ("width", models.PositiveIntegerField(default=0, editable=False, verbose_name="width")),
                ("height", models.PositiveIntegerField(default=0, editable=False, verbose_name="height")),
                (
                    "alt_text",
                    models.CharField(
                        help_text="What the photo shows, for a reader who cannot see it (“Migrants wade across a river”).",
                        max_length=300,
                        verbose_name="alternative text",
                    ),
                ),
                ("caption", models.TextField(blank=True, verbose_name="caption")),
                (
                    "credit",
                    models.CharField(
                        help_text="Who took it and for whom, e.g. “AP Photo/…”.", max_length=300, verbose_name="credit"
                    ),
                ),
                (
                    "licence",
                    models.CharField(
                        help_text="Under what terms the desk may publish it, e.g. “CC BY 4.0” or “Used with permission”.",
                        max_length=300,
                        verbose_name="licence",
                    ),
                ),
                (
                    "focal_x",
                    models.PositiveSmallIntegerField(
                        default=50,
                        help_text="Where the subject is, from the left edge (0) to the right (100): crops keep it in frame.",
                        validators=[django.core.validators.MaxValueValidator(100)],
                        verbose_name="focal point, across (%)",
                    ),
                ),
                (
                    "focal_y",
                    models.PositiveSmallIntegerField(
                        default=50,
                        help_text="From the top (0) to the bottom (100).",
                        validators=[django.core.validators.MaxValueValidator(100)],
                        verbose_name="focal point, down (%)",
                    ),
                ),
                ("renditions", models.JSONField(blank=True, default=list, editable=False, verbose_name="renditions")),
            ],
            options={
                "verbose_name": "photo",
                "verbose_name_plural": "photos",
                "ordering": ["-created_at", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("focal_x__lte", 100), ("focal_y__lte", 100)),
                        name="photo_focal_point_in_frame",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="briefing",
            name="lead_photo",
            field=models.ForeignKey(
                blank=True,
                help_text="Shown above the story, on the front page when it leads, and when the briefing is shared.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="briefings",
                to="briefings.photo",
                verbose_name="lead photo",
            ),
        ),
        migrations.AddField(
            model_name="place",
            name="photo",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="places",
                to="briefings.photo",
                verbose_name="photo",
            ),
        ),
        migrations.RunPython(grant_photos, revoke_photos),
    ]
