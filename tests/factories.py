import datetime
from decimal import Decimal
from types import SimpleNamespace

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from briefings import models
from briefings.encounters.importer.totals import refresh_totals
from briefings.encounters.models import AREA_COLUMNS
from briefings.encounters.months import calendar_month

SOURCE_SENTENCE = "About 1,500 interviews are granted daily at U.S. ports of entry."


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")
    is_staff = True


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Place

    name = factory.Sequence(lambda n: f"Place {n}")
    slug = factory.Sequence(lambda n: f"place-{n}")
    kind = models.Place.Kind.CITY


class PhotoFactory(factory.django.DjangoModelFactory):
    """A generated image (factory_boy's ImageField); its renditions are made by briefings.photos, not here."""

    class Meta:
        model = models.Photo

    image = factory.django.ImageField(width=600, height=400, color="blue", format="JPEG")
    alt_text = factory.Sequence(lambda n: f"Photo {n}")
    credit = "Desk photo"
    licence = "CC BY 4.0"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"organization-{n}")
    kind = models.Organization.Kind.GOVERNMENT_AGENCY


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    role = "Official"
    organization = factory.SubFactory(OrganizationFactory)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Source

    title = factory.Sequence(lambda n: f"Source {n}")
    slug = factory.Sequence(lambda n: f"source-{n}")
    publisher = factory.SubFactory(OrganizationFactory, kind=models.Organization.Kind.NEWS_MEDIA)
    published_on = datetime.date(2024, 6, 11)
    full_text = f"“We are here,” the official said. {SOURCE_SENTENCE}"


class BriefingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Briefing
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Briefing headline {n}")
    slug = factory.Sequence(lambda n: f"briefing-{n}")
    dek = "What happened, in a sentence."
    body = "The **body** of the briefing."
    byline = "Staff reporter"
    dateline = factory.SubFactory(PlaceFactory)
    status = models.Briefing.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    class Params:
        draft = factory.Trait(status=models.Briefing.Status.DRAFT, published_at=None)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
        )

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create and extracted:
            self.sources.set(extracted)


class MetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Metric

    name = factory.Sequence(lambda n: f"Metric {n}")
    slug = factory.Sequence(lambda n: f"metric-{n}")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Measure

    name = factory.Sequence(lambda n: f"Measure {n}")
    slug = factory.Sequence(lambda n: f"measure-{n}")
    kind = models.Measure.Kind.PROCLAMATION
    date = datetime.date(2024, 6, 3)


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Figure

    slug = factory.Sequence(lambda n: f"figure-{n}")
    metric = factory.SubFactory(MetricFactory)
    value_as_printed = "About 1,500"
    value = Decimal("1500")
    qualifier = models.Figure.Qualifier.ABOUT
    unit = models.Figure.Unit.INTERVIEWS
    period = models.Figure.Period.PER_DAY
    place = factory.SubFactory(PlaceFactory)
    date_start = datetime.date(2024, 6, 11)
    date_end = datetime.date(2024, 6, 11)
    attribution = "Border Report"
    briefing = factory.SubFactory(BriefingFactory)
    source = factory.SubFactory(SourceFactory)
    source_sentence = SOURCE_SENTENCE


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Quote

    slug = factory.Sequence(lambda n: f"quote-{n}")
    text = "We are here,"
    speaker = factory.SubFactory(PersonFactory)
    context = "“We are here,” the official said."
    briefing = factory.SubFactory(BriefingFactory)
    source = factory.SubFactory(SourceFactory)


class RewardProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RewardProgram

    name = factory.Sequence(lambda n: f"Rewards Program {n}")
    slug = factory.Sequence(lambda n: f"rewards-program-{n}")
    acronym = "RP"
    administering_agency = factory.SubFactory(OrganizationFactory)
    year_established = 2013


class TipChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.TipChannel
        skip_postgeneration_save = True

    kind = models.TipChannel.Kind.PHONE
    value = factory.Sequence(lambda n: f"(866) 000-{n:04d}")
    toll_free = True


class RewardOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RewardOffer
        skip_postgeneration_save = True

    program = factory.SubFactory(RewardProgramFactory)
    slug = factory.Sequence(lambda n: f"reward-offer-{n}")
    target_organization = factory.SubFactory(OrganizationFactory, kind=models.Organization.Kind.CRIMINAL_ORGANIZATION)
    ceiling_amount = Decimal("1000000.00")
    criterion_kind = models.RewardOffer.Criterion.ARREST_OR_CONVICTION
    criterion = "Arrest and/or conviction of a key leader"
    criterion_text = "the arrest and/or conviction of any key leader"
    announced_on = datetime.date(2024, 6, 11)

    @factory.post_generation
    def briefings(self, create, extracted, **kwargs):
        if create and extracted:
            self.briefings.set(extracted)

    @factory.post_generation
    def tip_channels(self, create, extracted, **kwargs):
        if create and extracted:
            self.tip_channels.set(extracted)


