"""Corrections and the audit log, and who may use them (see briefings/roles.py): Publishers write corrections,
Editors read them; both read the audit log."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from briefings.roles import AUDIT_PERMISSION, correction_permission_codenames, grant_to_groups, revoke_from_groups


def codenames_for(group_name):
    return [*correction_permission_codenames(group_name), AUDIT_PERMISSION]


def grant(apps, schema_editor):
    grant_to_groups(apps, codenames_for)


def revoke(apps, schema_editor):
    revoke_from_groups(apps, codenames_for)


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0006_encounter_page_indexes"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentChange",
            fields=[],
            options={
                "verbose_name": "change (audit log)",
                "verbose_name_plural": "recent changes (audit log)",
                "ordering": ["-revision__date_created", "-pk"],
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("reversion.version",),
        ),
        migrations.CreateModel(
            name="Correction",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                ("published_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="dated")),
                (
                    "text",
                    models.TextField(
                        help_text="What was wrong and what is right, as readers will read it.",
                        verbose_name="correction",
                    ),
                ),
                (
                    "briefing",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="corrections",
                        to="briefings.briefing",
                        verbose_name="briefing",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="written by",
                    ),
                ),
                (
                    "figure",
                    models.ForeignKey(
                        blank=True,
                        help_text="The figure it corrects, if it corrects one; it must belong to the briefing.",
                        null=True,
                        on_delete=django.db.models.deletion.RESTRICT,
                        related_name="corrections",
                        to="briefings.figure",
                        verbose_name="figure",
                    ),
                ),
            ],
            options={
                "verbose_name": "correction",
                "verbose_name_plural": "corrections",
                "ordering": ["-published_at", "-pk"],
                "indexes": [models.Index(fields=["-published_at"], name="correction_published_idx")],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("text", ""), _negated=True), name="correction_has_text")
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
