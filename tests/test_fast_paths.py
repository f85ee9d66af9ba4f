"""briefings/fast_paths/: each speed trick gives what the Django behaviour it replaces gives."""

import datetime
import re
from unittest import mock

import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import timezone, translation

from briefings import fast_paths
from briefings.fast_paths import (
    compiled_sql,
    instances,
    page_url,
    placeholder,
    prepare,
    prepare_instances,
    statements,
    urls,
)
from briefings.languages import in_language as fast_paths_language_order
from briefings.models import Briefing, Correction, Figure, Photo, RewardOffer
from briefings.selectors import read_briefing_page

from .factories import BriefingFactory, FigureFactory

# --- choice labels ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
def test_choice_labels_are_shown_as_django_shows_them_in_the_readers_language(language):
    """ChoiceLabels looks labels up in a dict made once per field; it must give what Django's own
    `Model._get_FIELD_display` gives, for every value of every field with choices, and for one not among them."""
    checked = 0
    for model in apps.get_app_config("briefings").get_models():
        for field in (field for field in model._meta.fields if field.choices):
            for value in [*(value for value, _label in field.flatchoices), "not-a-choice", ""]:
                record = model(**{field.attname: value})
                with translation.override(language):
                    shown = getattr(record, f"get_{field.name}_display")()
                    assert shown == models.Model._get_FIELD_display(record, field), (model, field.name, value)
                    assert shown == getattr(record, f"get_{field.name}_display")()  # the dict, once it is made
                checked += 1
    assert checked > 50
    with translation.override("es"):
        assert Figure(unit=Figure.Unit.PEOPLE).get_unit_display() == str(Figure.Unit.PEOPLE.label)
        assert Figure(unit=Figure.Unit.PEOPLE).get_unit_display() == "personas"


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_units_label_is_its_choice_label_in_the_readers_language(language):
    """FigureUnit.label_of() reads a dict made once instead of the enum's lists; a unit the desk typed itself is
    shown as typed."""
    with translation.override(language):
        for unit in Figure.Unit:
            assert Figure.Unit.label_of(unit.value) == str(unit.label)
        assert Figure.Unit.label_of("gotaways") == "gotaways"


def test_every_record_the_desk_edits_with_choices_mixes_in_the_fast_labels():
    from briefings.models.base import TimeStamped

    edited = [model for model in apps.get_app_config("briefings").get_models() if issubclass(model, TimeStamped)]
    with_choices = [model for model in edited if any(field.choices for field in model._meta.fields)]
    assert len(with_choices) >= 7
    assert [model for model in with_choices if not issubclass(model, fast_paths.ChoiceLabels)] == []


# --- prepared statements ----------------------------------------------------------------------------------------


def _searched(word):
    """A queryset with what site search's have: a word, the current time (published()), a join, converted columns."""
    return (
        Figure.objects.published()
        .filter(briefing__headline__icontains=word)
        .order_by("pk")
        .values("pk", "value", "date_start", "briefing__published_at")
    )


@pytest.mark.django_db
def test_a_prepared_statement_gives_the_rows_its_queryset_gives():
    past = timezone.now() - datetime.timedelta(days=3)
    FigureFactory.create_batch(2, briefing=BriefingFactory(headline="Into the Darién Gap", published_at=past))
    FigureFactory(
        briefing=BriefingFactory(
            headline="Darién, scheduled", published_at=timezone.now() + datetime.timedelta(days=1)
        )
    )
    FigureFactory(briefing=BriefingFactory(headline="Elsewhere", published_at=past))
    statement = prepare(lambda: _searched(placeholder(0)), arguments=[placeholder(0)])
    # The time published() asks for is filled in on each run: two days on, the scheduled briefing is public too.
    for now in (timezone.now(), timezone.now() + datetime.timedelta(days=2)):
        for word in ("Darién", "Elsewhere", "nothing"):
            with connection.cursor() as cursor:
                cursor.execute(statement.sql, statement.params([word], now=now))
                rows = list(statement.rows(cursor, connection))
            with mock.patch("django.utils.timezone.now", return_value=now):
                assert rows == list(_searched(word)), (now, word)
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(days=2)):
        assert len(list(_searched("Darién"))) == 3
    assert len(list(_searched("Darién"))) == 2


# What the pages' statements leave unread: when records were made and changed, a source's full text, and a
# briefing's body (as written and as HTML) on the front page.
UNREAD = {"full_text", "created_at", "updated_at", "body", "body_en", "body_es", "body_html_en", "body_html_es"}