def build_site(*, briefings=3):
    """A small but complete public site for page tests.

    `briefings` published briefings share one topic, country, city, agency, person, source, metric, measure
    and reward program; each has a key figure, a quote by a named person, a quote by an unnamed speaker and a
    reward offer with two tip channels. A draft and a scheduled briefing, tied to the same records, carry a
    figure and a quote of their own that no public page may show.
    """
    country = PlaceFactory(kind=models.Place.Kind.COUNTRY)
    city = PlaceFactory(kind=models.Place.Kind.CITY, parent=country)
    city.countries.set([country])
    agency = OrganizationFactory(country=country)
    unit = OrganizationFactory(parent=agency)
    cartel = OrganizationFactory(kind=models.Organization.Kind.CRIMINAL_ORGANIZATION)
    person = PersonFactory(organization=agency)
    reporter = PersonFactory(role="Reporter")
    topic = TopicFactory()
    source = SourceFactory(
        published_on_is_inferred=True, published_on_note="The report prints no date; worked out from its clues."
    )
    source.authors.set([reporter])
    metric = MetricFactory()
    measure = MeasureFactory(source=source, source_sentence=SOURCE_SENTENCE)
    measure.organizations.set([agency])
    measure.people.set([person])
    program = RewardProgramFactory(administering_agency=agency)
    phone = TipChannelFactory(kind=models.TipChannel.Kind.PHONE, value="(866) 347-2423", source=source)
    web = TipChannelFactory(kind=models.TipChannel.Kind.WEB, value="www.ice.gov/tips", toll_free=False, source=source)
    for channel in (phone, web):
        channel.receiving_agencies.set([agency, unit])

    def tie(briefing):
        briefing.topics.set([topic])
        briefing.places.set([country])
        briefing.organizations.set([agency, cartel])
        briefing.people.set([person])
        briefing.sources.set([source])
        return briefing

    published, figures, quotes, offers = [], [], [], []
    for number in range(briefings):
        briefing = tie(
            BriefingFactory(
                dateline=city,
                published_at=timezone.now() - datetime.timedelta(days=number + 1),
            )
        )
        published.append(briefing)
        figures.append(
            FigureFactory(
                briefing=briefing,
                metric=metric,
                place=country,
                attributed_to=person,
                source=source,
                measure=measure,
                is_key=True,
                date_is_inferred=True,
                date_note="The report says “daily”; dated to its inferred publication day.",
            )
        )
        quotes.append(QuoteFactory(briefing=briefing, speaker=person, speaker_organization=agency, source=source))
        quotes.append(
            QuoteFactory(
                briefing=briefing,
                speaker=None,
                speaker_description="a senior Department of Justice official",
                speaker_organization=agency,
                source=source,
            )
        )
        offers.append(
            RewardOfferFactory(
                program=program,
                target_organization=cartel,
                region=country,
                ceiling_amount=Decimal("2000000.00"),
                source=source,
                source_sentence=SOURCE_SENTENCE,
                briefings=[briefing],
                tip_channels=[phone, web],
            )
        )

    hidden_briefings = [
        tie(BriefingFactory(draft=True, dateline=city, headline="Draft headline never shown")),
        tie(BriefingFactory(scheduled=True, dateline=city, headline="Scheduled headline not yet shown")),
    ]
    hidden_figures = [
        FigureFactory(
            briefing=hidden,
            metric=metric,
            place=country,
            attributed_to=person,
            source=source,
            measure=measure,
            is_key=True,
            value_as_printed="exactly 4,321",
            value=Decimal("4321"),
            qualifier=models.Figure.Qualifier.EXACT,
            source_sentence="Unpublished sentence with 4,321 in it.",
        )
        for hidden in hidden_briefings
    ]
    hidden_quotes = [
        QuoteFactory(
            briefing=hidden, speaker=person, speaker_organization=agency, source=source, text="Unpublished words"
        )
        for hidden in hidden_briefings
    ]
    return SimpleNamespace(
        country=country,
        city=city,
        agency=agency,
        unit=unit,
        cartel=cartel,
        person=person,
        reporter=reporter,
        topic=topic,
        source=source,
        metric=metric,
        measure=measure,
        program=program,
        phone=phone,
        web=web,
        briefings=published,
        figures=figures,
        quotes=quotes,
        offers=offers,
        hidden_briefings=hidden_briefings,
        hidden_figures=hidden_figures,
        hidden_quotes=hidden_quotes,
    )


class EncounterCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.EncounterCount

    fiscal_year = 2024
    month_abbv = "JAN"
    month = factory.LazyAttribute(lambda row: calendar_month(fiscal_year=row.fiscal_year, month_abbv=row.month_abbv))
    component = models.EncounterCount.Component.BORDER_PATROL
    land_border_region = "Southwest Land Border"
    area_of_responsibility = "Tucson Sector"
    aor_abbv = "TCA"
    demographic = "Single Adults"
    citizenship = factory.Sequence(lambda n: f"COUNTRY {n}")
    title_of_authority = "Title 8"
    encounter_type = "Apprehensions"
    encounter_count = 100

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            finish_encounter_import()


def list_encounter_areas():
    """What the importer does for the areas of the rows it stores (EncounterArea), for rows tests create."""
    areas = models.EncounterCount.objects.order_by().values(*AREA_COLUMNS).distinct()
    models.EncounterArea.objects.bulk_create((models.EncounterArea(**area) for area in areas), ignore_conflicts=True)


def finish_encounter_import():
    """What the importer does besides storing rows, for rows tests create (with the factory, or bulk_create and then
    this): it records their areas, and sums the totals the encounters page reads (briefings/encounters/totals.py)."""
    list_encounter_areas()
    refresh_totals()
