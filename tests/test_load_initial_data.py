"""load_initial_data: all or nothing, idempotent, and its errors name the file, the object and the field."""

import json
import shutil
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import CommandError, call_command

from briefings.models import ContentGeneration, Figure, Place, Quote, Source

pytestmark = pytest.mark.django_db

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"


def briefings_models():
    """The desk's own tables that fixtures load: not proxies (the audit log reads reversion's table), nor the page
    cache's content generation (briefings/page_cache.py), one row of bookkeeping that every load moves on."""
    return [
        model
        for model in apps.get_app_config("briefings").get_models()
        if not model._meta.proxy and model is not ContentGeneration
    ]


def counts():
    return {model.__name__: model.objects.count() for model in briefings_models()}


def snapshot():
    """Every briefings record, with its primary key and natural-key references, as JSON text."""
    return {
        model.__name__: serializers.serialize("json", model.objects.order_by("pk"), use_natural_foreign_keys=True)
        for model in briefings_models()
    }


def load(**options):
    out = StringIO()
    call_command("load_initial_data", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def broken_dir(tmp_path):
    """A copy of the real fixtures to corrupt."""
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURE_DIR, target)
    return target


def edit(directory, file_name, change):
    path = directory / file_name
    entries = json.loads(path.read_text(encoding="utf-8"))
    change(entries)
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")


def entry(entries, slug):
    return next(item for item in entries if item["fields"].get("slug") == slug)


# ---------------------------------------------------------------------------------------------- success


def test_loads_every_file_and_reports_a_summary():
    output = load(verbosity=1)
    assert "Loaded 88 objects from 10 fixture files" in output
    assert "88 new" in output
    assert sum(counts().values()) == 88


def test_is_silent_at_verbosity_zero():
    assert load(verbosity=0) == ""


def test_loading_twice_changes_nothing_and_creates_no_duplicates():
    load(verbosity=0)
    before_counts, before = counts(), snapshot()

    output = load(verbosity=1)

    assert "0 new, 88 updated" in output
    assert counts() == before_counts
    assert snapshot() == before


def test_loading_again_restores_edited_records_in_place():
    load(verbosity=0)
    figure = Figure.objects.get(slug="rgv-encounters-per-day-june-2024")
    Figure.objects.filter(pk=figure.pk).update(value=Decimal("999"))
    Place.objects.get(slug="darien-gap").countries.clear()

    load(verbosity=0)

    restored = Figure.objects.get(slug="rgv-encounters-per-day-june-2024")
    assert restored.pk == figure.pk
    assert restored.value == Decimal("200")
    assert set(Place.objects.get(slug="darien-gap").countries.values_list("slug", flat=True)) == {"colombia", "panama"}


def test_fixture_dir_option_is_used(tmp_path):
    only_places = tmp_path / "only-places"
    only_places.mkdir()
    shutil.copy(FIXTURE_DIR / "01_places.json", only_places)

    output = load(fixture_dir=str(only_places), verbosity=1)

    assert "Loaded 19 objects from 1 fixture files" in output
    assert Place.objects.count() == 19
    assert Source.objects.count() == 0


# ---------------------------------------------------------------------------------------------- failures


def test_a_missing_fixture_folder_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        load(fixture_dir=str(tmp_path / "nowhere"))


def test_an_empty_fixture_folder_is_an_error(tmp_path):
    with pytest.raises(CommandError, match=r"No \*\.json fixture files"):
        load(fixture_dir=str(tmp_path))


def break_natural_key(directory):
    def change(entries):
        entry(entries, "rgv-encounters-per-day-june-2024")["fields"]["place"] = ["atlantis"]

    edit(directory, "09_figures.json", change)


def break_json(directory):
    path = directory / "06_measures.json"
    path.write_text(path.read_text(encoding="utf-8").rstrip().removesuffix("]"), encoding="utf-8")


def break_quote(directory):
    def change(entries):
        entry(entries, "monaco-full-force")["fields"]["text"] = "The full force of the government is coming for you."

    edit(directory, "10_quotes.json", change)


def break_source_sentence(directory):
    def change(entries):
        entry(entries, "darien-gap-length")["fields"]["source_sentence"] = "The Darién Gap is 60 miles long."

    edit(directory, "09_figures.json", change)