def _record(instance):
    """An instance as its columns say it, for comparing instances built two ways; but what is left unread."""
    fields = [field for field in instance._meta.concrete_fields if field.attname not in UNREAD]
    return type(instance), tuple(getattr(instance, field.attname) for field in fields)


@pytest.mark.django_db
def test_prepared_instances_are_those_their_queryset_gives_with_their_related_ones(django_assert_num_queries):
    briefing = BriefingFactory()
    FigureFactory.create_batch(3, briefing=briefing)
    FigureFactory(briefing=BriefingFactory())

    def build(pk):
        return Figure.objects.select_related("metric", "source__publisher").filter(briefing=pk).order_by("-pk")

    statement = prepare_instances(lambda: build(-1), arguments=[-1])
    with django_assert_num_queries(1):
        figures = statement.instances([briefing.pk])
        related = [(figure.metric, figure.source, figure.source.publisher) for figure in figures]
    expected = list(build(briefing.pk))
    assert [_record(figure) for figure in figures] == [_record(figure) for figure in expected]
    assert related == [(figure.metric, figure.source, figure.source.publisher) for figure in expected]
    assert len(figures) == 3 and statement.instances([-1]) == []
    with pytest.raises(ValueError, match="cannot prefetch"):
        prepare_instances(lambda: build(-1).prefetch_related("corrections"), arguments=[-1])


@pytest.mark.django_db
def test_an_instance_built_from_its_row_is_the_one_django_builds():
    """instances._Builder against Model.from_db(): the same attributes, state and translated fields, a column
    left unread still deferred (reading it is a query), and a model with a post_init receiver left to Django."""
    figure = FigureFactory(metric__name_es="encuentros")
    statement = prepare_instances(
        lambda: Figure.objects.select_related("metric").defer("attribution").filter(pk=-1), arguments=[-1]
    )
    (built,) = statement.instances([figure.pk])
    expected = Figure.objects.select_related("metric").defer("attribution").get(pk=figure.pk)
    for instance, django_s in ((built, expected), (built.metric, expected.metric)):
        assert type(instance) is type(django_s)
        assert {k: v for k, v in vars(instance).items() if k != "_state"} == {
            k: v for k, v in vars(django_s).items() if k not in ("_state", "_mt_init")
        }
        assert (instance._state.adding, instance._state.db) == (False, "default")
    assert built.get_deferred_fields() == expected.get_deferred_fields() == {"attribution"}
    with translation.override("es"):
        assert built.metric.name == "encuentros"
    assert built.metric.name == figure.metric.name_en
    assert instances._Builder.of(Figure) is not Figure
    assert instances._Builder.of(Photo) is Photo  # its ImageField sets its dimensions after __init__


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_briefing_page_reads_what_prefetch_related_would(seed, language, django_assert_num_queries):
    """selectors.read_briefing_page() against the prefetch_related() it replaced, on the seed briefing with a
    figure corrected. An offer's tip channels are not read (the page does not show them)."""
    briefing = Briefing.objects.get(slug="us-expands-task-force-to-darien-gap-offers-rewards-clan-del-golfo")
    figure = briefing.figures.order_by("pk")[1]
    Correction.objects.create(briefing=briefing, figure=figure, text="The figure was misread.")
    relations = ["topics", "places", "organizations", "people", "sources", "figures", "corrections", "quotes"]
    with translation.override(language):
        prefetched = Briefing.objects.prefetch_related(
            *relations,
            models.Prefetch(
                "figures__corrections", queryset=Correction.objects.current().order_by("published_at", "pk")
            ),
            models.Prefetch(
                "reward_offers",
                queryset=RewardOffer.objects.select_related("program").order_by(
                    fast_paths_language_order("program__name"), "program__pk", "position", "pk"
                ),
            ),
        ).get(pk=briefing.pk)
        read = Briefing.objects.get(pk=briefing.pk)
        read_briefing_page(read)  # compiled here once per language; then each page's reads are these
        read = Briefing.objects.get(pk=briefing.pk)
        with django_assert_num_queries(10):
            read_briefing_page(read)
    with django_assert_num_queries(0):
        mine = _page(read, relations)
    assert mine == _page(prefetched, relations)
    corrected = dict(mine["figures"])[_record(figure)]
    assert len(corrected["corrections"]) == 1


