"""The staff side: every record of the desk is edited here."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .admin_base import DeskAdmin, DeskStackedInline, ReadOnlyAdminMixin
from .models import (
    Briefing,
    ContentChange,
    Correction,
    Figure,
    Measure,
    Metric,
    Organization,
    Person,
    Place,
    Quote,
    RewardOffer,
    RewardProgram,
    Source,
    TipChannel,
    Topic,
)
from .roles import PUBLISH_PERMISSION

admin.site.site_header = _("Border Briefings Desk")
admin.site.site_title = _("Briefings desk admin")
admin.site.index_title = _("Editing the desk")

PROVENANCE = _("Provenance")


class FigureInline(DeskStackedInline):
    model = Figure
    extra = 0
    classes = ["collapse"]
    autocomplete_fields = ["metric", "place", "attributed_to", "source", "measure"]
    fields = [
        ("metric", "slug", "position", "is_key"),
        ("value_as_printed", "value", "qualifier"),
        ("unit", "period", "place"),
        ("date_start", "date_end", "date_is_inferred"),
        "date_note",
        ("attributed_to", "attribution"),
        ("source", "measure"),
        "source_sentence",
    ]


class QuoteInline(DeskStackedInline):
    model = Quote
    extra = 0
    classes = ["collapse"]
    autocomplete_fields = ["speaker", "speaker_organization", "source"]
    fields = [
        ("slug", "position"),
        "text",
        ("speaker", "speaker_description", "speaker_organization"),
        ("medium", "source"),
        "context",
    ]


class CorrectionInline(DeskStackedInline):
    model = Correction
    extra = 0
    autocomplete_fields = ["figure"]
    fields = [("published_at", "figure"), "text"]


@admin.register(Briefing)
class BriefingAdmin(DeskAdmin):
    list_display = ["headline", "status", "published_at", "is_public_now", "dateline", "updated_at"]
    list_filter = ["status", "topics", "dateline"]
    search_fields = ["headline", "dek", "body", "byline"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["dateline", "sources", "topics", "places", "organizations", "people"]
    date_hierarchy = "published_at"
    readonly_fields = ["created_at", "updated_at"]
    inlines = [FigureInline, QuoteInline, CorrectionInline]
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "body"]}),
        (_("Byline and dateline"), {"fields": ["byline", "dateline"]}),
        (_("Photo"), {"fields": ["photo_caption", "photo_credit"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "created_at", "updated_at"]}),
        (_("Refers to"), {"fields": ["sources", "topics", "places", "organizations", "people"]}),
    ]

    @admin.display(description=_("visible to readers"), boolean=True)
    def is_public_now(self, briefing):
        return briefing.is_public

    def has_publish_permission(self, request):
        return request.user.has_perm(f"briefings.{PUBLISH_PERMISSION}")

    def save_formset(self, request, form, formset, change):
        if formset.model is Correction:
            for correction_form in formset.forms:
                if correction_form.instance.pk is None:
                    correction_form.instance.created_by = request.user
        super().save_formset(request, form, formset, change)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            # Editors draft and edit; whether and when readers see it is a Publisher's call.
            readonly += ["status", "published_at"]
        return readonly

    @admin.action(description=_("Publish the selected briefings"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._apply(request, queryset, services.briefing_publish, _("published"))

    @admin.action(description=_("Unpublish the selected briefings"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._apply(request, queryset, services.briefing_unpublish, _("unpublished"))

    def _apply(self, request, queryset, service, done):
        try:
            for briefing in queryset:
                service(briefing=briefing, user=request.user)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        count = len(queryset)
        message = ngettext("%(count)d briefing %(done)s.", "%(count)d briefings %(done)s.", count)
        self.message_user(request, message % {"count": count, "done": done}, messages.SUCCESS)


class RewardOfferInline(DeskStackedInline):
    model = RewardOffer
    extra = 0
    autocomplete_fields = ["target_organization", "region", "tip_channels", "source", "briefings"]
    fields = [
        ("slug", "position", "status"),
        ("ceiling_amount", "criterion_kind"),
        "criterion_text",
        ("target_organization", "region"),
        ("announced_on", "announced_on_is_inferred"),
        "tip_channels",
        ("source", "briefings"),
        "source_sentence",
    ]


@admin.register(RewardProgram)
class RewardProgramAdmin(DeskAdmin):
    list_display = ["name", "acronym", "administering_agency", "year_established", "offer_count"]
    search_fields = ["name", "acronym", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["administering_agency"]
    inlines = [RewardOfferInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("administering_agency").annotate(Count("offers"))

    @admin.display(description=_("offers"), ordering="offers__count")
    def offer_count(self, program):
        return program.offers__count


@admin.register(RewardOffer)
class RewardOfferAdmin(DeskAdmin):
    list_display = ["slug", "program", "ceiling_amount", "criterion_kind", "target_organization", "status"]
    list_filter = ["status", "criterion_kind", "program"]
    list_select_related = ["program", "target_organization"]
    search_fields = ["slug", "criterion_text", "target_organization__name", "program__name"]
    autocomplete_fields = ["program", "target_organization", "region", "tip_channels", "source", "briefings"]
    date_hierarchy = "announced_on"
    fieldsets = [
        (None, {"fields": ["program", "slug", "position", "status"]}),
        (_("Offer"), {"fields": ["ceiling_amount", "criterion_kind", "criterion_text", "target_organization"]}),
        (_("Where and when"), {"fields": ["region", "announced_on", "announced_on_is_inferred"]}),
        (_("How to send a tip"), {"fields": ["tip_channels"]}),
        (PROVENANCE, {"fields": ["source", "source_sentence", "briefings"]}),
    ]


@admin.register(TipChannel)
class TipChannelAdmin(DeskAdmin):
    list_display = ["value", "kind", "toll_free", "languages"]
    list_filter = ["kind", "toll_free"]
    search_fields = ["value", "languages"]
    autocomplete_fields = ["receiving_agencies", "source"]
    fieldsets = [
        (None, {"fields": ["kind", "value", "toll_free", "languages", "receiving_agencies"]}),
        (PROVENANCE, {"fields": ["source", "source_sentence"]}),
    ]


@admin.register(Figure)
class FigureAdmin(DeskAdmin):
    list_display = ["value_as_printed", "qualifier", "unit", "period", "metric", "place", "briefing", "is_key"]
    list_filter = ["qualifier", "unit", "period", "is_key", "date_is_inferred", "metric"]
    list_select_related = ["metric", "place", "briefing"]
    search_fields = ["value_as_printed", "source_sentence", "attribution", "metric__name", "slug"]
    autocomplete_fields = ["metric", "place", "attributed_to", "source", "briefing", "measure"]
    date_hierarchy = "date_end"
    fieldsets = [
        (None, {"fields": ["briefing", "metric", "slug", "position", "is_key"]}),
        (_("The number"), {"fields": ["value_as_printed", "value", "qualifier", "unit", "period"]}),
        (_("What it describes"), {"fields": ["place", "date_start", "date_end", "date_is_inferred", "date_note"]}),
        (PROVENANCE, {"fields": ["attributed_to", "attribution", "source", "source_sentence", "measure"]}),
    ]


@admin.register(Quote)
class QuoteAdmin(DeskAdmin):
    list_display = ["__str__", "speaker", "speaker_description", "briefing"]
    list_filter = ["speaker", "briefing"]
    list_select_related = ["speaker", "briefing"]
    search_fields = ["text", "context", "speaker__name", "speaker_description", "slug"]
    autocomplete_fields = ["speaker", "speaker_organization", "briefing", "source"]
    fieldsets = [
        (None, {"fields": ["briefing", "slug", "position", "text"]}),
        (_("Speaker"), {"fields": ["speaker", "speaker_description", "speaker_organization", "medium"]}),
        (PROVENANCE, {"fields": ["source", "context"]}),
    ]


@admin.register(Metric)
class MetricAdmin(DeskAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Measure)
class MeasureAdmin(DeskAdmin):
    list_display = ["name", "kind", "date", "date_is_inferred"]
    list_filter = ["kind", "date_is_inferred"]
    search_fields = ["name", "summary", "source_sentence"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organizations", "people", "source"]
    date_hierarchy = "date"
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "summary", "url"]}),
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
        (None, {"fields": ["title", "slug", "publisher", "authors", "dateline", "url"]}),
        (_("Date"), {"fields": ["published_on", "published_on_is_inferred", "published_on_note"]}),
        (_("Text"), {"fields": ["full_text"]}),
    ]


@admin.register(Organization)
class OrganizationAdmin(DeskAdmin):
    list_display = ["name", "acronym", "kind", "parent", "country"]
    list_filter = ["kind", "country"]
    list_select_related = ["parent", "country"]
    search_fields = ["name", "acronym", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "country"]


@admin.register(Person)
class PersonAdmin(DeskAdmin):
    list_display = ["name", "role", "organization"]
    list_filter = ["organization"]
    list_select_related = ["organization"]
    search_fields = ["name", "role", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organization"]


@admin.register(Place)
class PlaceAdmin(DeskAdmin):
    list_display = ["name", "kind", "parent", "cbp_area"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "description", "cbp_area"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "countries"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "parent", "countries", "description"]}),
        (
            _("Official encounter data"),
            {
                "fields": ["cbp_region", "cbp_area", "cbp_match_note"],
                "description": _("Match the place to CBP's data to show reported figures beside the official count."),
            },
        ),
    ]


@admin.register(Topic)
class TopicAdmin(DeskAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


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
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ContentChange)
class ContentChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit log: every saved version of the desk's content, newest first, read-only."""

    list_display = ["saved_at", "saved_by", "kind", "record", "comment"]
    list_filter = [
        ("revision__user", admin.RelatedOnlyFieldListFilter),
        ("content_type", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["revision__user", "content_type"]
    search_fields = ["object_repr", "revision__comment"]
    date_hierarchy = "revision__date_created"
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).filter(content_type__app_label="briefings")

    @admin.display(description=_("saved"), ordering="revision__date_created")
    def saved_at(self, change):
        return change.revision.date_created

    @admin.display(description=_("by"), ordering="revision__user")
    def saved_by(self, change):
        return change.revision.user or "—"

    @admin.display(description=_("type"), ordering="content_type")
    def kind(self, change):
        return change.content_type.name

    @admin.display(description=_("record"))
    def record(self, change):
        try:
            url = reverse(f"admin:briefings_{change.content_type.model}_history", args=[change.object_id])
        except NoReverseMatch:
            return change.object_repr
        return format_html('<a href="{}">{}</a>', url, change.object_repr)

    @admin.display(description=_("comment"))
    def comment(self, change):
        return change.revision.get_comment()


from . import admin_encounters  # noqa: E402,F401