def break_choice(directory):
    def change(entries):
        entry(entries, "colombia")["fields"]["kind"] = "nation"

    edit(directory, "01_places.json", change)


def drop_timestamp(directory):
    def change(entries):
        del entry(entries, "lisa-monaco")["fields"]["created_at"]

    edit(directory, "03_people.json", change)


def unknown_field(directory):
    def change(entries):
        entry(entries, "organized-crime")["fields"]["colour"] = "red"

    edit(directory, "04_topics_metrics.json", change)


def value_not_in_sentence(directory):
    def change(entries):
        entry(entries, "cbp-one-interviews-per-day")["fields"]["value_as_printed"] = "about 1,600"

    edit(directory, "09_figures.json", change)


BROKEN_FIXTURES = [
    pytest.param(
        break_natural_key,
        ["09_figures.json", "briefings.figure", '["rgv-encounters-per-day-june-2024"]', "field 'place'", "atlantis"],
        id="unknown-natural-key",
    ),
    pytest.param(break_json, ["06_measures.json", "not valid JSON", "line"], id="invalid-json"),
    pytest.param(
        break_quote,
        ["10_quotes.json", "briefings.quote", '["monaco-full-force"]', "field 'text'", "verbatim"],
        id="non-verbatim-quote",
    ),
    pytest.param(
        break_source_sentence,
        ["09_figures.json", "briefings.figure", '["darien-gap-length"]', "field 'source_sentence'", "verbatim"],
        id="non-verbatim-sentence",
    ),
    pytest.param(
        value_not_in_sentence,
        ["09_figures.json", '["cbp-one-interviews-per-day"]', "field 'value_as_printed'"],
        id="value-not-in-sentence",
    ),
    pytest.param(
        break_choice, ["01_places.json", "briefings.place", '["colombia"]', "field 'kind'", "nation"], id="bad-choice"
    ),
    pytest.param(
        drop_timestamp,
        ["03_people.json", "briefings.person", '["lisa-monaco"]', "field 'created_at'"],
        id="missing-timestamp",
    ),
    pytest.param(
        unknown_field,
        ["04_topics_metrics.json", "briefings.topic", '["organized-crime"]', "field 'colour'"],
        id="unknown-field",
    ),
]


@pytest.mark.parametrize(("corrupt", "expected"), BROKEN_FIXTURES)
def test_a_broken_fixture_into_an_empty_database_loads_nothing(broken_dir, corrupt, expected):
    corrupt(broken_dir)
    before = counts()

    with pytest.raises(CommandError) as error:
        load(fixture_dir=str(broken_dir), verbosity=0)

    for fragment in expected:
        assert fragment in str(error.value)
    assert counts() == before
    assert sum(before.values()) == 0


@pytest.mark.parametrize(("corrupt", "expected"), BROKEN_FIXTURES)
def test_a_broken_fixture_over_loaded_data_changes_nothing(broken_dir, corrupt, expected):
    load(verbosity=0)
    before_counts, before = counts(), snapshot()

    # An edit to an earlier file that would have been saved, had the load not failed later.
    def rename(entries):
        entry(entries, "hidalgo")["fields"]["name"] = "Renamed Hidalgo"

    edit(broken_dir, "01_places.json", rename)
    corrupt(broken_dir)

    with pytest.raises(CommandError) as error:
        load(fixture_dir=str(broken_dir), verbosity=0)

    for fragment in expected:
        assert fragment in str(error.value)
    assert counts() == before_counts
    assert snapshot() == before
    assert Place.objects.get(slug="hidalgo").name == "Hidalgo"


def test_every_failing_record_is_listed(broken_dir):
    break_quote(broken_dir)
    break_source_sentence(broken_dir)

    with pytest.raises(CommandError) as error:
        load(fixture_dir=str(broken_dir), verbosity=0)

    message = str(error.value)
    assert "2 record(s) failed validation" in message
    assert "10_quotes.json: object 6, briefings.quote [\"monaco-full-force\"]: field 'text'" in message
    assert "[\"darien-gap-length\"]: field 'source_sentence'" in message
    assert Quote.objects.count() == 0