def _page(briefing, relations):
    """What the briefing page reads of `briefing`, as records: each relation's, and the figures' corrections and
    related records, the offers' programs."""
    page = {relation: [(_record(item), {}) for item in getattr(briefing, relation).all()] for relation in relations}
    page["figures"] = [
        (
            _record(figure),
            {
                "corrections": [_record(correction) for correction in figure.corrections.all()],
                "related": [_record(figure.metric), _record(figure.source), figure.briefing.pk],
            },
        )
        for figure in briefing.figures.all()
    ]
    page["reward_offers"] = [
        (
            _record(offer),
            {
                "program": _record(offer.program),
            },
        )
        for offer in briefing.reward_offers.all()
    ]
    return page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_home_page_reads_what_its_querysets_would(seed, language, django_assert_num_queries):
    """selectors.read_home_page() against the querysets and prefetch_related() it replaced: the latest briefings
    with their topics, the key figures with their corrections, the active offers, and every tip channel with its
    agencies. More briefings than it shows, a key figure corrected, a
    scheduled briefing that is not shown."""
    from briefings.selectors import published_briefings, published_figures, read_home_page, reward_offers, tip_channels

    BriefingFactory.create_batch(8)
    BriefingFactory(scheduled=True, headline="Not yet")
    figure = published_figures().key().first()
    Correction.objects.create(briefing=figure.briefing, figure=figure, text="The figure was misread.")
    with translation.override(language):
        read_home_page()  # compiled once per language
        with django_assert_num_queries(8):  # seven statements, and CBP's record beside the key figures
            page = read_home_page()
        latest = list(published_briefings()[:7])
        expected = {
            "briefings": [(_record(b), [_record(t) for t in b.topics.all()]) for b in latest],
            "figures": [
                (_record(f), [_record(c) for c in f.corrections.all()], _record(f.briefing))
                for f in published_figures().key()  # with_provenance(): their current corrections
            ],
            "offers": [_record(o) for o in reward_offers().active()],
            "channels": [(_record(c), [_record(a) for a in c.receiving_agencies.all()]) for c in tip_channels()],
        }
        with django_assert_num_queries(0):
            shown = [page["lead_briefing"], *page["more_briefings"]]
            mine = {
                "briefings": [(_record(b), [_record(t) for t in b.topics.all()]) for b in shown],
                "figures": [
                    (_record(f), [_record(c) for c in f.corrections.all()], _record(f.briefing))
                    for f in page["key_figures"]
                ],
                "offers": [_record(o) for o in page["reward_offers"]],
                "channels": [
                    (_record(c), [_record(a) for a in c.receiving_agencies.all()]) for c in page["tip_channels"]
                ],
            }
    assert mine == expected
    assert len(mine["briefings"]) == 7 and any(corrections for _f, corrections, _b in mine["figures"])
    assert all(agencies for _c, agencies in mine["channels"]) and mine["offers"]


@pytest.mark.django_db
def test_a_statement_built_from_a_queryset_made_before_it_is_refused():
    """published() takes the time when the queryset is built: built outside build(), that time would be kept as a
    value and the statement's clock would stop (a briefing published later never listed)."""
    early = Briefing.objects.published()
    with pytest.raises(ValueError, match="before the statement was built"):
        prepare(lambda: early.order_by("pk"), arguments=[])


@pytest.mark.django_db
def test_the_home_page_lists_a_briefing_published_after_its_statements_were_compiled(client):
    """The front page's statements are compiled once per process; what they ask for is published as of each run."""
    from briefings.selectors import read_home_page

    BriefingFactory(headline="Before the statements")
    read_home_page()
    at = timezone.now() + datetime.timedelta(minutes=5)
    BriefingFactory(headline="Published later", published_at=at)
    assert "Published later" not in client.get("/").content.decode()
    with mock.patch("django.utils.timezone.now", return_value=at):
        assert "Published later" in client.get("/").content.decode()


# --- compiled SQL with a marked parameter ---------------------------------------------------------------------

MARK_TIME = datetime.datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC)
MARKER = object()


