"""What the JSON API answers with: typed schemas, from which Ninja also writes the OpenAPI document.

Records name each other by slug. `url` is the record's public page and `api_url` its address in this API,
both absolute. Amounts are strings of the exact decimal stored (never a float); dates and times are ISO 8601.
The `updated_at` and `published_at` of the records in an answer give its Last-Modified (see `http.py`).
"""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.urls import reverse
from ninja import Schema
from pydantic import Field, PlainSerializer, WithJsonSchema

from .. import models
from ..languages import desk_translation
from ..models.entities import OrganizationKind, PlaceKind
from ..models.figures import ChangeDirection, FigurePeriod, FigureQualifier, MeasureKind
from ..models.rewards import RewardOfferCriterion, RewardOfferStatus, TipChannelKind


def plain_decimal(value: Decimal) -> str:
    """The exact number without exponent or trailing fractional zeros: 1500.0000 -> "1500", 2.5000 -> "2.5"."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# Money keeps its cents ("2000000.00"); other values drop the zeros their column pads them with ("1500").
Money = Annotated[
    Decimal,
    PlainSerializer(lambda value: format(value, ".2f"), return_type=str),
    WithJsonSchema({"type": "string", "format": "decimal", "pattern": r"^\d+\.\d{2}$", "examples": ["2000000.00"]}),
]
Amount = Annotated[
    Decimal,
    PlainSerializer(plain_decimal, return_type=str),
    WithJsonSchema({"type": "string", "format": "decimal", "pattern": r"^\d+(\.\d+)?$", "examples": ["1500"]}),
]

# The API address of each kind of record that has one.
API_URL_NAMES = {
    models.Briefing: "api:briefing-detail",
    models.Figure: "api:figure-detail",
    models.Place: "api:place-detail",
    models.Organization: "api:organization-detail",
    models.RewardProgram: "api:reward-program-detail",
    models.RewardOffer: "api:reward-offer-detail",
}


# The desk's translation beside verbatim words (a quote, a sentence, an offer's wording): never instead of them.
DESK_TRANSLATION = (
    "The desk's translation of the words beside it into the language asked for (Accept-Language), when the source is "
    "in another; empty otherwise."
)


class Linked(Schema):
    """Fills `url` (the public page) and `api_url` for the schemas that declare them."""

    @staticmethod
    def resolve_url(obj, context):
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_api_url(obj, context):
        address = reverse(API_URL_NAMES[type(obj)], kwargs={"slug": obj.slug})
        return context["request"].build_absolute_uri(address)

    @staticmethod
    def resolve_web_address(obj):
        # The model's own `url` field is the record's address elsewhere on the web.
        return obj.url


# Errors -------------------------------------------------------------------------------------------------


class Error(Schema):
    detail: str = Field(examples=["Not found."])


class ParameterError(Schema):
    type: str = Field(examples=["value_error"])
    loc: list[str | int] = Field(description="Where the error is: `query` or `path`, then the parameter's name.")
    msg: str


class ValidationErrors(Schema):
    detail: list[ParameterError]


# What an endpoint may answer besides its 200, for its `response=`: no such record, or a query parameter refused.
NOT_FOUND = {404: Error}
BAD_PARAMETER = {422: ValidationErrors}


# References: enough to name and link a record inside another -------------------------------------------------


class PlaceRef(Linked):
    slug: str
    name: str
    kind: PlaceKind
    url: str
    api_url: str


class OrganizationRef(Linked):
    slug: str
    name: str
    acronym: str
    url: str
    api_url: str


class PersonRef(Linked):
    slug: str
    name: str
    role: str
    url: str


class TopicRef(Linked):
    slug: str
    name: str
    url: str


class MetricRef(Linked):
    slug: str
    name: str
    url: str


class MeasureRef(Linked):
    slug: str
    name: str
    kind: MeasureKind
    date: datetime.date | None
    url: str


class SourceRef(Linked):
    slug: str
    title: str
    publisher: OrganizationRef | None
    web_address: str = Field(description="Where the document is published, if online.")
    published_on: datetime.date | None
    published_on_is_inferred: bool
    published_on_note: str = Field(description="How an inferred date was worked out.")
    language: str = Field(description="The language it is written in: its quotes and sentences are in it.")
    url: str


class BriefingRef(Linked):
    slug: str
    headline: str
    published_at: datetime.datetime
    url: str
    api_url: str


class RewardProgramRef(Linked):
    slug: str
    name: str
    acronym: str
    url: str
    api_url: str


# Figures, corrections, quotes -----------------------------------------------------------------------------


class Correction(Linked):
    id: int
    published_at: datetime.datetime
    text: str
    figure: str | None = Field(description="Slug of the figure it corrects, if it corrects one.")
    url: str

    @staticmethod
    def resolve_figure(obj):
        return obj.figure.slug if obj.figure_id else None


class FigureChange(Schema):
    """A change the figure's sentence states, e.g. “down 21% from 46,666”. The figure's own value is the later
    number, unless its unit is `percent` (then the figure is the percentage)."""

    direction: ChangeDirection
    from_as_printed: str = Field(description="The earlier number as printed; empty when none is stated.")
    from_value: Amount | None
    percent_as_printed: str = Field(description="The percentage as printed; empty when none is stated.")
    percent: Amount | None


class Figure(Linked):
    """A number a report states, with everything needed to check it."""

    slug: str
    metric: MetricRef
    value_as_printed: str = Field(description="The number as the source prints it, e.g. “about 200”.")
    value: Amount | None = Field(description="Exact decimal as a string; null when no number is stated.")
    qualifier: FigureQualifier
    unit: str = Field(
        description="What is counted: `usd`, `percent`, `people`, `encounters`, … or the desk's own word.",
        examples=["encounters", "usd", "migrants"],
    )
    unit_label: str = Field(description="The unit as readers see it, e.g. “US dollars”.")
    period: FigurePeriod
    change: FigureChange | None = Field(description="Null unless the sentence states a change.")
    place: PlaceRef | None
    date_start: datetime.date | None
    date_end: datetime.date | None
    date_is_inferred: bool
    date_note: str = Field(description="How inferred dates were worked out.")
    said_by: str = Field(description="Who said it: the named person, else the attribution as printed.")
    attributed_to: PersonRef | None
    attribution: str = Field(description="The attribution as printed, e.g. “officials said”.")
    source_sentence: str = Field(description="The sentence it comes from, word for word.")
    sentence_translation: str = Field(description=DESK_TRANSLATION)
    source: SourceRef
    briefing: BriefingRef
    measure: MeasureRef | None
    is_key: bool
    is_minor: bool
    corrections: list[Correction]
    url: str
    api_url: str
    updated_at: datetime.datetime

    @staticmethod
    def resolve_sentence_translation(obj):
        return desk_translation(obj, "sentence_translation")

    @staticmethod
    def resolve_unit_label(obj):
        return obj.get_unit_display()

    @staticmethod
    def resolve_change(obj):
        if not obj.change_direction:
            return None
        return {
            "direction": obj.change_direction,
            "from_as_printed": obj.change_from_as_printed,
            "from_value": obj.change_from_value,
            "percent_as_printed": obj.change_percent_as_printed,
            "percent": obj.change_percent,
        }


class Quote(Linked):
    slug: str
    text: str = Field(description="The exact words.")
    translation: str = Field(description=DESK_TRANSLATION)
    speaker_name: str
    speaker: PersonRef | None
    speaker_description: str = Field(description="For an unnamed speaker, as the source describes them.")
    speaker_organization: OrganizationRef | None
    context: str
    medium: str
    source: SourceRef
    url: str
    updated_at: datetime.datetime

    @staticmethod
    def resolve_translation(obj):
        return desk_translation(obj, "translation")


# Rewards --------------------------------------------------------------------------------------------------


class TipChannelRef(Schema):
    id: int
    kind: TipChannelKind
    value: str
    href: str = Field(description="A tel:, mailto: or https: link.")
    toll_free: bool
    languages: str
    receiving_agencies: list[OrganizationRef]


class TipChannel(TipChannelRef):
    instructions: str = Field(description="How to use it, in the language asked for when the desk has translated it.")
    checked_on: datetime.date | None = Field(description="When the desk last checked it works; null if not yet.")
    source: SourceRef | None
    source_sentence: str
    updated_at: datetime.datetime


class RewardOffer(Linked):
    slug: str
    program: RewardProgramRef
    target_organization: OrganizationRef
    region: PlaceRef | None
    ceiling_amount: Money = Field(description="“Up to” this amount: a ceiling, not a promised sum.")
    currency: Literal["USD"] = "USD"
    criterion_kind: RewardOfferCriterion
    criterion: str = Field(description="What the reward is for, in a few words.")
    criterion_text: str = Field(description="The offer's wording, word for word.")
    criterion_translation: str = Field(description=DESK_TRANSLATION)
    announced_on: datetime.date | None
    announced_on_is_inferred: bool
    status: RewardOfferStatus
    tip_channels: list[TipChannelRef]
    source: SourceRef | None
    source_sentence: str
    briefings: list[BriefingRef] = Field(validation_alias="published_briefings", description="Published ones only.")
    url: str
    api_url: str
    updated_at: datetime.datetime

    @staticmethod
    def resolve_criterion_translation(obj):
        return desk_translation(obj, "criterion_translation")


class RewardProgram(Linked):
    slug: str
    name: str
    acronym: str
    administering_agency: OrganizationRef
    year_established: int | None
    description: str
    web_address: str
    offers: list[RewardOffer]
    url: str
    api_url: str
    updated_at: datetime.datetime


# Places and organizations ----------------------------------------------------------------------------------


class Place(Linked):
    slug: str
    name: str
    kind: PlaceKind
    parent: PlaceRef | None
    countries: list[PlaceRef]
    description: str
    cbp_region: str = Field(description="CBP land border region matched by the desk (empty if none).")
    cbp_area: str = Field(description="CBP area of responsibility matched by the desk (empty if none).")
    cbp_match_note: str
    url: str
    api_url: str
    updated_at: datetime.datetime


class Organization(Linked):
    slug: str
    name: str
    acronym: str
    kind: OrganizationKind
    country: PlaceRef | None
    parent: OrganizationRef | None
    description: str
    web_address: str
    url: str
    api_url: str
    updated_at: datetime.datetime


# Briefings ---------------------------------------------------------------------------------------------------


class BriefingSummary(Linked):
    """Its text is in the language asked for (`Accept-Language`) when it is published in that language, else in
    English; `languages` says which it is published in."""

    slug: str
    languages: list[str] = Field(description="The languages it is published in, e.g. en and es.")
    headline: str
    dek: str
    byline: str
    dateline: PlaceRef | None
    published_at: datetime.datetime
    topics: list[TopicRef]
    url: str
    api_url: str
    updated_at: datetime.datetime


class Briefing(BriefingSummary):
    body: str = Field(description="Markdown, as written.")
    body_html: str = Field(description="The body rendered to HTML and cleaned by an allow-list, as the page shows it.")
    photo_caption: str
    photo_credit: str
    places: list[PlaceRef]
    organizations: list[OrganizationRef]
    people: list[PersonRef]
    sources: list[SourceRef]
    figures: list[Figure]
    quotes: list[Quote]
    corrections: list[Correction]
    reward_offers: list[RewardOffer]

    @staticmethod
    def resolve_body_html(obj):
        return obj.rendered_body


# The API's front page ------------------------------------------------------------------------------------------


class Index(Schema):
    title: str
    openapi: str
    docs: str
    collections: dict[str, str]
