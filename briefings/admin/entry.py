"""Entering a report quickly: what the desk need not type.

- A slug left empty fills itself from what the record says (a figure's metric and number, a quote's first
  words, an offer's target and criterion, a name or headline), made unique with -2, -3, ….
- A new figure's or quote's source left empty is its briefing's source, when the briefing cites exactly one.
- A figure's unit is typed, with the units already in use suggested (a `<datalist>`); “US dollars”, “dollars”
  and “$” are the same unit.
"""

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .. import selectors
from ..models import Figure, Quote, RewardOffer
from .facts import FactChangeForm

SLUG_WORDS = 8


class SuggestionsInput(forms.TextInput):
    """A text box with suggestions the browser offers as the desk types (an HTML `<datalist>`; no script)."""

    template_name = "admin/briefings/widgets/suggestions.html"

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
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Leave it empty to make one from the record.")
        if "source" in self.fields and isinstance(self.instance, Figure | Quote) and self.instance.pk is None:
            self.fields["source"].required = False
            self.fields["source"].help_text = _("Empty: the briefing's source, when it cites one.")

    def clean(self):
        cleaned_data = super().clean()
        if (
            "source" in self.fields
            and not self.fields["source"].required
            and isinstance(self.instance, Figure | Quote)
            and not cleaned_data.get("source")
        ):
            source = self._briefing_source(cleaned_data)
            if source is None:
                self.add_error("source", _("Choose the source: its briefing does not cite exactly one."))
            else:
                cleaned_data["source"] = source
        if "slug" in self.fields and not cleaned_data.get("slug") and not self.has_error("slug"):
            base = slugify(self._slug_words(cleaned_data))[:180].strip("-") or type(self.instance)._meta.model_name
            cleaned_data["slug"] = self._unique(base)
        return cleaned_data

    def _briefing_source(self, cleaned_data):
        briefing = cleaned_data.get("briefing") or getattr(self.instance, "briefing", None)
        if briefing is None or briefing.pk is None:
            return None
        sources = list(briefing.sources.all()[:2])
        return sources[0] if len(sources) == 1 else None

    def _slug_words(self, data) -> str:
        if isinstance(self.instance, Figure):
            metric = data.get("metric")
            return f"{metric.slug if metric else ''} {data.get('value_as_printed', '')}"
        if isinstance(self.instance, Quote):
            return " ".join(data.get("text", "").split()[:SLUG_WORDS])
        if isinstance(self.instance, RewardOffer):
            target = data.get("target_organization")
            return f"{target.slug if target else ''} {data.get('criterion') or data.get('criterion_kind', '')}"
        for name in ("headline", "name", "title"):
            if data.get(name):
                return " ".join(str(data[name]).split()[:SLUG_WORDS])
        return ""

    def _unique(self, base: str) -> str:
        manager = type(self.instance)._base_manager
        taken = set(manager.filter(slug__startswith=base).exclude(pk=self.instance.pk).values_list("slug", flat=True))
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        return slug
