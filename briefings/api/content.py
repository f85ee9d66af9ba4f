"""Briefings and their figures: published ones only, from the domain querysets.

Each list is ordered the same way every time and ends with the primary key, so pages never overlap or skip.
"""

import datetime

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router
from ninja.pagination import paginate

from ..models import Briefing, Correction, Figure, Metric, Place, Quote, Source
from ..selectors import BRIEFING_FILTERS, briefings_filtered, published_briefings, published_figures, reward_offers
from . import schemas
from .errors import lookup, parameter_error
from .pagination import Page
from .parameters import QueryParameters

router = Router(tags=["briefings and figures"])


# Briefings ------------------------------------------------------------------------------------------------


class BriefingFilters(QueryParameters):
    topic: str | None = Field(None, description="Topic slug.")
    place: str | None = Field(None, description="Place slug: briefings about it or datelined there.")
    organization: str | None = Field(None, description="Organization slug.")
    person: str | None = Field(None, description="Person slug.")
    published_from: datetime.date | None = Field(None, description="Published on or after this day (YYYY-MM-DD).")
    published_to: datetime.date | None = Field(None, description="Published on or before this day (YYYY-MM-DD).")


# What each filter's record is called in an error.
FILTER_NAMES = {"topic": "topic", "place": "place", "organization": "organization", "person": "person"}


@router.get(
    "/briefings",
    response={200: list[schemas.BriefingSummary], **schemas.BAD_PARAMETER},
    url_name="briefing-list",
    summary="Published briefings, newest first",
)
@paginate(Page)
def briefing_list(request, filters: Query[BriefingFilters]):
    found = {
        parameter: lookup(model.objects.all(), getattr(filters, parameter), parameter, FILTER_NAMES[parameter])
        for parameter, (model, _method) in BRIEFING_FILTERS.items()
        if getattr(filters, parameter)
    }
    if filters.published_from and filters.published_to and filters.published_from > filters.published_to:
        raise parameter_error("published_to", "published_to is before published_from.")
    return briefings_filtered(
        published_briefings(), found, published_from=filters.published_from, published_to=filters.published_to
    )


@router.get(
    "/briefings/{slug:slug}",
    response={200: schemas.Briefing, **schemas.NOT_FOUND},
    url_name="briefing-detail",
    summary="One published briefing with its figures, quotes, corrections and reward offers",
)
def briefing_detail(request, slug: str):
    briefings = (
        Briefing.objects.published()
        .for_listing()
        .prefetch_related(
            "places",
            "organizations",
            "people",
            Prefetch("sources", queryset=Source.objects.select_related("publisher")),
            # All of a published briefing's figures, quotes and offers are public; its corrections from their date.
            Prefetch("figures", queryset=Figure.objects.with_provenance().select_related("source__publisher")),
            Prefetch("quotes", queryset=Quote.objects.with_provenance().select_related("source__publisher")),
            Prefetch("corrections", queryset=Correction.objects.current().select_related("figure")),
            Prefetch("reward_offers", queryset=reward_offers(briefings=Briefing.objects.published().newest_first())),
        )
    )
    return get_object_or_404(briefings, slug=slug)


# Figures ----------------------------------------------------------------------------------------------------


class FigureFilters(QueryParameters):
    metric: str | None = Field(None, description="Metric slug: one series.")
    place: str | None = Field(None, description="Place slug.")
    briefing: str | None = Field(None, description="Slug of a published briefing.")
    key: bool | None = Field(None, description="`true` for the key figures only.")


def figures_ordered():
    return (
        published_figures()
        .select_related("source__publisher")
        .order_by("-briefing__published_at", "-briefing__pk", "position", "pk")
    )


@router.get(
    "/figures",
    response={200: list[schemas.Figure], **schemas.BAD_PARAMETER},
    url_name="figure-list",
    summary="Figures of published briefings, with their provenance",
)
@paginate(Page)
def figure_list(request, filters: Query[FigureFilters]):
    figures = figures_ordered()
    if filters.metric:
        figures = figures.for_metric(lookup(Metric.objects.all(), filters.metric, "metric", "metric"))
    if filters.place:
        figures = figures.for_place(lookup(Place.objects.all(), filters.place, "place", "place"))
    if filters.briefing:
        briefing = lookup(Briefing.objects.published(), filters.briefing, "briefing", "published briefing")
        figures = figures.filter(briefing=briefing)
    if filters.key:
        figures = figures.key()
    return figures


@router.get(
    "/figures/{slug:slug}",
    response={200: schemas.Figure, **schemas.NOT_FOUND},
    url_name="figure-detail",
    summary="One figure of a published briefing, with its provenance",
)
def figure_detail(request, slug: str):
    return get_object_or_404(figures_ordered(), slug=slug)