@pytest.mark.django_db
def test_compiled_sql_with_the_marker_filled_in_gives_what_the_queryset_gives():
    now = timezone.now()
    for days in (-2, -1, 1):
        BriefingFactory(published_at=now + datetime.timedelta(days=days))

    def published_by(moment):
        # Not rewritten by django-modeltranslation, whose values_list() reorders its columns in Python.
        return (
            Briefing.objects.rewrite(False).filter(published_at__lte=moment).order_by("pk").values_list("pk", "status")
        )

    sql, params = compiled_sql(published_by(MARK_TIME), using="default", marker=MARKER, marker_value=MARK_TIME)
    assert params.count(MARKER) == 1
    for moment in (now - datetime.timedelta(days=3), now, now + datetime.timedelta(days=2)):
        value = connection.ops.adapt_datetimefield_value(moment)
        with connection.cursor() as cursor:
            cursor.execute(sql, [value if param is MARKER else param for param in params])
            assert cursor.fetchall() == list(published_by(moment)), moment


# --- URLs by slug -----------------------------------------------------------------------------------------------

ADDRESSES = [
    ("briefings:briefing-detail", {"slug": "us-expands-task-force"}),
    ("briefings:figure-detail", {"metric_slug": "southwest-border-encounters", "slug": "encounters-2024-06"}),
    ("briefings:figure-detail", {"slug": "b", "metric_slug": "a"}),
    ("briefings:place-detail", {"slug": "Darien_Gap-2"}),
    ("briefings:organization-detail", {"slug": "a"}),
    ("briefings:reward-offer-detail", {"slug": "clan-del-golfo-leaders"}),
    ("briefings:correction-list", {}),
    ("briefings:reward-list", {}),
]


@pytest.fixture(autouse=True)
def _script_prefix_back():
    yield
    set_script_prefix("/")


