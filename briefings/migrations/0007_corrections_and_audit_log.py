"""Corrections and the audit log, and who may use them (see briefings/roles.py): Publishers write corrections,
Editors read them; both read the audit log."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

from briefings.roles import AUDIT_PERMISSION, EDITORS, PUBLISHERS, correction_permission_codenames


def codenames_for(group_name):
    return [*correction_permission_codenames(group_name), AUDIT_PERMISSION]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure the new models' exist now.
    app_config = apps.get_app_config("briefings")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name in (EDITORS, PUBLISHERS):
        group, _ = Group.objects.get_or_create(name=group_name)
        codenames = codenames_for(group_name)
        permissions = Permission.objects.filter(content_type__app_label="briefings", codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for group {group_name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=[EDITORS, PUBLISHERS]):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="briefings", codename__in=codenames_for(group.name))
        )


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
