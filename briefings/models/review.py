"""Changes to live content waiting for a Publisher: what an Editor saved to a published briefing, or to a figure,
quote, offer or tip channel readers see, is held here instead of going public (briefings/review.py)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from .briefing import Briefing


class PendingChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=PendingChange.Status.PENDING)

    def for_record(self, record):
        return self.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)


class PendingChange(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    class Decision(models.TextChoices):
        APPROVE = "approve", _("approve (no published fact changes)")
        CORRECTION = "correction", _("approve, with a correction shown to readers")
        FIX = "fix", _("approve as a non-substantive fix (typo, style)")
        REJECT = "reject", _("reject")

    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of record"), on_delete=models.CASCADE)
    object_id = models.PositiveIntegerField(_("record"), null=True, blank=True, help_text=_("Empty for a new one."))
    object_repr = models.CharField(_("record"), max_length=300)
    briefing = models.ForeignKey(
        Briefing,
        verbose_name=_("briefing"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pending_changes",
    )
    changes = models.JSONField(_("proposed values"), encoder=DjangoJSONEncoder)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices, blank=True)
    note = models.TextField(
        _("correction or note"),
        blank=True,
        help_text=_("The correction readers see, what the fix was, or why it was rejected."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("change for review")
        verbose_name_plural = _("changes for review")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "rejected"]), name="pending_change_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.content_type.name}: {self.object_repr}"
