"""Claims beside the record: a reported figure set beside CBP's official monthly encounter count.

The methodology, as the pages apply it:

1. A figure is comparable when its unit is *encounters*, it has a value (“a few hundred” has none), its period
   is per day or a total, it names a place that the desk has matched to CBP's data, and it says which dates
   it describes (a start and an end).
2. The place's match decides which counts are summed: its CBP area of responsibility (`Place.cbp_area`, a
   sector or field office) when it has one, otherwise its land border region (`Place.cbp_region`). The match
   is the desk's, not the source's, and its note (`Place.cbp_match_note`) is shown beside the numbers.
3. CBP publishes monthly counts, so the official counterpart covers the whole calendar months the figure's
   dates fall in: 3–11 June 2024 is compared with all of June 2024, and 28 May–3 June 2024 with May and June
   together (their counts summed).
4. A per-day figure (`period == "per_day"`) is set beside that total divided by the number of days in those
   months (30 for June; 61 for May and June), rounded to one decimal place, half up. A total (`total_to_date`,
   or an `amount` of encounters) is set beside the total itself. Other periods (“at one time”, lengths,
   durations) are not comparable with a count over days.
5. When any of those months has no rows at all for the place in this desk, there is no counterpart, and the
   page names the missing month: a partial sum would understate the record. A month whose rows are all zero is
   a month of zero encounters, not a missing one.
6. The page always says when the official count covers more than the claim (the whole month against the
   claim's own dates), and it says plainly why a figure is not compared when it is not.

Pages compute the counterparts of all the figures they show with `compare_figures()`, in one query whatever
the number of figures (none when no figure is comparable). Which rows belong to a place is
`EncounterCount.objects.for_place()`; this module only composes those querysets and does the arithmetic.
"""

import datetime
import enum
import functools
import itertools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db import connections
from django.db.models import IntegerField, Value
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..fast_paths import intcomma, placeholder, prepare
from ..languages import shown_language
from ..models import Figure, Place
from .models import EncounterCount
from .months import days_in_month, months_between

# The page listing CBP's monthly counts; it takes `area` or `region`, and `from`/`to` as YYYY-MM.
ENCOUNTER_PAGE = "briefings:encounters"

PER_DAY_PERIODS = {Figure.Period.PER_DAY}
TOTAL_PERIODS = {Figure.Period.TOTAL_TO_DATE, Figure.Period.AMOUNT}


class Outcome(enum.StrEnum):
    COMPARED = "compared"
    NO_DATA = "no-data"
    NO_CBP_MATCH = "no-cbp-match"
    NOT_COMPARABLE = "not-comparable"


