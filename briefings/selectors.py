"""Composed reads: what the pages, the API, the feeds and the sitemaps start from.

Every public read starts here, so a draft, a scheduled briefing, or a figure or quote of one never reaches a
reader, and the same filter means the same thing on a page and in the API. Figures shown to readers carry the
official record beside them (`with_official_record()`); a page that forgets fails loudly (Figure.official_comparison).
"""

import datetime

from django.db.models import Prefetch
from django.utils import timezone

from .encounters.official_record import attach_comparisons
from .languages import in_language
from .models import Briefing, Figure, Organization, Person, Place, Quote, RewardOffer, RewardProgram, TipChannel, Topic

# Briefing filters: query parameter → (model, BriefingQuerySet method). The list page and the API read both.
BRIEFING_FILTERS = {
    "topic": (Topic, "for_topic"),
    "place": (Place, "for_place"),
    "organization": (Organization, "for_organization"),
    "person": (Person, "for_person"),
}
FIRST_DAY_THAT_BOUNDS = datetime.date.min + datetime.timedelta(days=1)
LAST_DAY_THAT_BOUNDS = datetime.date.max - datetime.timedelta(days=1)


def published_briefings():
    """Published briefings as lists show them, newest first."""
    return Briefing.objects.published().for_listing().newest_first()


def briefings_filtered(briefings, filters: dict, *, published_from=None, published_to=None):
    """`briefings` narrowed by `filters` ({parameter: record}, parameters from BRIEFING_FILTERS) and by the days
    they were published on, both ends included, in the desk's time zone. A day at either end of the calendar
    bounds nothing (no briefing dates from year 1 or 9999), and its midnight may not be a datetime once moved
    into UTC: such a bound is left out rather than computed."""
    for parameter, record in filters.items():
        briefings = getattr(briefings, BRIEFING_FILTERS[parameter][1])(record)
    if published_from and published_from > FIRST_DAY_THAT_BOUNDS:
        briefings = briefings.filter(published_at__gte=_start_of_day(published_from))
    if published_to and published_to < LAST_DAY_THAT_BOUNDS:
        briefings = briefings.filter(published_at__lt=_start_of_day(published_to + datetime.timedelta(days=1)))
    return briefings


def _start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the desk's time zone, the one its pages show dates in."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def published_figures():
    """Figures of published briefings, with their provenance."""
    return Figure.objects.published().with_provenance()


def with_official_record(figures) -> list[Figure]:
    """The figures as a list, each with CBP's record beside it (`official_comparison`): one query for all of them,
    none when no figure can be compared (briefings/encounters/official_record.py)."""
    return attach_comparisons(figures)


def published_quotes():
    return Quote.objects.published().with_provenance()


def reward_offers(*, briefings=None):
    """Offers with everything shown beside them, in program order; given `briefings` (a queryset of published
    ones, as the caller shows them), also those that report each offer, as `published_briefings`."""
    offers = (
        RewardOffer.objects.with_related()
        .select_related("source__publisher")
        .order_by(in_language("program__name"), "program__pk", "position", "pk")
    )
    if briefings is not None:
        offers = offers.prefetch_related(Prefetch("briefings", queryset=briefings, to_attr="published_briefings"))
    return offers


def reward_programs(*, briefings=None):
    """The programs with their agency and their offers (see `reward_offers()`)."""
    return (
        RewardProgram.objects.select_related("administering_agency")
        .prefetch_related(Prefetch("offers", queryset=reward_offers(briefings=briefings)))
        .order_by(in_language("name"), "pk")
    )


def tip_channels():
    return (
        TipChannel.objects.select_related("source__publisher")
        .prefetch_related("receiving_agencies")
        .order_by("kind", "value", "pk")
    )


def figure_unit_suggestions() -> list[str]:
    """The units the desk suggests when a figure is entered: the known ones and every one already used, as the
    desk reads them (“US dollars”, not `usd`), in one query."""
    used = Figure.objects.order_by().values_list("unit", flat=True).distinct()
    return sorted({Figure.Unit.label_of(unit) for unit in [*Figure.Unit.values, *used]}, key=str.casefold)
