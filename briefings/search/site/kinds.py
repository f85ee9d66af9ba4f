"""The kinds of record the site search finds: where the public rows of each come from, and how a result shows."""

import functools
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, DateTimeField, DecimalField, F, Value
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import get_language

from ...models import Briefing, Figure, Metric, Organization, Place, Quote, RewardOffer
from ..language import in_language


def _nothing(output_field):
    # Typed, so that PostgreSQL can match the column across the branches of a UNION.
    return Cast(Value(None), output_field)


@dataclass(frozen=True)
class Kind:
    """One kind of result: where its public rows come from and how a result of it is shown."""

    slug: str
    model: type
    public: Any  # () -> the queryset readers may see
    title: str
    text: str | None = None
    excerpt: str | None = None
    excerpt_is_markdown: bool = False
    parent: Any = None  # expression: the slug its address also needs
    note: Any = None  # expression: a plain line shown with it
    describe_note: Any = None  # note value -> what to show
    date: Any = None
    amount: Any = None
    address: Any = None  # (slug, parent) -> URL

    @property
    def label(self):
        return self.model._meta.verbose_name

    @property
    def plural(self):
        return self.model._meta.verbose_name_plural

    def columns(self):
        return {
            "result_kind": Value(self.slug, output_field=CharField()),
            "result_id": F("pk"),
            "result_slug": F("slug"),
            "result_parent": self.parent if self.parent is not None else Value("", output_field=CharField()),
            "result_note": self.note if self.note is not None else Value("", output_field=CharField()),
            "result_date": self.date if self.date is not None else _nothing(DateTimeField()),
            "result_amount": (
                self.amount if self.amount is not None else _nothing(DecimalField(max_digits=14, decimal_places=2))
            ),
        }


def kinds() -> dict[str, Kind]:
    """Every kind of result, by the slug `?kind=` takes, in the order the page lists them: the page's language's."""
    return _kinds(get_language())


@functools.cache
def _kinds(language) -> dict[str, Kind]:
    """kinds(), in `language` (the active one): a note names a place or an organization in it."""

    place_kinds = dict(Place.Kind.choices)
    return {
        kind.slug: kind
        for kind in (
            Kind(
                slug="briefing",
                model=Briefing,
                public=lambda: Briefing.objects.published(),
                title="headline",
                text="dek",
                excerpt="body",
                excerpt_is_markdown=True,
                note=Coalesce(in_language("dateline__name"), Value(""), output_field=CharField()),
                date=F("published_at"),
                address=lambda slug, parent: Briefing(slug=slug).get_absolute_url(),
            ),
            Kind(
                slug="figure",
                model=Figure,
                public=lambda: Figure.objects.published(),
                title="value_as_printed",
                text="source_sentence",
                parent=F("metric__slug"),
                note=in_language("metric__name"),
                address=lambda slug, parent: Figure(slug=slug, metric=Metric(slug=parent)).get_absolute_url(),
            ),
            Kind(
                slug="quote",
                model=Quote,
                public=lambda: Quote.objects.published(),
                title="text",
                excerpt="context",
                parent=F("briefing__slug"),
                note=Coalesce(F("speaker__name"), F("speaker_description"), output_field=CharField()),
                address=lambda slug, parent: Quote(slug=slug, briefing=Briefing(slug=parent)).get_absolute_url(),
            ),
            Kind(
                slug="reward-offer",
                model=RewardOffer,
                public=lambda: RewardOffer.objects.all(),
                title="criterion_text",
                text="source_sentence",
                note=in_language("target_organization__name"),
                amount=F("ceiling_amount"),
                address=lambda slug, parent: RewardOffer(slug=slug).get_absolute_url(),
            ),
            Kind(
                slug="organization",
                model=Organization,
                public=lambda: Organization.objects.all(),
                title="name",
                excerpt="description",
                note=F("acronym"),
                address=lambda slug, parent: Organization(slug=slug).get_absolute_url(),
            ),
            Kind(
                slug="place",
                model=Place,
                public=lambda: Place.objects.all(),
                title="name",
                excerpt="description",
                note=F("kind"),
                describe_note=lambda value: place_kinds.get(value, value),
                address=lambda slug, parent: Place(slug=slug).get_absolute_url(),
            ),
        )
    }
