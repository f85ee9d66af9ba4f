"""Briefings, with their figures, quotes and corrections inline; figures and quotes on their own pages too."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Value, When
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import history, review, services
from ..admin_site import BriefingFirstAutocomplete, BriefingFirstAutocompleteMultiple, PickerSearch
from ..models import Briefing, Correction, Figure, Quote, RewardOffer
from ..roles import PUBLISH_PERMISSION
from .base import PROVENANCE, TranslatedDeskAdmin, TranslatedStackedInline, side_by_side
from .corrections import publish_correction
from .entry import QuickEntryForm, figure_unit_formfield
from .ingest import IngestViews
from .rewards import offer_label, offers_for_pickers


def figure_label(figure) -> str:
    """A figure as pickers list it: its number, and the briefing it belongs to."""
    return gettext("%(figure)s · in “%(briefing)s”") % {"figure": figure, "briefing": figure.briefing.headline}


def figures_for_pickers(queryset, *, briefing_pk=None):
    """Figures with what their labels read, those of `briefing_pk` first."""
    queryset = queryset.select_related("metric", "briefing")
    if briefing_pk is None:
        return queryset
    edited_first = Case(When(briefing_id=briefing_pk, then=Value(0)), default=Value(1))
    return queryset.annotate(edited_first=edited_first).order_by("edited_first", *Figure._meta.ordering)


CHANGE_FIELDS = [
    "change_direction",
    "change_percent_as_printed",
    "change_percent",
    "change_from_as_printed",
    "change_from_value",
]


class FigureFields:
    """Mixed into the figure admin and inline: the unit typed, with suggestions."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            return figure_unit_formfield(db_field, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class FigureInline(FigureFields, TranslatedStackedInline):
    model = Figure
    extra = 0
    classes = ["collapse"]
    autocomplete_fields = ["metric", "place", "attributed_to", "source", "measure"]
    fields = [
        ("metric", "slug", "position", "is_key", "is_minor"),
        ("value_as_printed", "value", "qualifier"),
        ("unit", "period", "place"),
        ("date_start", "date_end", "date_is_inferred"),
        side_by_side("date_note"),
        ("attributed_to", "attribution"),
        ("source", "measure"),
        "source_sentence",
        side_by_side("sentence_translation"),
        tuple(CHANGE_FIELDS),
    ]


class QuoteInline(TranslatedStackedInline):
    model = Quote
    extra = 0
    classes = ["collapse"]
    autocomplete_fields = ["speaker", "speaker_organization", "source"]
    fields = [
        ("slug", "position"),
        "text",
        ("speaker", "speaker_description", "speaker_organization"),
        side_by_side("translation"),
        ("medium", "source"),
        "context",
    ]


class CorrectionInline(TranslatedStackedInline):
    model = Correction
    extra = 0
    autocomplete_fields = ["figure"]
    fields = [("published_at", "figure"), side_by_side("text")]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        picker = formset.form.base_fields["figure"].widget
        picker = getattr(picker, "widget", picker)  # inside the admin's add/change links
        if isinstance(picker, BriefingFirstAutocomplete) and obj is not None:
            picker.briefing_pk = obj.pk  # this briefing's figures first (a correction names one of them)
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "figure":
            kwargs["widget"] = BriefingFirstAutocomplete(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OfferPickerField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, offer):
        return offer_label(offer)


