"""A vocabulary for any border story: units typed freely with suggestions, figures that state a change, reward
criteria in words with a kind (briefings/models/figures.py, briefings/evidence/rules.py, briefings/admin/entry.py)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from briefings.models import Briefing, Figure, RewardOffer

from .factories import BriefingFactory, FigureFactory, OrganizationFactory, RewardProgramFactory, SourceFactory
from .html_forms import form_data
from .test_evidence import errors_of
from .test_quick_entry import add_figure

CHANGE = "About 36,866 migrants were encountered in July, down 21% from 46,666 in June, officials said."


def change_figure(**fields):
    source = SourceFactory(full_text=f"The trail is quieter. {CHANGE}")
    defaults = {
        "value_as_printed": "About 36,866",
        "value": Decimal("36866"),
        "qualifier": Figure.Qualifier.ABOUT,
        "unit": "migrants",
        "period": Figure.Period.PER_MONTH,
        "source": source,
        "source_sentence": CHANGE,
        "change_direction": "down",
        "change_percent_as_printed": "21%",
        "change_percent": Decimal("21"),
        "change_from_as_printed": "46,666",
        "change_from_value": Decimal("46666"),
        "place": None,
        "attributed_to": None,
    }
    return FigureFactory.build(metric=FigureFactory().metric, briefing=FigureFactory().briefing, **(defaults | fields))


# --- units ------------------------------------------------------------------------------------------------------


def test_a_unit_of_the_desks_own_is_stored_as_typed_in_lower_case(db):
    record = change_figure(unit="  Migrants ")
    assert errors_of(record) == {}
    assert (record.unit, record.get_unit_display()) == ("migrants", "migrants")


@pytest.mark.parametrize("typed", ["US dollars", "dollars", "$", "USD"])
def test_the_names_of_a_suggested_unit_are_one_unit(typed):
    assert Figure.Unit.normalize(typed) == "usd"
    assert Figure.Unit.label_of(Figure.Unit.normalize(typed)) == "US dollars"


def test_the_admin_suggests_the_units_in_use_and_saves_a_new_one(client, publisher):
    FigureFactory(unit="gotaways")
    briefing = BriefingFactory(draft=True)
    briefing.sources.set([SourceFactory(full_text="About 3,000 migrants crossed in May, officials said.")])
    client.force_login(publisher)
    page = client.get(reverse("admin:briefings_figure_add")).content.decode()
    assert 'list="id_unit-suggestions"' in page
    for suggestion in ("gotaways", "US dollars", "encounters"):
        assert f'<option value="{suggestion}">' in page

    response = add_figure(
        client,
        briefing,
        value_as_printed="About 3,000",
        value="3000",
        unit="Migrants",
        period="per_month",
        source_sentence="About 3,000 migrants crossed in May, officials said.",
    )
    assert response.status_code == 302
    figure = Figure.objects.get(briefing=briefing)
    assert (figure.unit, figure.period) == ("migrants", "per_month")
    # The form shows a suggested unit by its name, and saving it unchanged on a live briefing changes no fact.
    Figure.objects.filter(pk=figure.pk).update(unit="usd")
    Briefing.objects.filter(pk=briefing.pk).update(status="published", published_at=timezone.now())
    url = reverse("admin:briefings_figure_change", args=[figure.pk])
    data = form_data(client.get(url).content.decode(), "figure_form")
    assert data["unit"] == "US dollars"
    assert client.post(url, data).status_code == 302
    assert Figure.objects.get(pk=figure.pk).unit == "usd"


def test_a_page_shows_the_desks_unit(client, db):
    figure = FigureFactory(unit="gotaways")
    assert "gotaways" in client.get(figure.get_absolute_url()).content.decode()


# --- changes ----------------------------------------------------------------------------------------------------


def test_a_stated_change_that_agrees_with_its_numbers_is_accepted(db):
    assert errors_of(change_figure()) == {}


def test_a_change_needs_a_direction(db):
    errors = errors_of(change_figure(change_direction=""))
    assert errors["change_direction"] == ["Say which way it changed, or leave every change field empty."]


def test_the_direction_must_agree_with_the_two_numbers(db):
    errors = errors_of(change_figure(change_direction="up"))
    assert errors["change_direction"] == ["From 46,666 to 36,866 is down, not up."]


def test_the_percentage_must_agree_with_the_two_numbers_to_the_precision_printed(db):
    source_sentence = CHANGE.replace("21%", "12%")
    record = change_figure(
        source=SourceFactory(full_text=source_sentence),
        source_sentence=source_sentence,
        change_percent_as_printed="12%",
        change_percent=Decimal("12"),
    )
    assert errors_of(record)["change_percent"] == ["From 46,666 to 36,866 is a change of 21%, not 12%."]


def test_the_earlier_number_is_its_words_and_lies_in_the_sentence(db):
    assert errors_of(change_figure(change_from_value=Decimal("4666")))["change_from_value"] == [
        "“46,666” is 46,666, but the value is 4,666."
    ]
    assert errors_of(change_figure(change_from_as_printed="46,667", change_from_value=Decimal("46667")))[
        "change_from_as_printed"
    ] == ["“46,667” must appear in the source sentence."]
    assert errors_of(change_figure(change_from_as_printed=""))["change_from_as_printed"] == [
        "Give the number as printed too."
    ]


def test_the_percentage_must_be_printed_as_one(db):
    errors = errors_of(change_figure(change_percent_as_printed="46,666", change_percent=Decimal("46666")))
    assert errors["change_percent_as_printed"] == ["“46,666” is not a percentage."]


def test_a_figure_that_is_the_percentage_states_the_earlier_number_of_another_unit(db):
    record = change_figure(
        value_as_printed="21%",
        value=Decimal("21"),
        qualifier=Figure.Qualifier.EXACT,
        unit="percent",
        change_percent_as_printed="",
        change_percent=None,
    )
    assert errors_of(record) == {}


def test_the_change_is_shown_on_the_pages_and_in_the_api(client, db):
    record = change_figure()
    record.save()
    page = client.get(record.get_absolute_url()).content.decode()
    assert "down 21% from 46,666" in page
    assert '<data value="46666">46,666</data>' in page
    assert '<span class="figure-period">per month</span>' in page
    briefing_page = client.get(record.briefing.get_absolute_url()).content.decode()
    assert "down 21% from 46,666" in briefing_page
    api = client.get(reverse("api:figure-detail", args=[record.slug])).json()
    assert api["unit"] == "migrants" and api["unit_label"] == "migrants"
    assert api["change"] == {
        "direction": "down",
        "from_as_printed": "46,666",
        "from_value": "46666",
        "percent_as_printed": "21%",
        "percent": "21",
    }
    unchanged = FigureFactory()
    assert client.get(reverse("api:figure-detail", args=[unchanged.slug])).json()["change"] is None


def test_the_admin_records_a_change(client, publisher):
    briefing = BriefingFactory(draft=True)
    briefing.sources.set([SourceFactory(full_text=CHANGE)])
    client.force_login(publisher)
    response = add_figure(
        client,
        briefing,
        value_as_printed="About 36,866",
        value="36866",
        unit="migrants",
        period="per_month",
        source_sentence=CHANGE,
        change_direction="down",
        change_percent_as_printed="21%",
        change_from_as_printed="46,666",
    )
    assert response.status_code == 302
    figure = Figure.objects.get(briefing=briefing)
    assert figure.change_summary == "down 21% from 46,666"
    # The values were read from their words.
    assert (figure.change_percent, figure.change_from_value) == (21, 46666)

    response = add_figure(
        client,
        briefing,
        value_as_printed="About 36,866",
        value="36866",
        source_sentence=CHANGE,
        change_direction="up",
        change_from_as_printed="46,666",
        change_from_value="46666",
    )
    assert response.status_code == 200
    assert "From 46,666 to 36,866 is down, not up." in response.content.decode()


# --- reward criteria --------------------------------------------------------------------------------------------

OFFER_TEXT = "The reward is for information leading to the location of the network's leaders."


def add_offer(client, **fields):
    url = reverse("admin:briefings_rewardoffer_add")
    data = form_data(client.get(url).content.decode(), "rewardoffer_form") | {
        "program": str(RewardProgramFactory().pk),
        "target_organization": str(OrganizationFactory().pk),
        "ceiling_amount": "3000000",
        "criterion_text": "information leading to the location of the network's leaders",
        "source": str(SourceFactory(full_text=OFFER_TEXT).pk),
        "source_sentence": OFFER_TEXT,
    }
    return client.post(url, data | fields)


def test_an_offer_says_its_criterion_in_words_with_a_kind(client, publisher):
    client.force_login(publisher)
    response = add_offer(
        client, criterion_kind="identification_or_location", criterion_en="Location of the network's leaders"
    )
    assert response.status_code == 302
    offer = RewardOffer.objects.get()
    assert offer.get_criterion_kind_display() == "Identification or location"
    page = client.get(offer.get_absolute_url()).content.decode()
    assert "Location of the network&#39;s leaders" in page
    assert client.get(reverse("api:reward-offer-detail", args=[offer.slug])).json()["criterion"] == (
        "Location of the network's leaders"
    )


def test_an_empty_criterion_is_its_kinds_name_but_other_must_be_described(client, publisher):
    client.force_login(publisher)
    response = add_offer(client, criterion_kind="other", criterion_en="")
    assert response.status_code == 200
    assert "Say what the reward is for: the kind is “Other”." in response.content.decode()
    assert add_offer(client, criterion_kind="prevention", criterion_en="").status_code == 302
    assert RewardOffer.objects.get().criterion == "Preventing an act or attack"


def test_a_criterion_that_is_a_kinds_name_follows_the_kind(client, publisher):
    client.force_login(publisher)
    assert add_offer(client, criterion_kind="prevention", criterion_en="").status_code == 302
    offer = RewardOffer.objects.get()
    url = reverse("admin:briefings_rewardoffer_change", args=[offer.pk])
    data = form_data(client.get(url).content.decode(), "rewardoffer_form")
    fix = {"fact_fix": "the kind, filed again"}  # offers are live: a changed fact says what it is
    assert client.post(url, data | fix | {"criterion_kind": "identification_or_location"}).status_code == 302
    assert RewardOffer.objects.get().criterion == "Identification or location"
    # The desk's own words stay when the kind changes.
    data = form_data(client.get(url).content.decode(), "rewardoffer_form")
    ours = {"criterion_en": "Where the leaders hide", "criterion_kind": "other"}
    assert client.post(url, data | fix | ours).status_code == 302
    assert RewardOffer.objects.get().criterion == "Where the leaders hide"


def test_the_figure_list_names_and_filters_units_as_the_desk_reads_them(client, publisher):
    FigureFactory(unit="usd", value_as_printed="$8 million")
    FigureFactory(unit="gotaways")
    client.force_login(publisher)
    page = client.get(reverse("admin:briefings_figure_changelist")).content.decode()
    assert '<td class="field-unit_name">US dollars</td>' in page
    assert ">US dollars</a>" in page and ">gotaways</a>" in page  # the filter's choices
    filtered = client.get(reverse("admin:briefings_figure_changelist"), {"unit": "gotaways"}).content.decode()
    assert "gotaways" in filtered and "$8 million" not in filtered
