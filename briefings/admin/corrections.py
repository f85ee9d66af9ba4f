"""Corrections on their own page: a Publisher's (roles.py); each is published through services.py."""

from django.contrib import admin

from .. import services
from ..models import Correction
from .base import DeskAdmin


@admin.register(Correction)
class CorrectionAdmin(DeskAdmin):
    list_display = ["published_at", "briefing", "figure", "created_by"]
    list_select_related = ["briefing", "figure", "created_by"]
    list_filter = ["published_at"]
    search_fields = ["text", "briefing__headline"]
    autocomplete_fields = ["briefing", "figure"]
    date_hierarchy = "published_at"
    fields = ["briefing", "figure", "published_at", "text", "created_by"]
    readonly_fields = ["created_by"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        services.correction_publish(
            briefing=obj.briefing,
            figure=obj.figure,
            text=obj.text,
            published_at=obj.published_at,
            user=request.user,
            instance=obj,
        )