class BriefingForm(QuickEntryForm):
    """A briefing, with the reward offers it reports: picked here, those it already reports first. What the page
    showed is carried along (`reported_offers_shown`), so a save links and unlinks only what this editor changed,
    never undoing a link made meanwhile on an offer's page."""

    reported_offers = OfferPickerField(
        label=_("Reward offers it reports"),
        queryset=offers_for_pickers(RewardOffer.objects.all()),
        required=False,
        help_text=_("Pick existing offers; add a new one on its own page, naming this briefing."),
    )
    reported_offers_shown = forms.CharField(widget=forms.HiddenInput, required=False)
    admin_site = None  # set per request by BriefingAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reported_offers"]
        picker = BriefingFirstAutocompleteMultiple(Briefing._meta.get_field("reward_offers"), self.admin_site)
        picker.briefing_pk = self.instance.pk
        picker.choices = field.choices  # as the field gives the widget it was made with
        field.widget = picker
        if self.instance.pk is not None:
            field.initial = [offer.pk for offer in self.instance.reward_offers.all()]
            self.fields["reported_offers_shown"].initial = ",".join(map(str, field.initial))
        if self.user is not None and review.needs_review(self.instance, self.user):
            # What a live briefing reports changes through each offer's own page, where it waits for review.
            field.disabled = True
            field.help_text = _("Readers see these: link or unlink an offer on the offer's own page, for review.")

    def offer_links_changed(self) -> tuple[set[int], set[int]]:
        """(the offers this editor linked, those they unlinked), against what their page showed."""
        if self.fields["reported_offers"].disabled:
            return set(), set()
        shown = {int(pk) for pk in self.cleaned_data.get("reported_offers_shown", "").split(",") if pk.isdigit()}
        chosen = {offer.pk for offer in self.cleaned_data.get("reported_offers") or []}
        return chosen - shown, shown - chosen


# Whether and when readers see a briefing: a Publisher's call, written through services.py.
PUBLISHING_FIELDS = ["status", "published_at"]


