import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from briefings.models import Briefing, Figure, Organization, Place, Quote, RewardOffer, TipChannel

from .factories import (
    BriefingFactory,
    FigureFactory,
    PlaceFactory,
    QuoteFactory,
    RewardOfferFactory,
    SourceFactory,
    TipChannelFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.mark.parametrize(
    ("status", "published_at", "is_public"),
    [
        (Briefing.Status.PUBLISHED, NOW - datetime.timedelta(days=1), True),
        (Briefing.Status.PUBLISHED, NOW + datetime.timedelta(days=1), False),
        (Briefing.Status.DRAFT, NOW - datetime.timedelta(days=1), False),
        (Briefing.Status.DRAFT, NOW + datetime.timedelta(days=1), False),
        (Briefing.Status.DRAFT, None, False),
    ],
)
def test_published_covers_status_and_time(status, published_at, is_public):
    briefing = BriefingFactory(status=status, published_at=published_at)
    assert (briefing in Briefing.objects.published()) is is_public
    assert briefing.is_public is is_public


def test_visible_to_lets_only_staff_who_may_change_briefings_preview():
    draft = BriefingFactory(draft=True)
    published = BriefingFactory()
    staff_without_permission = UserFactory()
    staff_with_permission = UserFactory()
    staff_with_permission.user_permissions.add(Permission.objects.get(codename="change_briefing"))

    assert list(Briefing.objects.visible_to(AnonymousUser())) == [published]
    assert list(Briefing.objects.visible_to(staff_without_permission)) == [published]
    assert set(Briefing.objects.visible_to(staff_with_permission)) == {draft, published}


def test_figures_and_quotes_of_unpublished_briefings_are_not_published():
    public_figure = FigureFactory()
    FigureFactory(briefing=BriefingFactory(draft=True))
    FigureFactory(briefing=BriefingFactory(scheduled=True))
    public_quote = QuoteFactory()
    QuoteFactory(briefing=BriefingFactory(draft=True))

    assert list(Figure.objects.published()) == [public_figure]
    assert list(Quote.objects.published()) == [public_quote]


def test_briefing_filters_by_what_it_refers_to():
    place = PlaceFactory()
    datelined = BriefingFactory(dateline=place)
    mentioning = BriefingFactory()
    mentioning.places.add(place)
    BriefingFactory()

    assert set(Briefing.objects.for_place(place)) == {datelined, mentioning}


def _refused(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_database_refuses_a_negative_reward_ceiling():
    _refused(RewardOfferFactory, ceiling_amount=Decimal("-1"))


def test_database_refuses_a_negative_figure():
    _refused(FigureFactory, value=Decimal("-5"))


def test_database_refuses_an_indefinite_figure_with_a_value_and_a_definite_one_without():
    _refused(FigureFactory, qualifier=Figure.Qualifier.INDEFINITE, value=Decimal("100"))
    _refused(FigureFactory, qualifier=Figure.Qualifier.ABOUT, value=None)
    assert FigureFactory(qualifier=Figure.Qualifier.INDEFINITE, value=None).value is None


def test_database_refuses_invalid_choices():
    _refused(FigureFactory, qualifier="roughly")
    _refused(FigureFactory, unit="")
    _refused(FigureFactory, change_direction="sideways")
    _refused(PlaceFactory, kind="planet")
    _refused(RewardOfferFactory, criterion_kind="vibes")
    _refused(RewardOfferFactory, criterion="")
    _refused(BriefingFactory, status="archived")


def test_database_refuses_a_change_without_a_direction_or_below_zero():
    _refused(FigureFactory, change_from_as_printed="46,666", change_from_value=Decimal("46666"))
    _refused(FigureFactory, change_percent=Decimal("21"))
    _refused(FigureFactory, change_direction="down", change_percent=Decimal("-21"))
    assert FigureFactory(change_direction="down", change_percent=Decimal("21")).change_direction == "down"


def test_database_refuses_a_published_briefing_without_a_time():
    _refused(BriefingFactory, status=Briefing.Status.PUBLISHED, published_at=None)


def test_database_refuses_a_quote_with_no_speaker():
    _refused(QuoteFactory, speaker=None, speaker_description="")
    assert QuoteFactory(speaker=None, speaker_description="a senior official").speaker_name == "a senior official"


def test_database_refuses_dates_out_of_order():
    _refused(FigureFactory, date_start=datetime.date(2024, 6, 12), date_end=datetime.date(2024, 6, 1))


def test_database_refuses_duplicate_slugs_and_tip_channels():
    PlaceFactory(slug="matamoros")
    _refused(PlaceFactory, slug="matamoros")
    TipChannelFactory(kind=TipChannel.Kind.WEB, value="www.ice.gov/tips")
    _refused(TipChannelFactory, kind=TipChannel.Kind.WEB, value="www.ice.gov/tips")


def test_source_with_inferred_date_must_explain_it():
    _refused(SourceFactory, published_on_is_inferred=True, published_on_note="")


def test_quote_must_be_verbatim_in_its_source():
    quote = QuoteFactory.build(
        briefing=BriefingFactory(), source=SourceFactory(), speaker=None, speaker_description="an official"
    )
    quote.full_clean()
    quote.text = "We were never here,"
    with pytest.raises(ValidationError) as error:
        quote.full_clean()
    assert "text" in error.value.message_dict


def test_figure_as_printed_must_appear_in_its_sentence():
    figure = FigureFactory()
    figure.full_clean()
    figure.value_as_printed = "about 2,000"
    with pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert "value_as_printed" in error.value.message_dict


def test_figure_sentence_must_be_verbatim():
    figure = FigureFactory()
    figure.source_sentence = "About 1,500 interviews are granted every week."
    with pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert "source_sentence" in error.value.message_dict


def test_natural_keys_round_trip():
    place = PlaceFactory()
    tip_channel = TipChannelFactory()
    offer = RewardOfferFactory()
    assert Place.objects.get_by_natural_key(*place.natural_key()) == place
    assert TipChannel.objects.get_by_natural_key(*tip_channel.natural_key()) == tip_channel
    assert RewardOffer.objects.get_by_natural_key(*offer.natural_key()) == offer
    assert Organization.objects.get_by_natural_key(*offer.target_organization.natural_key()) == (
        offer.target_organization
    )


@pytest.mark.parametrize(
    ("kind", "value", "href"),
    [
        (TipChannel.Kind.PHONE, "(866) 347-2423", "tel:+18663472423"),
        (TipChannel.Kind.WEB, "www.ice.gov/tips", "https://www.ice.gov/tips"),
        (TipChannel.Kind.WEB, "https://example.org/tips", "https://example.org/tips"),
        (TipChannel.Kind.EMAIL, "tips@example.org", "mailto:tips@example.org"),
    ],
)
def test_tip_channel_links_are_followable(kind, value, href):
    assert TipChannel(kind=kind, value=value).href == href


def test_reward_offer_reads_as_a_ceiling():
    offer = RewardOfferFactory(ceiling_amount=Decimal("2000000"))
    assert str(offer).startswith("Up to $2,000,000")
    assert list(RewardOffer.objects.active()) == [offer]
