"""Entering a report quickly: what the desk need not type.

- A slug left empty fills itself from what the record says (a figure's metric and number, a quote's first
  words, an offer's target and criterion, a name or headline), made unique with -2, -3, ….
- A new figure's or quote's source left empty is its briefing's source, when the briefing cites exactly one (on
  a new briefing's page: the one source chosen on that page); a new offer's, the source of its briefings.
- A sentence left empty is found in the source: a figure's, the one sentence holding its number as printed; a
  quote's context, the sentence holding its words; an offer's, the sentence holding its criterion as worded.
  Found in more than one sentence, the desk is asked to paste the right one.
- A figure's value and qualifier left empty are read from its number as printed (“About 3,000” is 3,000,
  “about”); its unit, when the number is money or a percentage; a stated change's values from their words.
- A briefing's body left empty starts from the text of its one source, paragraph by paragraph.
- A figure's unit is typed, with the units already in use suggested (a `<datalist>`); “US dollars”, “dollars”
  and “$” are the same unit.

The rules (briefings/evidence/) then check what was filled exactly as they check what was typed.
"""

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .. import selectors
from ..evidence.numbers import NotANumber, read_printed
from ..evidence.sentences import sentences_holding
from ..languages import in_english
from ..models import Briefing, Figure, Quote, RewardOffer
from ..models.base import unique_slug
from .facts import FactChangeForm

# The field whose words find each kind's sentence, and the field the sentence goes into.
SENTENCE_OF = {
    Figure: ("value_as_printed", "source_sentence"),
    Quote: ("text", "context"),
    RewardOffer: ("criterion_text", "source_sentence"),
}
# A stated change's numbers: as printed, and the value read from it.
CHANGE_NUMBERS = [("change_percent_as_printed", "change_percent"), ("change_from_as_printed", "change_from_value")]
SLUG_WORDS = 8


class SuggestionsInput(forms.TextInput):
    """A text box with suggestions the browser offers as the desk types (an HTML `<datalist>`; no script)."""

    template_name = "admin/briefings/widgets/suggestions.html"

    class Media:
        js = ["admin/briefings/suggestions.js"]  # an inline row added in the browser keeps its suggestions

    def __init__(self, suggestions=(), attrs=None):
        super().__init__(attrs)
        self.suggestions = list(suggestions)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id') or name}-suggestions"
        context["widget"]["attrs"]["list"] = list_id
        context["widget"].update(list_id=list_id, suggestions=self.suggestions)
        return context


class FigureUnitField(forms.CharField):
    """A figure's unit as the desk reads it (“US dollars”), stored as Figure.Unit.normalize() keeps it (`usd`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", SuggestionsInput(selectors.figure_unit_suggestions()))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return Figure.Unit.label_of(value) if isinstance(value, str) else value

    def to_python(self, value):
        return Figure.Unit.normalize(super().to_python(value))


def figure_unit_formfield(db_field, **kwargs):
    """The admin's form field for Figure.unit; one query for the suggestions per form class."""
    return FigureUnitField(
        label=db_field.verbose_name.capitalize(),
        max_length=db_field.max_length,
        help_text=db_field.help_text,
        **{key: value for key, value in kwargs.items() if key != "widget"},
    )


