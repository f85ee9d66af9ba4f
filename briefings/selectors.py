"""Composed reads: what the pages, the API, the feeds and the sitemaps start from.

Every public read starts here, so a draft, a scheduled briefing, or a figure or quote of one never reaches a
reader, and the same filter means the same thing on a page and in the API. Figures shown to readers carry the
official record beside them (`with_official_record()`); a page that forgets fails loudly (Figure.official_comparison).
"""

import datetime
import functools

from django.db.models import F, Prefetch, QuerySet, sql
from django.utils import timezone, translation

from .encounters.official_record import attach_comparisons
from .fast_paths import prepare_instances
from .languages import in_language
from .models import (
    Briefing,
    Correction,
    Figure,
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
from .models.briefing import may_preview

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


def reward_offers(*, briefings=None, prefetch=True):
    """Offers with everything shown beside them, in program order; given `briefings` (a queryset of published
    ones, as the caller shows them), also those that report each offer, as `published_briefings`. Without
    `prefetch`, not their tip channels (a prepared statement reads them apart)."""
    offers = (
        (RewardOffer.objects.with_related() if prefetch else RewardOffer.objects.with_related_records())
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


def tip_channels(*, prefetch=True):
    channels = TipChannel.objects.select_related("source__publisher").order_by("kind", "value", "pk")
    return channels.prefetch_related("receiving_agencies") if prefetch else channels


def figure_unit_suggestions() -> list[str]:
    """The units the desk suggests when a figure is entered: the known ones and every one already used, as the
    desk reads them (“US dollars”, not `usd`), in one query."""
    used = Figure.objects.order_by().values_list("unit", flat=True).distinct()
    return sorted({Figure.Unit.label_of(unit) for unit in [*Figure.Unit.values, *used]}, key=str.casefold)


# --- the briefing page ------------------------------------------------------------------------------------------
# What a briefing's page shows of it, read in a dozen statements compiled once per language and database
# (fast_paths.prepare_instances()): building and compiling them as prefetch_related() querysets took five times
# as long as running them. Each is prepared with a placeholder briefing id and run with the page's own. What no
# page prints is left unread (`unshown()`).

_PAGE_BRIEFING = -20_24  # no briefing has it: it only marks where the page's briefing id goes
_BRIEFING_RELATIONS = ("topics", "places", "organizations", "people", "sources", "figures", "corrections", "quotes")


def _page_statements():
    p = _PAGE_BRIEFING
    builds = {
        "topics": lambda: Topic.objects.filter(briefings=p),
        "places": lambda: Place.objects.filter(briefings=p),
        "organizations": lambda: Organization.objects.filter(briefings=p),
        "people": lambda: Person.objects.filter(briefings=p),
        "sources": lambda: Source.objects.select_related("publisher").filter(briefings=p),
        # In their order within the briefing; the briefing itself is the page's, not read again.
        "figures": lambda: (
            Figure.objects.select_related("metric", "place", "attributed_to", "source", "measure")
            .filter(briefing=p)
            .order_by("position", "pk")
        ),
        "figure corrections": lambda: (
            Correction.objects.current().filter(figure__briefing=p).order_by("published_at", "pk")
        ),
        "corrections": lambda: (
            Correction.objects.current().select_related("figure__metric", "figure__source").filter(briefing=p)
        ),
        "quotes": lambda: (
            Quote.objects.select_related("speaker", "speaker_organization", "source")
            .filter(briefing=p)
            .order_by("position", "pk")
        ),
        "reward offers": lambda: reward_offers(prefetch=False).filter(briefings=p),
    }
    return {
        name: prepare_instances(lambda build=build: unshown(build()), arguments=[p]) for name, build in builds.items()
    }


# Columns no public page prints: when a record was created and last changed (its history shows them), and a
# source's full text (the whole report). Leaving them unread spares the page some 370 times to parse.
UNSHOWN_COLUMNS = frozenset({"created_at", "updated_at", "full_text"})


def unshown(queryset):
    """`queryset` without the UNSHOWN_COLUMNS of its model and of each model it selects related."""
    paths = []

    def walk(model, prefix, related):
        paths.extend(prefix + field.name for field in model._meta.concrete_fields if field.name in UNSHOWN_COLUMNS)
        for name, deeper in related.items():
            walk(model._meta.get_field(name).related_model, f"{prefix}{name}__", deeper)

    walk(queryset.model, "", queryset.query.select_related or {})
    return queryset.defer(*paths)


_PAGE_SLUG = "\ue002page slug\ue002"  # no slug has it: it marks where the page's slug goes


def _briefing_statements():
    def briefing(queryset):
        return queryset.select_related("dateline", "lead_photo").filter(slug=_PAGE_SLUG)

    return {
        "published": prepare_instances(lambda: briefing(Briefing.objects.published()), arguments=[_PAGE_SLUG]),
        "any": prepare_instances(lambda: briefing(Briefing.objects.all()), arguments=[_PAGE_SLUG]),
    }


def briefing_for_page(slug: str, *, user, using="default") -> Briefing | None:
    """The briefing with `slug` that `user` may read on its page (`Briefing.objects.visible_to(user)`), with its
    dateline and lead photo; None if there is none."""
    statements = _statements(_briefing_statements, translation.get_language(), using)
    found = statements["any" if may_preview(user) else "published"].instances([slug])
    return found[0] if found else None


def read_briefing_page(briefing: Briefing) -> None:
    """Read what the briefing page shows of `briefing` into it, as the prefetch_related() it replaces would:
    `briefing.topics.all()` (places, organizations, people, sources, figures, corrections, quotes, reward
    offers) and, on each figure, its current corrections (not an offer's tip channels: the page does not show
    them). Instances are those the querysets in `_page_statements()` give (tests/test_fast_paths.py
    compares them with the prefetched ones)."""
    statements = _statements(_page_statements, translation.get_language(), briefing._state.db)
    read = {name: statements[name].instances([briefing.pk]) for name in (*_BRIEFING_RELATIONS, "reward offers")}
    # As prefetch_related(): nothing asked of figures there are none of.
    corrections = statements["figure corrections"].instances([briefing.pk]) if read["figures"] else []
    corrections_of = _grouped(corrections, "figure_id")
    for figure in read["figures"]:
        figure.briefing = briefing
        _prefetched(figure, "corrections", corrections_of.get(figure.pk, []))
    for quote in read["quotes"]:
        quote.briefing = briefing
    for relation in _BRIEFING_RELATIONS:
        _prefetched(briefing, relation, read[relation])
    _prefetched(briefing, "reward_offers", read["reward offers"])


def _prefetched(instance, relation, instances):
    """`instance.relation.all()` gives `instances` without a query, as prefetch_related() leaves it."""
    model = instance._meta.get_field(relation).related_model
    # Not the manager's queryset, which would build its filter; a query is shared, never changed in place (a
    # queryset's methods change a copy of it).
    queryset = QuerySet(model=model, query=_empty_query(model), using=instance._state.db)
    queryset._result_cache, queryset._prefetch_done = instances, True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = queryset


@functools.cache
def _empty_query(model):
    return sql.Query(model)


# --- the home page ----------------------------------------------------------------------------------------------
# The same for the front page (HomeView): the latest briefings, the key figures, the active offers and the tip
# channels, with what each shows beside it. Its statements take no argument but the time, filled in on each run.

HOME_LATEST = 7  # the lead story and a grid of six
# A briefing's columns the front page never prints: its body, as written and as HTML.
UNSHOWN_BRIEFING_COLUMNS = ("body", "body_en", "body_es", "body_html_en", "body_html_es")


def _home_statements():
    # Each queryset is built inside its build(): published() takes the time there, where prepare() finds it.
    def latest():
        return Briefing.objects.published().newest_first()

    def key_figures():
        return Figure.objects.published().key()

    builds = {
        "latest": lambda: (
            latest().select_related("dateline", "lead_photo").defer(*UNSHOWN_BRIEFING_COLUMNS)[:HOME_LATEST]
        ),
        "topics": lambda: Topic.objects.filter(briefings__in=latest().values("pk")[:HOME_LATEST]).annotate(
            page_briefing=F("briefings__id")
        ),
        "key figures": lambda: (
            key_figures()
            .select_related("metric", "place", "attributed_to", "source", "briefing", "measure")
            .defer(*(f"briefing__{name}" for name in UNSHOWN_BRIEFING_COLUMNS))
        ),
        "key figure corrections": lambda: (
            Correction.objects.current().filter(figure__in=key_figures().values("pk")).order_by("published_at", "pk")
        ),
        "active offers": lambda: reward_offers(prefetch=False).active(),
        "tip channels": lambda: tip_channels(prefetch=False),
        "tip channel agencies": lambda: Organization.objects.filter(tip_channels__isnull=False).annotate(
            page_channel=F("tip_channels__id")
        ),
    }
    return {
        name: prepare_instances(lambda build=build: unshown(build()), arguments=[]) for name, build in builds.items()
    }


def read_home_page(using="default") -> dict:
    """What the front page shows (HomeView's context): `lead_briefing`, `more_briefings`, `key_figures` (with
    their corrections and CBP's record beside them), `reward_offers` (the active ones; not their tip channels, which
    the page lists apart) and `tip_channels` (with their agencies), in the instances and order their querysets
    give (tests/test_fast_paths.py compares them)."""
    statements = _statements(_home_statements, translation.get_language(), using)
    read = {name: statement.instances([]) for name, statement in statements.items()}
    topics_of, corrections_of = (
        _grouped(read["topics"], "page_briefing"),
        _grouped(read["key figure corrections"], "figure_id"),
    )
    for briefing in read["latest"]:
        _prefetched(briefing, "topics", topics_of.get(briefing.pk, []))
    for figure in read["key figures"]:
        _prefetched(figure, "corrections", corrections_of.get(figure.pk, []))
    _channels_with_agencies(read["tip channels"], read["tip channel agencies"])
    latest = read["latest"]
    return {
        "lead_briefing": latest[0] if latest else None,
        "more_briefings": latest[1:],
        "key_figures": with_official_record(read["key figures"]),
        "reward_offers": read["active offers"],
        "tip_channels": read["tip channels"],
    }


def _channels_with_agencies(channels, agencies):
    """Each channel's receiving agencies (`agencies` annotated with `page_channel`)."""
    agencies_of = _grouped(agencies, "page_channel")
    for channel in channels:
        _prefetched(channel, "receiving_agencies", agencies_of.get(channel.pk, []))


@functools.cache
def _statements(build_all, language, using):
    """A page's statements (`build_all()`), compiled once per language (orderings follow it) and database."""
    return build_all()


def _grouped(instances, attribute) -> dict:
    """`instances` by the value of `attribute` (the record each belongs to), in their order."""
    groups = {}
    for instance in instances:
        groups.setdefault(getattr(instance, attribute), []).append(instance)
    return groups