@pytest.mark.parametrize(("viewname", "slugs"), ADDRESSES)
@pytest.mark.parametrize("prefix", ["/", "/desk/", "/{odd}/"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_address_is_what_reverse_gives(viewname, slugs, prefix, language):
    set_script_prefix(prefix)
    with translation.override(language):
        for _ in range(2):  # the first call makes the template, the second uses it
            assert page_url(viewname, **slugs) == reverse(viewname, kwargs=slugs)


def test_a_url_is_reversed_once_for_any_number_of_slugs():
    with mock.patch("briefings.fast_paths.urls.reverse", wraps=reverse) as reversing:
        urls = [page_url("briefings:topic-detail", slug=f"topic-{number}") for number in range(50)]
    assert urls == [reverse("briefings:topic-detail", kwargs={"slug": f"topic-{number}"}) for number in range(50)]
    assert reversing.call_count <= 1


def test_a_new_script_prefix_gets_addresses_of_its_own():
    before = page_url("briefings:topic-detail", slug="asylum")
    set_script_prefix("/desk/")
    assert page_url("briefings:topic-detail", slug="asylum") == "/desk" + before


def test_in_a_pages_address_scope_addresses_are_what_reverse_gives_in_each_language():
    set_script_prefix("/desk/")
    with fast_paths.address_scope():
        for language in ("es", "en"):
            with translation.override(language):
                address = page_url("briefings:topic-detail", slug="asylum")
                assert address == reverse("briefings:topic-detail", kwargs={"slug": "asylum"})
                assert address.startswith("/desk/")
    set_script_prefix("/")
    assert page_url("briefings:topic-detail", slug="asylum") == "/topics/asylum/"  # the scope ended with it


@pytest.mark.django_db
def test_a_page_renders_its_links_in_an_address_scope(client):
    seen = []
    real = fast_paths.page_url

    def watched(viewname, **slugs):
        seen.append(urls._address_scope.get())
        return real(viewname, **slugs)

    with mock.patch("briefings.templating.page_url", watched):
        assert client.get("/topics/").status_code == 200
    assert seen and all(scope == ("/", "config.urls") for scope in seen)
    assert urls._address_scope.get() is None


@pytest.mark.parametrize("slug", ["two words", "é", "a/b", "", "{slug}"])
def test_a_slug_the_url_does_not_take_fails_as_reverse_does(slug):
    page_url("briefings:topic-detail", slug="warm-the-template")
    with pytest.raises(NoReverseMatch):
        reverse("briefings:topic-detail", kwargs={"slug": slug})
    with pytest.raises(NoReverseMatch):
        page_url("briefings:topic-detail", slug=slug)


def test_an_unknown_url_name_fails_as_reverse_does():
    with pytest.raises(NoReverseMatch):
        page_url("briefings:no-such-page", slug="a")


# --- dates ------------------------------------------------------------------------------------------------------

EVERY_FORMAT_CHARACTER = "aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ"


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    "value",
    [
        datetime.date(2024, 6, 3),
        datetime.datetime(2024, 11, 3, 1, 30, 15, 250),
        datetime.datetime(2024, 2, 29, 23, 5, tzinfo=datetime.UTC),
    ],
)
@pytest.mark.parametrize(
    "format_string", ["DATE_FORMAT", "YEAR_MONTH_FORMAT", "DATETIME_FORMAT", "Y-m-d", "c", r"j \d\e F \d\e Y"]
)
def test_a_date_is_formatted_as_django_formats_it(language, value, format_string):
    from django.utils import dateformat, formats

    with translation.override(language):
        for format_ in (formats.get_format(format_string), " ".join(EVERY_FORMAT_CHARACTER)):
            try:
                expected = dateformat.format(value, format_)
            except TypeError as error:  # a time of day asked of a date
                with pytest.raises(TypeError, match=re.escape(str(error))):
                    fast_paths.date_format(value, format_)
            else:
                assert fast_paths.date_format(value, format_) == expected


def test_a_time_read_from_sqlite_is_made_aware_as_django_makes_it():
    converters = connection.ops.get_db_converters(Briefing._meta.get_field("published_at").get_col("b"))
    assert converters or connection.vendor != "sqlite"
    for django_s in converters:
        fast = statements._aware_datetime(django_s, connection)
        if connection.vendor != "sqlite":
            assert fast is django_s
            continue
        assert fast is not django_s
        for value in (
            datetime.datetime(2024, 6, 3, 12, 30),
            datetime.datetime(2024, 6, 3, 12, 30, tzinfo=datetime.UTC),
            "2024-06-03 12:30:00",
            None,
        ):
            assert fast(value, None, connection) == django_s(value, None, connection)


NUMBERS = [0, 7, 999, 1000, -1000, 12_345, 987_654_321, -1_234_567, 10**18, True, 1234.5, "12345", None]


@pytest.mark.parametrize("active", ["en", "es"])
@pytest.mark.parametrize("language", ["en", "es", None])
def test_a_number_is_grouped_as_djangos_intcomma_groups_it(active, language):
    from decimal import Decimal

    from django.contrib.humanize.templatetags.humanize import intcomma

    for value in [*NUMBERS, Decimal("1234567.25"), Decimal("-0.5")]:
        with translation.override(language or active):
            expected = intcomma(value)
        with translation.override(active):
            assert fast_paths.intcomma(value, language) == expected, (value, language, active)


@pytest.mark.parametrize("grouping", [0, (3, 2, 0)])
def test_a_language_that_groups_digits_otherwise_is_grouped_by_django(grouping):
    """No grouping, or India's 12,34,56,789: not Python's grouping by threes, so Django's own."""
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import formats

    get_format = formats.get_format

    def with_grouping(name, *args, **kwargs):
        return grouping if name == "NUMBER_GROUPING" else get_format(name, *args, **kwargs)

    with translation.override("en"), mock.patch.object(formats, "get_format", with_grouping):
        expected = intcomma(123_456_789)
        assert fast_paths.intcomma(123_456_789) == expected
    assert expected in {"123456789", "12,34,56,789"}


FLOATS = [0, 7, -12, 200, 8_000_000, 1.5, "3", "x", None]
DECIMALS = ["0", "-0", "200", "200.00", "8000000", "-5", "2.5", "0.125", "1E+3", "12345.6789", "NaN", "Infinity"]
FLOAT_ARGS = [-1, 0, 2, "-4", "-4u", "-2u", "-1", "0", "2", "-4g", "-2gu", "u", "x"]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("thousand_separator", [False, True])
def test_a_number_is_floatformatted_as_django_formats_it(settings, language, thousand_separator):
    from decimal import Decimal

    from django.template.defaultfilters import floatformat

    settings.USE_THOUSAND_SEPARATOR = thousand_separator
    values = [*FLOATS, *(Decimal(text) for text in DECIMALS)]
    with translation.override(language):
        for value in values:
            for arg in FLOAT_ARGS:
                assert fast_paths.floatformat(value, arg) == floatformat(value, arg), (value, arg)
    # the whole numbers a briefing prints do not go through Django's, unless a thousands separator is in use
    with mock.patch("django.template.defaultfilters.floatformat", side_effect=floatformat) as django_floatformat:
        fast_paths.floatformat(Decimal("8000000"), "-4")
        fast_paths.floatformat(Decimal("2.5"), "-4")
    assert django_floatformat.call_count == (2 if thousand_separator else 1)
