"""What the desk's records share: a slug that is their natural key, timestamps, a name-and-description shape, and
passages quoted word for word from a source. Models with choice fields also mix in fast_paths.ChoiceLabels."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..evidence import rules


class SlugQuerySet(models.QuerySet):
    """Fixtures refer to records by slug, so they load twice without duplicates."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


def unique_slug(model, base: str, *, exclude_pk=None) -> str:
    """`base`, or `base-2`, `base-3`, …: the first slug no other record of `model` has."""
    records = model._base_manager.filter(slug__startswith=base).exclude(pk=exclude_pk)
    taken = set(records.values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


class TimeStamped(models.Model):
    """The base of every record the desk edits: when it was made and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    # django-modeltranslation reads and writes a translated field in the active language (`self.criterion = …`
    # in clean() would write `criterion_es` on a Spanish page): the rules and the save run in English, the
    # desk's language of record, whatever is active. A translated field's own column (`headline`, beside
    # `headline_en` and `headline_es`) then always holds the English.
    def save(self, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            super().save(*args, **kwargs)

    def full_clean(self, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            super().full_clean(*args, **kwargs)


class SlugNaturalKey:
    def natural_key(self):
        return (self.slug,)


class NamedTerm(SlugNaturalKey, TimeStamped):
    """A term of the desk's vocabulary (a topic, a metric): a name, its slug and what it means."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    objects = SlugQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Verbatim(models.Model):
    """A record that quotes its `source`: each field named in `verbatim_fields` must be found word for word in
    the source's full text, and each in `sentence_fields` must be whole sentences of it (`clean()` says which is
    not, and how it differs: briefings/evidence/rules.py). Each model keeps its own `source` foreign key: they
    differ in whether one is required and in what the source calls them back."""

    verbatim_fields = ("source_sentence",)
    sentence_fields = ("source_sentence",)

    class Meta:
        abstract = True

    def verbatim_errors(self) -> dict:
        if not self.source_id:
            return {}
        errors = {}
        for name in self.verbatim_fields:
            errors |= rules.passage_errors(
                field=name, text=getattr(self, name), source=self.source, whole_sentences=name in self.sentence_fields
            )
        return errors

    def clean(self):
        super().clean()
        errors = self.verbatim_errors()
        if errors:
            raise ValidationError(errors)


class SourceSentence(Verbatim):
    """A record that rests on one sentence of its source, kept word for word."""

    source_sentence = models.TextField(_("source sentence"), blank=True)

    class Meta:
        abstract = True
