"""The public list of corrections: every dated correction of a published briefing or figure, newest first."""

from django.conf import settings
from django.views.generic import ListView

from ..models import Correction
from .mixins import SectionMixin


class CorrectionListView(SectionMixin, ListView):
    template_name = "briefings/correction_list.html"
    context_object_name = "corrections"
    section = "corrections"

    def get_paginate_by(self, queryset):
        return settings.BRIEFINGS_PER_PAGE

    def get_queryset(self):
        return Correction.objects.published().with_related().newest_first()