@admin.register(Briefing)
class BriefingAdmin(IngestViews, TranslatedDeskAdmin):
    form = BriefingForm
    list_display = ["headline", "status", "published_at", "is_public_now", "dateline", "updated_at"]
    list_filter = ["status", "topics", "dateline"]
    search_fields = ["headline", "dek", "body", "byline"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["dateline", "lead_photo", "sources", "topics", "places", "organizations", "people"]
    date_hierarchy = "published_at"
    readonly_fields = ["created_at", "updated_at"]
    inlines = [FigureInline, QuoteInline, CorrectionInline]
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = [
        (None, {"fields": [side_by_side("headline"), "slug", side_by_side("dek"), side_by_side("body")]}),
        (_("Byline and dateline"), {"fields": ["byline", "dateline"]}),
        (
            _("Photo"),
            {
                "fields": ["lead_photo", side_by_side("photo_caption"), "photo_credit"],
                "description": _(
                    "The lead photo, from the desk's photos. Caption and credit alone say the report had a photo "
                    "the desk does not reproduce."
                ),
            },
        ),
        (_("Publishing"), {"fields": ["status", "published_at", "created_at", "updated_at"]}),
        (
            _("Refers to"),
            {
                "fields": [
                    "sources",
                    "topics",
                    "places",
                    "organizations",
                    "people",
                    "reported_offers",
                    "reported_offers_shown",
                ]
            },
        ),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.admin_site = self.admin_site
        return form

    def add_view(self, request, form_url="", extra_context=None):
        self._offers_baseline(request)
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._offers_baseline(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def _offers_baseline(self, request, object_id=None):
        """An offer this save may link or unlink gets a first version now, before the save's revision begins, so
        that a form of it opened earlier can still be merged (stale.py) rather than saved over the link."""
        if request.method != "POST":
            return
        posted = {int(pk) for pk in request.POST.getlist("reported_offers") if pk.isdigit() and len(pk) < 12}
        if object_id is not None:
            posted |= set(RewardOffer.objects.filter(briefings=unquote(object_id)).values_list("pk", flat=True))
        for pk in posted:
            history.record_baseline(RewardOffer, pk)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        linked, unlinked = form.offer_links_changed()
        if linked or unlinked:
            services.briefing_offers_change(briefing=form.instance, link=linked, unlink=unlinked, user=request.user)

    @admin.display(description=_("visible to readers"), boolean=True)
    def is_public_now(self, briefing):
        return briefing.is_public

    def has_publish_permission(self, request):
        return request.user.has_perm(f"briefings.{PUBLISH_PERMISSION}")

    def save_model(self, request, obj, form, change):
        """The Publishing fields go through services.py (its rule, its history and its log line); the rest is
        saved as typed. Editors never get to change them (get_readonly_fields)."""
        publishing = [name for name in PUBLISHING_FIELDS if name in form.changed_data]
        if not publishing:
            return super().save_model(request, obj, form, change)
        status, published_at = obj.status, obj.published_at
        if change:
            obj.status, obj.published_at = (form.initial.get(name) for name in PUBLISHING_FIELDS)
        else:
            obj.status, obj.published_at = Briefing.Status.DRAFT, None
        super().save_model(request, obj, form, change)
        services.briefing_publication_set(briefing=obj, user=request.user, status=status, published_at=published_at)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Correction:
            return super().save_formset(request, form, formset, change)
        # New corrections are published through services.py; edits and deletions are saved as in any inline.
        for correction in formset.save(commit=False):
            if correction.pk is None:
                correction.briefing = form.instance
                publish_correction(correction, user=request.user)
            else:
                correction.save()
        for correction in formset.deleted_objects:
            correction.delete()
        formset.save_m2m()

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            # Editors draft and edit; whether and when readers see it is a Publisher's call.
            readonly += PUBLISHING_FIELDS
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


class UnitFilter(admin.SimpleListFilter):
    """The units in use, named as the desk reads them (“US dollars”, not `usd`)."""

    title = _("unit")
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        units = model_admin.get_queryset(request).order_by().values_list("unit", flat=True).distinct()
        return sorted(((unit, Figure.Unit.label_of(unit)) for unit in units), key=lambda item: item[1].casefold())

    def queryset(self, request, queryset):
        return queryset.filter(unit=self.value()) if self.value() else queryset


@admin.register(Figure)
class FigureAdmin(FigureFields, PickerSearch, TranslatedDeskAdmin):
    list_display = ["value_as_printed", "qualifier", "unit_name", "period", "metric", "place", "briefing", "is_key"]
    list_filter = ["qualifier", UnitFilter, "period", "is_key", "is_minor", "date_is_inferred", "metric"]
    list_select_related = ["metric", "place", "briefing"]
    search_fields = ["value_as_printed", "source_sentence", "attribution", "metric__name", "slug"]
    autocomplete_fields = ["metric", "place", "attributed_to", "source", "briefing", "measure"]
    date_hierarchy = "date_end"
    fieldsets = [
        (None, {"fields": ["briefing", "metric", "slug", "position", "is_key", "is_minor"]}),
        (_("The number"), {"fields": ["value_as_printed", "value", "qualifier", "unit", "period"]}),
        (
            _("What it describes"),
            {"fields": ["place", "date_start", "date_end", "date_is_inferred", side_by_side("date_note")]},
        ),
        (
            PROVENANCE,
            {
                "fields": [
                    "attributed_to",
                    "attribution",
                    "source",
                    "source_sentence",
                    side_by_side("sentence_translation"),
                    "measure",
                ]
            },
        ),
        (
            _("A change it states"),
            {
                "fields": CHANGE_FIELDS,
                "description": _(
                    "Only when the sentence states a change, e.g. “down 21% from 46,666”. The figure's number is "
                    "the later one (unless the figure is the percentage itself)."
                ),
            },
        ),
    ]

    @admin.display(description=_("unit"), ordering="unit")
    def unit_name(self, figure):
        return figure.get_unit_display()

    def autocomplete_label(self, figure):
        return figure_label(figure)

    def for_pickers(self, queryset, *, briefing_pk=None):
        return figures_for_pickers(queryset, briefing_pk=briefing_pk)


@admin.register(Quote)
class QuoteAdmin(TranslatedDeskAdmin):
    list_display = ["__str__", "speaker", "speaker_description", "briefing"]
    list_filter = ["speaker", "briefing"]
    list_select_related = ["speaker", "briefing"]
    search_fields = ["text", "context", "speaker__name", "speaker_description", "slug"]
    autocomplete_fields = ["speaker", "speaker_organization", "briefing", "source"]
    fieldsets = [
        (None, {"fields": ["briefing", "slug", "position", "text", side_by_side("translation")]}),
        (_("Speaker"), {"fields": ["speaker", "speaker_description", "speaker_organization", "medium"]}),
        (PROVENANCE, {"fields": ["source", "context"]}),
    ]
