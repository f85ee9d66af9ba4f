"""The public pages' Jinja2 engine (briefings/templating.py) prints what Jinja2 with markupsafe prints: its
compiled templates escape values with `escape_output()` instead of markupsafe's `escape()`."""

import pytest
from django.template import engines
from django.utils.functional import lazy
from jinja2 import Environment
from markupsafe import Markup, escape

from briefings.templating import escape_output


class Html:
    def __html__(self):
        return "<b>already safe</b>"


class Text:
    def __str__(self):
        return "a <text> & 'quotes' \"too\""


VALUES = [  # with the ids below
    "plain",
    "<script>alert('x') & \"y\"</script>",
    "",
    Markup("<em>safe</em>"),
    Html(),
    Text(),
    lazy(lambda: "lazy <b>", str)(),
    0,
    1234567,
    -2.5,
    True,
    None,
]
IDS = [
    "text",
    "markup-like text",
    "empty",
    "Markup",
    "__html__",
    "object",
    "lazy text",
    "0",
    "int",
    "float",
    "bool",
    "None",
]


@pytest.mark.parametrize("value", VALUES, ids=IDS)
def test_a_value_is_escaped_as_markupsafe_escapes_it(value):
    assert escape_output(value) == str(escape(value))
    assert type(escape_output(value)) in (str, Markup)


TEMPLATE = (
    "{{ value }}|{{ value ~ '<i>' }}|{% set kept %}<p>{{ value }}</p>{% endset %}{{ kept }}|"
    "{% macro shown(v) %}<q>{{ v }}</q>{% endmacro %}{{ shown(value) }}|"
    "{% trans v=value %}Said: {{ v }}{% endtrans %}|{{ value|e }}|{% autoescape false %}{{ value }}{% endautoescape %}"
)


@pytest.mark.parametrize("value", VALUES, ids=IDS)
def test_a_page_prints_what_jinja2_with_markupsafe_prints(value):
    page = engines["jinja2"].env
    plain = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    plain.install_null_translations()
    assert page.from_string(TEMPLATE).render(value=value) == plain.from_string(TEMPLATE).render(value=value)
