"""No wrong number reaches a reader: the number is its words, sentences are whole, quotes are word for word, and a
passage that is not shows where it differs (briefings/evidence/)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from briefings.evidence.numbers import NotANumber, read_printed
from briefings.evidence.sentences import is_whole_sentences
from briefings.evidence.verbatim import compare
from briefings.models import Figure

from .factories import FigureFactory, PersonFactory, QuoteFactory, SourceFactory
from .html_forms import form_data

# --- reading a number as printed ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "value", "qualifier"),
    [
        # the seed's
        ("only about 200", "200", "only_about"),
        ("About 1,500", "1500", "about"),
        ("$8 million", "8000000", "exact"),
        ("over 300", "300", "over"),
        ("fewer than 50", "50", "fewer_than"),
        ("60-mile", "60", "exact"),
        ("five-year", "5", "exact"),
        ("third anniversary", "3", "exact"),
        ("Up to $2 million", "2000000", "up_to"),
        # others a report prints
        ("About 3,000", "3000", "about"),
        ("46,666", "46666", "exact"),
        ("1.5 billion", "1500000000", "exact"),
        ("$2M", "2000000", "exact"),
        ("US$1.2 million", "1200000", "exact"),
        ("two dozen", "24", "exact"),
        ("a dozen", "12", "exact"),
        ("twenty-five migrants", "25", "exact"),
        ("a hundred thousand", "100000", "exact"),
        ("half a million", "500000", "exact"),
        ("21%", "21", "exact"),
        ("nearly 40 percent", "40", "nearly"),
        ("more than 2,000", "2000", "over"),
        ("at least 12", "12", "at_least"),
        ("as many as 5,000", "5000", "up_to"),
        ("roughly 7,500", "7500", "about"),
        ("less than 10", "10", "fewer_than"),
        ("a total of 300", "300", "exact"),
        ("about\u00a03,000", "3000", "about"),
        ("no more than 1,100", "1100", "up_to"),
        ("no less than 40", "40", "at_least"),
    ],
)
def test_a_number_as_printed_reads_as_its_value_and_qualifier(printed, value, qualifier):
    number = read_printed(printed)
    assert (number.value, number.qualifier) == (Decimal(value), qualifier)


def test_a_share_is_read_as_its_fraction():
    assert read_printed("fewer than 1 in 5").value == Decimal("0.2")
    assert (read_printed("1 in 3").value, read_printed("1 in 3").qualifier) == (Decimal("0.3333"), "exact")
    assert read_printed("300 in 12 days").value == Decimal("300")  # no share: the first is the larger
    # A fraction in words is a share too, never its numerator: “three-quarters” is 0.75, not 3.
    assert (read_printed("Nearly three-quarters").value, read_printed("Nearly three-quarters").qualifier) == (
        Decimal("0.75"),
        "nearly",
    )
    assert read_printed("two thirds").value == Decimal("0.6667")


def test_money_and_percentages_are_known_as_such():
    assert read_printed("Up to $5 million").is_money
    assert read_printed("5 million dollars").is_money
    assert read_printed("21 per cent").is_percent
    assert not read_printed("About 1,500").is_money


@pytest.mark.parametrize("printed", ["hundreds", "a few hundred", "thousands of migrants", "dozens", "several"])
def test_amounts_without_a_number_read_as_indefinite(printed):
    number = read_printed(printed)
    assert (number.value, number.qualifier) == (None, "indefinite")


@pytest.mark.parametrize(
    ("printed", "why"),
    [
        ("3,00", "thousands separator"),
        ("30,00,0", "thousands separator"),
        ("", "empty"),
        ("a great many people", "No number"),
        ("200 to 300", "more than one number"),
        ("between $1 and $2 million", "No number"),
    ],
)
def test_text_that_is_not_one_number_is_refused_saying_why(printed, why):
    with pytest.raises(NotANumber, match=why):
        read_printed(printed)


# --- the figure's number is its words -----------------------------------------------------------------------------


SENTENCE = "About 3,000 migrants crossed the Darién Gap in May, officials said."


def figure(db, **fields):
    source = SourceFactory(full_text=f"The trail is quieter. {SENTENCE} “We’re going after them,” she said.")
    defaults = {
        "value_as_printed": "About 3,000",
        "value": Decimal("3000"),
        "qualifier": Figure.Qualifier.ABOUT,
        "unit": Figure.Unit.PEOPLE,
        "source": source,
        "source_sentence": SENTENCE,
    }
    return FigureFactory.build(metric=FigureFactory().metric, briefing=FigureFactory().briefing, **(defaults | fields))


def errors_of(record) -> dict[str, list[str]]:
    try:
        record.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def test_a_figure_whose_value_matches_its_words_is_accepted(db):
    assert errors_of(figure(db)) == {}


def test_a_value_that_is_not_the_printed_number_is_refused_naming_both(db):
    errors = errors_of(figure(db, value=Decimal("30000")))
    assert errors["value"] == ["“About 3,000” is 3,000, but the value is 30,000."]


def test_a_separator_that_makes_no_number_is_refused(db):
    source = SourceFactory(full_text="Some 3,00 people waited.")
    record = figure(db, value_as_printed="3,00", value=Decimal("300"), qualifier="exact", source=source)
    record.source_sentence = "Some 3,00 people waited."
    assert "thousands separator" in errors_of(record)["value_as_printed"][0]


def test_the_qualifier_must_be_the_one_printed(db):
    errors = errors_of(figure(db, qualifier=Figure.Qualifier.EXACT))
    assert errors["qualifier"] == ["“About 3,000” is qualified “about”, but the qualifier chosen is “exactly”."]


def test_money_must_be_counted_in_dollars(db):
    source = SourceFactory(full_text="The State Department offers up to $5 million.")
    record = figure(
        db,
        value_as_printed="up to $5 million",
        value=Decimal("5000000"),
        qualifier="up_to",
        source=source,
        source_sentence="The State Department offers up to $5 million.",
    )
    assert "US dollars" in errors_of(record)["unit"][0]
    record.unit = Figure.Unit.USD
    assert errors_of(record) == {}


def test_half_a_sentence_is_not_a_source_sentence(db):
    errors = errors_of(figure(db, source_sentence="About 3,000 migrants c"))
    assert "The closest passage of the source is “About 3,000 migrants crossed”" in errors["source_sentence"][0]
    errors = errors_of(figure(db, source_sentence="About 3,000 migrants crossed the Darién Gap"))
    assert "whole sentences" in errors["source_sentence"][0]
    errors = errors_of(figure(db, source_sentence="3,000 migrants crossed the Darién Gap in May, officials said."))
    assert "whole sentences" in errors["source_sentence"][0]


def test_two_whole_sentences_are_a_source_sentence(db):
    record = figure(db, source_sentence=f"The trail is quieter. {SENTENCE}")
    assert errors_of(record) == {}


def test_the_number_as_printed_must_lie_inside_the_source_sentence(db):
    errors = errors_of(figure(db, source_sentence="The trail is quieter."))
    assert errors["value_as_printed"] == ["The number as printed must appear in the source sentence."]


# --- sentences --------------------------------------------------------------------------------------------------


TEXT = (
    "HIDALGO, Texas (Border Report) — Officials met on Oct. 4, 2023, in the U.S. capital. "
    "“We are ready,” Gen. Smith said. Then they left!\n"
    "  • Up to $2 million for information leading to an arrest.\n"
    "A closing line without a stop"
)


@pytest.mark.parametrize(
    "passage",
    [
        "HIDALGO, Texas (Border Report) — Officials met on Oct. 4, 2023, in the U.S. capital.",
        "“We are ready,” Gen. Smith said.",
        "Then they left!",
        "Up to $2 million for information leading to an arrest.",
        "A closing line without a stop",
        "“We are ready,” Gen. Smith said. Then they left!",
    ],
)
def test_whole_sentences_are_found_across_abbreviations_quotes_and_bullets(passage):
    assert is_whole_sentences(passage, TEXT)


@pytest.mark.parametrize(
    "passage",
    [
        "Officials met on Oct.",
        "4, 2023, in the U.S. capital.",
        "Smith said.",
        "Then they left",
        "Up to $2 million",
        "in the U.S.",
    ],
)
def test_parts_of_sentences_are_not_whole_sentences(passage):
    assert not is_whole_sentences(passage, TEXT)


# --- quotes -----------------------------------------------------------------------------------------------------


def test_a_quote_not_in_its_source_is_refused_with_the_closest_passage(db):
    source = SourceFactory(full_text="The trail is quieter now. “We’re going after them,” she said.")
    quote = QuoteFactory.build(
        briefing=QuoteFactory().briefing,
        speaker=None,
        speaker_description="a senior official",
        source=source,
        text="The trail is quiet",
        context="",
        slug="trail",
    )
    message = errors_of(quote)["text"][0]
    assert "The closest passage of the source is “The trail is quieter”" in message
    assert "the source has “er” that you left out" in message


def test_a_quote_outside_its_context_sentence_is_refused(db):
    source = SourceFactory(full_text="The trail is quieter now. “We’re going after them,” she said.")
    quote = QuoteFactory.build(
        briefing=QuoteFactory().briefing,
        speaker=PersonFactory(),
        source=source,
        text="We’re going after them,",
        context="The trail is quieter now.",
        slug="after-them",
    )
    assert errors_of(quote)["context"] == ["The context must hold the quote’s exact words."]
    quote.context = "“We’re going after them,” she said."
    assert errors_of(quote) == {}


# --- where a typed passage differs ------------------------------------------------------------------------------

SOURCE = "“We’re going after the very top echelons,” he said of the Darién — among the most dangerous crossings."


@pytest.mark.parametrize(
    ("typed", "difference"),
    [
        ("We're going after", "the source has a curly apostrophe (’) where you typed a straight apostrophe (')"),
        ("the very  top echelons", "you typed a space that the source does not have"),
        ("the very\u00a0top echelons", "the source has a space where you typed a non-breaking space"),
        ("the Darién - among the most", "the source has an em dash (—) where you typed a hyphen (-)"),
        ("he said of the Darien", "the source has “é” where you typed “e”"),
    ],
)
def test_a_passage_not_in_the_source_shows_the_closest_passage_and_what_differs(typed, difference):
    mismatch = compare(typed, SOURCE)
    assert mismatch.passage in SOURCE
    assert any(found.startswith(difference) for found in mismatch.differences), mismatch.differences
    assert difference in mismatch.message()


def test_a_passage_unlike_anything_in_the_source_says_so():
    mismatch = compare("Entirely unrelated words about the weather", SOURCE)
    assert mismatch.passage is None
    assert "Nothing in the source is close to it" in mismatch.message()


def test_the_admin_shows_the_difference_and_offers_the_sources_wording(client, superuser):
    from .test_admin import admin_url

    quote = QuoteFactory()
    client.force_login(superuser)
    url = admin_url("quote", "change", quote.pk)
    data = form_data(client.get(url).content.decode(), "quote_form") | {"text": "We are  here,"}
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "you typed a space that the source does not have" in page
    assert 'data-value="We are here,"' in page
    assert 'data-for="id_text"' in page