@dataclass(frozen=True)
class OfficialComparison:
    """What the desk can set beside one figure from CBP's record, with the arithmetic spelled out.

    With `outcome == COMPARED`, `official_total` is the sum of `monthly_counts` and, for a per-day figure,
    `per_day` is `official_total / days`. Otherwise `reason` says plainly why there is no counterpart. Its
    sentences are written once, in the language of the page that made it (a page prints some of them twice).
    """

    figure: Figure
    outcome: Outcome
    reason: str = ""
    area_label: str = ""
    match_note: str = ""
    match_note_language: str = ""  # set when the note is read in another language than the page's (no translation)
    months: tuple[datetime.date, ...] = ()
    monthly_counts: tuple[tuple[datetime.date, int], ...] = ()
    missing_months: tuple[datetime.date, ...] = ()
    official_total: int | None = None
    days: int = 0
    per_day: Decimal | None = None
    url: str = ""

    @property
    def has_counterpart(self) -> bool:
        return self.outcome == Outcome.COMPARED

    @property
    def concerns_encounters(self) -> bool:
        """Whether the claim is of the kind CBP counts; lists of figures show the box only for these."""
        return self.figure.unit == Figure.Unit.ENCOUNTERS

    @functools.cached_property
    def months_label(self) -> str:
        return months_label(self.months)

    @functools.cached_property
    def official_sentence(self) -> str:
        if not self.has_counterpart:
            return ""
        total = intcomma(self.official_total)
        if len(self.monthly_counts) == 1:
            return _("CBP counted %(total)s encounters in the %(area)s in %(months)s.") % {
                "total": total,
                "area": self.area_label,
                "months": self.months_label,
            }
        breakdown = " + ".join(intcomma(count) for _month, count in self.monthly_counts)
        by_month = "; ".join(f"{month_label(month)}: {intcomma(count)}" for month, count in self.monthly_counts)
        return _(
            "CBP counted %(total)s encounters in the %(area)s in %(months)s (%(by_month)s; %(breakdown)s = %(total)s)."
        ) % {
            "total": total,
            "area": self.area_label,
            "months": self.months_label,
            "by_month": by_month,
            "breakdown": breakdown,
        }

    @functools.cached_property
    def arithmetic(self) -> str:
        """The per-day derivation, for a per-day claim."""
        if not self.has_counterpart or self.per_day is None:
            return ""
        return _("%(total)s ÷ %(days)s days = %(per_day)s per day.") % {
            "total": intcomma(self.official_total),
            "days": self.days,
            "per_day": intcomma(_plain(self.per_day)),
        }

    @property
    def official_value(self) -> Decimal | None:
        """The record's number set beside the claim: the per-day average for a per-day claim, else the total."""
        if not self.has_counterpart:
            return None
        return self.per_day if self.per_day is not None else Decimal(self.official_total)

    @property
    def official_rounded(self) -> Decimal | None:
        """The record's number at the claim's precision, but never coarser than the record's own two leading
        digits: beside “about 200”, 199.4 is “200”; beside “210”, 213.6 is “210”; beside “2,000”, 2,499 is “2,500”
        (not “2,000”, which would hide the gap) and 45 is “45”. The exact figure and its arithmetic stay beside it."""
        official, claim = self.official_value, self.figure.value
        if official is None:
            return None
        if claim is None or claim == 0 or official == 0:
            return official
        claim_place = Decimal(1).scaleb(claim.normalize().as_tuple().exponent)
        if claim == claim.to_integral_value():
            claim_place = max(claim_place, Decimal(1))
        two_digits = Decimal(1).scaleb(official.adjusted() - 1)  # 199.4 → 10; 2,499 → 100; 45 → 1
        place = min(claim_place, two_digits)
        rounded = (official / place).quantize(Decimal(1), rounding=ROUND_HALF_UP) * place
        return rounded.quantize(min(place, Decimal(1)))  # “200”, not “2E+2”

    @property
    def bars(self) -> list[tuple[str, Decimal]]:
        """The claim's and the record's numbers as widths out of 100, for a chart of the two side by side."""
        official, claim = self.official_value, self.figure.value
        if official is None or claim is None:
            return []
        largest = max(official, claim) or Decimal(1)
        return [
            ("claim", (claim / largest * 100).quantize(Decimal("0.1"))),
            ("official", (official / largest * 100).quantize(Decimal("0.1"))),
        ]

    @property
    def claim_covers_whole_months(self) -> bool:
        start, end = self.figure.date_start, self.figure.date_end
        if not (start and end and self.months):
            return False
        last = self.months[-1]
        return start == self.months[0] and end == last.replace(day=days_in_month(last))

    @functools.cached_property
    def coverage_note(self) -> str:
        """Says so when the monthly record covers more days than the claim."""
        if not self.has_counterpart or self.claim_covers_whole_months:
            return ""
        return _("The official count covers the whole of %(months)s; the claim covers %(dates)s.") % {
            "months": self.months_label,
            "dates": dates_label(self.figure.date_start, self.figure.date_end),
        }