class QuickEntryForm(FactChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model, adding = type(self.instance), self.instance.pk is None
        optional = {"slug": _("Leave it empty to make one from the record.")}
        if adding and model is Briefing:
            optional[in_english("body")] = _("Empty: starts from the text of its one source.")
        if adding and model in (Figure, Quote):
            optional["source"] = _("Empty: the briefing's source, when it cites one.")
        if adding and model is RewardOffer:
            optional["source"] = _("Empty: the source of its briefings, when they cite one.")
        if model in SENTENCE_OF:
            optional[SENTENCE_OF[model][1]] = _("Empty: the sentence of the source that holds it.")
        if model is Figure:
            optional["qualifier"] = _("Empty: read from the number as printed.")
            optional["value"] = _("Empty: read from the number as printed (empty for “a few hundred”).")
            optional["unit"] = _("Empty: US dollars for money, percent for a percentage.")
        # The fields a record must have that this form may leave empty for clean() to fill.
        self.filled_here = []
        for name, help_text in optional.items():
            if name in self.fields:
                if self.fields[name].required:
                    self.filled_here.append(name)
                self.fields[name].required = False
                self.fields[name].help_text = help_text

    def clean(self):
        cleaned_data = super().clean()
        model = type(self.instance)
        if model is Briefing:
            self._start_the_body(cleaned_data)
        if self._fills("source") and self.instance.pk is None and model in (Figure, Quote, RewardOffer):
            source = self._briefing_source(cleaned_data)
            if source is not None:
                cleaned_data["source"] = source
            elif model is not RewardOffer:  # an offer may rest on no source
                self.add_error("source", _("Choose the source: its briefing does not cite exactly one."))
        if model in SENTENCE_OF:
            self._find_the_sentence(cleaned_data, *SENTENCE_OF[model])
        if model is Figure:
            self._read_the_number(cleaned_data)
            self._read_the_change(cleaned_data)
        if "slug" in self.fields and not cleaned_data.get("slug") and not self.has_error("slug"):
            base = slugify(self._slug_words(cleaned_data))[:180].strip("-") or type(self.instance)._meta.model_name
            cleaned_data["slug"] = self._unique(base)
        for name in self.filled_here:
            # Left empty and not filled: required after all (the model's own check skips a field the form
            # did not require).
            if self._fills(name) and not self.has_error(name):
                self.add_error(name, forms.Field.default_error_messages["required"])
        return cleaned_data

    def _update_errors(self, errors):
        # A model's rule names a translated field by its own name (`criterion`); the form has a field per
        # language (`criterion_en`, `criterion_es`), and the English one is what the rule read.
        for name in list(getattr(errors, "error_dict", {})):
            if name not in self.fields and in_english(name) in self.fields:
                errors.error_dict[in_english(name)] = errors.error_dict.pop(name)
        super()._update_errors(errors)

    def _fills(self, name) -> bool:
        """Whether `name` is one this form fills: optional here, left empty, and not already in error."""
        return (
            name in self.fields
            and not self.fields[name].required
            and name in self.cleaned_data
            and self.cleaned_data[name] in (None, "")
        )

    def _start_the_body(self, cleaned_data):
        sources = list(cleaned_data.get("sources") or [])
        # Inline figures and quotes of a new briefing read the sources chosen on its page (_briefing_source).
        self.instance.sources_chosen = sources
        body = in_english("body")
        if not self._fills(body):  # only a new briefing's body starts from its source
            return
        if len(sources) != 1:
            self.add_error(body, _("Write the body, or choose one source to start it from."))
            return
        paragraphs = (line.strip() for line in sources[0].full_text.splitlines())
        cleaned_data[body] = "\n\n".join(paragraph for paragraph in paragraphs if paragraph)

    def _find_the_sentence(self, cleaned_data, words_field, sentence_field):
        words, source = cleaned_data.get(words_field), cleaned_data.get("source")
        if not self._fills(sentence_field) or not words or source is None:
            return
        found = sentences_holding(words, source.full_text)
        if len(found) == 1:
            cleaned_data[sentence_field] = found[0]
        elif found:
            self.add_error(
                sentence_field,
                _("“%(words)s” is in %(count)d sentences of the source: paste the one it comes from.")
                % {"words": words, "count": len(found)},
            )
        elif words_field == "value_as_printed":  # a quote's or offer's words are held to the source by the rules
            self.add_error(
                words_field,
                _("“%(words)s” is not in the source: type the number as the source prints it, or paste its sentence.")
                % {"words": words},
            )

    def _read_the_number(self, cleaned_data):
        printed = self._read(cleaned_data.get("value_as_printed"))
        if printed is None:
            return  # nothing to read, or the rules say why it cannot be read, naming the field
        if self._fills("qualifier"):
            cleaned_data["qualifier"] = printed.qualifier
        if self._fills("value") and cleaned_data.get("qualifier") != Figure.Qualifier.INDEFINITE:
            cleaned_data["value"] = printed.value
        if self._fills("unit") and (printed.is_money or printed.is_percent):
            cleaned_data["unit"] = Figure.Unit.USD if printed.is_money else Figure.Unit.PERCENT

    def _read_the_change(self, cleaned_data):
        """A stated change's numbers, likewise: “21%” is 21, “46,666” is 46,666."""
        for printed_field, value_field in CHANGE_NUMBERS:
            printed = self._read(cleaned_data.get(printed_field))
            if printed is not None and self._fills(value_field):
                cleaned_data[value_field] = printed.value

    @staticmethod
    def _read(words):
        try:
            return read_printed(words) if words else None
        except NotANumber:
            return None

    def _briefing_source(self, cleaned_data):
        if isinstance(self.instance, RewardOffer):
            briefings = list(cleaned_data.get("briefings") or [])
            sources = {source for briefing in briefings for source in briefing.sources.all()}
            return sources.pop() if len(sources) == 1 else None
        briefing = cleaned_data.get("briefing") or getattr(self.instance, "briefing", None)
        if briefing is None:
            return None
        sources = getattr(briefing, "sources_chosen", None)
        if sources is None and briefing.pk is not None:
            sources = list(briefing.sources.all()[:2])
        return sources[0] if sources and len(sources) == 1 else None

    def _slug_words(self, data) -> str:
        if isinstance(self.instance, Figure):
            metric = data.get("metric")
            return f"{metric.slug if metric else ''} {data.get('value_as_printed', '')}"
        if isinstance(self.instance, Quote):
            return " ".join(data.get("text", "").split()[:SLUG_WORDS])
        if isinstance(self.instance, RewardOffer):
            target = data.get("target_organization")
            criterion = data.get(in_english("criterion")) or data.get("criterion_kind", "")
            return f"{target.slug if target else ''} {criterion}"
        for name in (in_english("headline"), in_english("name"), "title"):
            if data.get(name):
                return " ".join(str(data[name]).split()[:SLUG_WORDS])
        return ""

    def _unique(self, base: str) -> str:
        return unique_slug(type(self.instance), base, exclude_pk=self.instance.pk)
