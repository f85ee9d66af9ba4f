"""What briefings refer to: organizations, people, places, topics, metrics, measures and sources."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import Measure, Metric, Organization, Person, Place, Source, Topic
from .base import PROVENANCE, DeskAdmin, TranslatedDeskAdmin, side_by_side


@admin.register(Metric)
class MetricAdmin(TranslatedDeskAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Measure)
class MeasureAdmin(TranslatedDeskAdmin):
    list_display = ["name", "kind", "date", "date_is_inferred"]
    list_filter = ["kind", "date_is_inferred"]
    search_fields = ["name", "summary", "source_sentence"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organizations", "people", "source"]
    date_hierarchy = "date"
    fieldsets = [
        (None, {"fields": [side_by_side("name"), "slug", "kind", side_by_side("summary"), "url"]}),
        (_("Date"), {"fields": ["date", "date_is_inferred", "date_note"]}),
        (_("Who"), {"fields": ["organizations", "people"]}),
        (PROVENANCE, {"fields": ["source", "source_sentence"]}),
    ]


@admin.register(Source)
class SourceAdmin(DeskAdmin):
    list_display = ["title", "publisher", "published_on", "published_on_is_inferred"]
    list_filter = ["published_on_is_inferred", "publisher"]
    list_select_related = ["publisher"]
    search_fields = ["title", "full_text"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["publisher", "authors", "dateline"]
    date_hierarchy = "published_on"
    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "publisher", "authors", "dateline", "url"]}),
        (_("Date"), {"fields": ["published_on", "published_on_is_inferred", "published_on_note"]}),
        (_("Text"), {"fields": ["full_text"]}),
    ]


@admin.register(Organization)
class OrganizationAdmin(TranslatedDeskAdmin):
    list_display = ["name", "acronym", "kind", "parent", "country"]
    list_filter = ["kind", "country"]
    list_select_related = ["parent", "country"]
    search_fields = ["name", "acronym", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "country"]


@admin.register(Person)
class PersonAdmin(TranslatedDeskAdmin):
    list_display = ["name", "role", "organization"]
    list_filter = ["organization"]
    list_select_related = ["organization"]
    search_fields = ["name", "role", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organization"]


@admin.register(Place)
class PlaceAdmin(TranslatedDeskAdmin):
    list_display = ["name", "kind", "parent", "cbp_area"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "description", "cbp_area"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "countries", "photo"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    side_by_side("name"),
                    "slug",
                    "kind",
                    "parent",
                    "countries",
                    side_by_side("description"),
                    "photo",
                ]
            },
        ),
        (
            _("Official encounter data"),
            {
                "fields": ["cbp_region", "cbp_area", side_by_side("cbp_match_note")],
                "description": _("Match the place to CBP's data to show reported figures beside the official count."),
            },
        ),
    ]


@admin.register(Topic)
class TopicAdmin(TranslatedDeskAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