def _plain(number: Decimal) -> Decimal:
    """210.0 as 210 (it claims no tenth), 199.4 as it is."""
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def month_label(month: datetime.date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def months_label(months) -> str:
    """“June 2024”, “May 2024 and June 2024”, “June 2021 to June 2024”."""
    if len(months) > 2:
        return _("%(first)s to %(last)s") % {"first": month_label(months[0]), "last": month_label(months[-1])}
    return str(get_text_list([month_label(month) for month in months], _("and")))


def dates_label(start: datetime.date, end: datetime.date) -> str:
    if start == end:
        return date_format(start)
    return _("%(start)s to %(end)s") % {"start": date_format(start), "end": date_format(end)}


def cbp_match(place):
    """The (kind, name) a place is matched to in CBP's data: its area, else its region; None without a match."""
    if place.cbp_area:
        return ("area", place.cbp_area)
    if place.cbp_region:
        return ("region", place.cbp_region)
    return None


def encounter_page_url(match, months) -> str:
    kind, name = match
    query = urlencode({kind: name, "from": months[0].strftime("%Y-%m"), "to": months[-1].strftime("%Y-%m")})
    return f"{reverse(ENCOUNTER_PAGE)}?{query}"


def not_comparable_reason(figure) -> str | None:
    """Why a figure cannot be set beside CBP's monthly counts, or None when it can (given a CBP match)."""
    if figure.unit != Figure.Unit.ENCOUNTERS:
        return _("Not compared with official data: CBP counts encounters, and this figure counts %(unit)s.") % {
            "unit": figure.get_unit_display()
        }
    if figure.value is None:
        return _("Not compared with official data: the source gives no number (“%(printed)s”).") % {
            "printed": figure.value_as_printed
        }
    if figure.period not in PER_DAY_PERIODS | TOTAL_PERIODS:
        return _(
            "Not compared with official data: CBP publishes monthly counts, which can be set beside a number "
            "per day or a total, not a number %(period)s."
        ) % {"period": figure.get_period_display()}
    if figure.place_id is None:
        return _("Not compared with official data: the figure names no place.")
    if not (figure.date_start and figure.date_end):
        return _("Not compared with official data: the figure does not say which dates it describes.")
    return None


def compare_figures(figures) -> dict[int, OfficialComparison]:
    """The official comparison of each figure, keyed by figure pk, in one query for all of them.

    Figures must come with their place loaded (`Figure.objects.with_provenance()` does it).
    """
    figures = list(figures)
    comparisons = {}
    wanted = {}  # figure pk -> (match, months)
    places_by_match = {}
    for figure in figures:
        reason = not_comparable_reason(figure)
        if reason:
            comparisons[figure.pk] = OfficialComparison(figure=figure, outcome=Outcome.NOT_COMPARABLE, reason=reason)
            continue
        match = cbp_match(figure.place)
        if match is None:
            comparisons[figure.pk] = OfficialComparison(
                figure=figure,
                outcome=Outcome.NO_CBP_MATCH,
                reason=_(
                    "Not compared with official data: %(place)s is not matched to any CBP area or region in this desk."
                )
                % {"place": figure.place.name},
            )
            continue
        wanted[figure.pk] = (match, months_between(figure.date_start, figure.date_end))
        places_by_match.setdefault(match, figure.place)

    counts = monthly_counts_by_match(places_by_match, wanted.values())
    for figure in figures:
        if figure.pk in wanted:
            match, months = wanted[figure.pk]
            comparisons[figure.pk] = comparison_from_counts(figure, match, months, counts.get(match, {}))
    return comparisons


def monthly_counts_by_match(places_by_match, wanted) -> dict[tuple[str, str], dict[datetime.date, int]]:
    """{match: {month: encounters}} over every month the (match, months) pairs in `wanted` need, summed by the
    database in one query.

    One grouped SELECT per CBP match, joined with UNION ALL, each tagged with the match's number, so that
    which rows belong to a place stays `EncounterCount.objects.for_place()`'s rule. Each match's months are
    named one by one: given a range of months, SQLite read the whole of each month (every area's counts, some
    6,000 rows a month in CBP's files) for an area named through a subquery, where given the months it reads the
    area's own (some 170).
    """
    if not places_by_match:
        return {}
    matches = sorted(places_by_match, key=lambda match: match[0])  # areas, then regions: fewer statements to keep
    span = {}
    for match, months in wanted:
        first, last = span.get(match, (months[0], months[-1]))
        span[match] = (min(first, months[0]), max(last, months[-1]))
    months_of = {match: months_between(*span[match]) for match in matches}
    connection = connections[EncounterCount.objects.db]
    shape = tuple((kind, len(months_of[kind, name])) for kind, name in matches)
    statement = _counts_statement(shape, connection.alias)
    arguments = []
    for match in matches:
        arguments += [match[1], *(connection.ops.adapt_datefield_value(month) for month in months_of[match])]
    counts = {match: {} for match in matches}
    for row in statement.run(arguments, using=connection.alias):
        counts[matches[row["match_number"]]][row["month"]] = row["encounters"]
    return counts


@functools.lru_cache(maxsize=128)
def _counts_statement(shape, using):
    """The query of monthly_counts_by_match() for matches of this shape (each match's kind, “area” or “region”,
    and its number of months), compiled once: one grouped SELECT per match, joined with UNION ALL. Its arguments
    are each match's name and months."""
    stand_ins = []  # a name and months for each match, as the database is given them
    per_match = []
    stand_in_months = (datetime.date(1000 + index // 12, index % 12 + 1, 1) for index in itertools.count())
    for number, (kind, month_count) in enumerate(shape):
        name, months = placeholder(number), list(itertools.islice(stand_in_months, month_count))
        place = Place(cbp_area=name) if kind == "area" else Place(cbp_region=name)
        per_match.append(
            EncounterCount.objects.using(using)
            .for_place(place)
            .filter(month__in=months)
            .monthly_totals()
            .annotate(match_number=Value(number, output_field=IntegerField()))
            .order_by()
        )
        stand_ins += [name, *(connections[using].ops.adapt_datefield_value(month) for month in months)]
    union = per_match[0].union(*per_match[1:], all=True) if len(per_match) > 1 else per_match[0]
    return prepare(lambda: union, arguments=stand_ins)


def comparison_from_counts(figure, match, months, counts) -> OfficialComparison:
    place = figure.place
    area_label = match[1]
    note_language = shown_language(place, "cbp_match_note")
    common = {
        "figure": figure,
        "area_label": area_label,
        "match_note": place.cbp_match_note,
        "match_note_language": "" if note_language == get_language() else note_language,
        "months": months,
    }
    missing = tuple(month for month in months if month not in counts)
    if missing:
        if len(missing) == len(months):
            reason = _("No official CBP data in this desk covers the %(area)s in %(months)s.") % {
                "area": area_label,
                "months": months_label(months),
            }
        else:
            reason = _(
                "No official CBP data in this desk covers the %(area)s in %(missing)s, so there is no official "
                "count for %(months)s to set beside this figure."
            ) % {
                "area": area_label,
                "missing": get_text_list([month_label(m) for m in missing], _("and")),
                "months": months_label(months),
            }
        return OfficialComparison(outcome=Outcome.NO_DATA, reason=reason, missing_months=missing, **common)
    monthly = tuple((month, counts[month]) for month in months)
    total = sum(count for _month, count in monthly)
    days = sum(days_in_month(month) for month in months)
    per_day = None
    if figure.period in PER_DAY_PERIODS:
        per_day = (Decimal(total) / Decimal(days)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return OfficialComparison(
        outcome=Outcome.COMPARED,
        monthly_counts=monthly,
        official_total=total,
        days=days,
        per_day=per_day,
        url=encounter_page_url(match, months),
        **common,
    )


def attach_comparisons(figures):
    """Sets `official_comparison` on each figure (for the templates) and returns the figures as a list."""
    figures = list(figures)
    comparisons = compare_figures(figures)
    for figure in figures:
        figure.official_comparison = comparisons[figure.pk]
    return figures
