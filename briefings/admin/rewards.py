"""Reward programs with their offers inline, offers on their own, and the channels that take tips."""

from django.contrib import admin
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..admin_site import PickerSearch
from ..models import RewardOffer, RewardProgram, TipChannel
from .base import PROVENANCE, TranslatedDeskAdmin, TranslatedStackedInline, side_by_side


def offer_label(offer) -> str:
    """An offer as pickers list it: what it offers, and the briefings that report it."""
    headlines = [f"“{briefing.headline}”" for briefing in offer.briefings.all()]
    return gettext("%(offer)s · in %(briefings)s") % {
        "offer": offer,
        "briefings": ", ".join(headlines) if headlines else gettext("no briefing yet"),
    }


def offers_for_pickers(queryset, *, briefing_pk=None):
    """Offers with what their labels read, those `briefing_pk` reports first."""
    queryset = queryset.select_related("target_organization").prefetch_related("briefings")
    if briefing_pk is None:
        return queryset
    reported = RewardOffer.briefings.through.objects.filter(rewardoffer=OuterRef("pk"), briefing_id=briefing_pk)
    return queryset.annotate(reported_here=Exists(reported)).order_by("-reported_here", *RewardOffer._meta.ordering)


class RewardOfferInline(TranslatedStackedInline):
    model = RewardOffer
    extra = 0
    autocomplete_fields = ["target_organization", "region", "tip_channels", "source", "briefings"]
    fields = [
        ("slug", "position", "status"),
        ("ceiling_amount", "criterion_kind"),
        side_by_side("criterion"),
        "criterion_text",
        side_by_side("criterion_translation"),
        ("target_organization", "region"),
        ("announced_on", "announced_on_is_inferred"),
        "tip_channels",
        ("source", "briefings"),
        "source_sentence",
    ]


@admin.register(RewardProgram)
class RewardProgramAdmin(TranslatedDeskAdmin):
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
class RewardOfferAdmin(PickerSearch, TranslatedDeskAdmin):
    list_display = ["slug", "program", "ceiling_amount", "criterion", "target_organization", "status"]
    list_filter = ["status", "criterion_kind", "program"]
    list_select_related = ["program", "target_organization"]
    search_fields = ["slug", "criterion", "criterion_text", "target_organization__name", "program__name"]
    autocomplete_fields = ["program", "target_organization", "region", "tip_channels", "source", "briefings"]
    date_hierarchy = "announced_on"
    fieldsets = [
        (None, {"fields": ["program", "slug", "position", "status"]}),
        (
            _("Offer"),
            {
                "fields": [
                    "ceiling_amount",
                    "criterion_kind",
                    side_by_side("criterion"),
                    "criterion_text",
                    side_by_side("criterion_translation"),
                    "target_organization",
                ]
            },
        ),
        (_("Where and when"), {"fields": ["region", "announced_on", "announced_on_is_inferred"]}),
        (_("How to send a tip"), {"fields": ["tip_channels"]}),
        (PROVENANCE, {"fields": ["source", "source_sentence", "briefings"]}),
    ]

    def autocomplete_label(self, offer):
        return offer_label(offer)

    def for_pickers(self, queryset, *, briefing_pk=None):
        return offers_for_pickers(queryset, briefing_pk=briefing_pk)


@admin.register(TipChannel)
class TipChannelAdmin(TranslatedDeskAdmin):
    list_display = ["value", "kind", "toll_free", "languages", "checked_on"]
    list_filter = ["kind", "toll_free"]
    search_fields = ["value", "languages"]
    autocomplete_fields = ["receiving_agencies", "source"]
    fieldsets = [
        (None, {"fields": ["kind", "value", "toll_free", "languages", "receiving_agencies"]}),
        (_("For readers"), {"fields": [side_by_side("instructions"), "checked_on"]}),
        (PROVENANCE, {"fields": ["source", "source_sentence"]}),
    ]
