"""Corrections on their own page: a Publisher's (roles.py); each is published through services.py."""

from django.contrib import admin

from .. import services
from ..models import Correction
from .base import TranslatedDeskAdmin, side_by_side


def publish_correction(correction: Correction, *, user) -> Correction:
    """A new correction from an admin form (this page, or inline on its briefing), published by the service."""
    return services.correction_publish(
        briefing=correction.briefing,
        figure=correction.figure,
        text=correction.text,
        published_at=correction.published_at,
        user=user,
        instance=correction,
    )


@admin.register(Correction)
class CorrectionAdmin(TranslatedDeskAdmin):
    list_display = ["published_at", "briefing", "figure", "created_by"]
    list_select_related = ["briefing", "figure", "created_by"]
    list_filter = ["published_at"]
    search_fields = ["text", "briefing__headline"]
    autocomplete_fields = ["briefing", "figure"]
    date_hierarchy = "published_at"
    fields = ["briefing", "figure", "published_at", side_by_side("text"), "created_by"]
    readonly_fields = ["created_by"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        publish_correction(obj, user=request.user)
