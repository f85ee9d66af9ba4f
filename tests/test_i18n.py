"""The interface's Spanish catalogue: compiled by `manage.py compile_catalogues` in pure Python, refusing a
translation whose placeholders differ; /es/ speaks its words (the rest of the two languages: test_languages.py)."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from briefings.encounters.tables import EncounterTable, TableColumn, TableRow

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "es" / "LC_MESSAGES" / "django.po"


def test_the_catalogue_compiles_and_a_broken_placeholder_is_refused(settings, tmp_path, capsys):
    folder = tmp_path / "locale" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(CATALOGUE, folder / "django.po")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command("compile_catalogues")
    assert (folder / "django.mo").stat().st_size > 10_000
    assert "messages" in capsys.readouterr().out

    text = (folder / "django.po").read_text(encoding="utf-8")
    broken = text.replace('msgstr "Hasta US$%(amount)s"', 'msgstr "Hasta US$%(cantidad)s"', 1)
    assert broken != text
    (folder / "django.po").write_text(broken, encoding="utf-8")
    with pytest.raises(CommandError, match="Placeholders differ from the English"):
        call_command("compile_catalogues")


def test_spanish_readers_get_the_interface_in_spanish_under_es(client, db):
    call_command("compile_catalogues")  # as `make run`, `make serve` and `make test` do
    translation.trans_real._translations = {}  # the catalogue was read before it was compiled
    page = client.get("/es/").content.decode()
    assert '<html lang="es">' in page
    assert ">Informes</a>" in page and ">Buscar</a>" in page and "Envíe información" in page
    english = client.get("/").content.decode()
    assert ">Briefings</a>" in english and ">Informes</a>" not in english


@pytest.mark.parametrize("with_request", [True, False], ids=["a page", "an error page, with no request"])
def test_a_template_s_messages_are_translated_with_or_without_the_page_s_catalogue(rf, with_request):
    """The public templates call gettext directly (templating.PageCodeGenerator): the catalogue context
    processor's with a request, Django's own without one; in a loop and in a `{% trans %}` with a plural too."""
    from django.template import engines

    template = engines["jinja2"].from_string(
        '{{ _("The numbers") }}|{% for n in [1, 2] %}{{ gettext("Correction") }} '
        "{% trans trimmed counter=n %}One more number is linked in the story.{% pluralize counter %}"
        "{{ counter }} more numbers are linked in the story.{% endtrans %}|{% endfor %}"
    )
    with translation.override("es"):
        request = rf.get("/es/") if with_request else None
        rendered = template.render({}, request)
    assert rendered.split("|") == [
        "Las cifras",
        "Corrección Hay un número más enlazado en la nota.",
        "Corrección Hay 2 números más enlazados en la nota.",
        "",
    ]


def test_a_chart_says_its_numbers_as_its_table_does_in_either_language():
    table = EncounterTable(
        slug="areas",
        title="Encounters by area",
        description="encounters by area.",
        columns=[TableColumn("area", "Area"), TableColumn("encounters", "Encounters", kind="count")],
        rows=[TableRow(("Rio Grande Valley Sector", 18355)), TableRow(("Tucson Sector", 17106))],
        chart_kind="bars",
        chart_labels=["Rio Grande Valley Sector", "Tucson Sector"],
    )
    with translation.override("es"):
        assert "Rio Grande Valley Sector, 18\xa0355." in table.chart_summary  # as Spanish tables print it
    with translation.override("en"):
        assert "Rio Grande Valley Sector, 18,355." in table.chart_summary


def test_every_message_of_the_public_templates_is_in_the_catalogue_translated():
    """What `makemessages` collects from the Jinja2 templates (briefings/management/commands/makemessages.py) is
    what the catalogue holds, each translated: a `{% trans %}` block or `_()` a template adds and nobody collected
    fails here, not on a Spanish reader's page."""
    from babel.messages.pofile import read_po
    from jinja2.ext import babel_extract

    from briefings.management.commands.makemessages import KEYWORDS, jinja2_directories

    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po)
    asked = set()
    for directory in jinja2_directories():
        for template in directory.rglob("*.html"):
            with template.open("rb") as source:
                for _line, _function, message, _comments in babel_extract(source, KEYWORDS, [], {"silent": "false"}):
                    texts = (message,) if isinstance(message, str) else tuple(text for text in message if text)
                    asked.add((template.name, texts[0]))
    assert len(asked) > 300  # guards the reading
    untranslated = sorted(
        (name, text) for name, text in asked if not (entry := catalogue.get(text)) or not entry.string or entry.fuzzy
    )
    assert not untranslated, untranslated
