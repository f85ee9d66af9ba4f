"""The content the desk translates (django-modeltranslation): each field named here gets a column per language
(`headline_en`, `headline_es`) in the same table, edited side by side in the admin, and reading `headline` gives
the active language's, or the English when there is no Spanish yet (MODELTRANSLATION_FALLBACK_LANGUAGES).

Evidence is never translated in place: a quote's words, a figure's source sentence and an offer's wording stay
verbatim in their source's language; the desk's translation is a field of its own beside them (`translation`,
`sentence_translation`, `criterion_translation`), shown marked as the desk's. Names of people and source titles
are not translated.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Briefing,
    Correction,
    Figure,
    Measure,
    Metric,
    Organization,
    Person,
    Photo,
    Place,
    Quote,
    RewardOffer,
    RewardProgram,
    TipChannel,
    Topic,
)

TRANSLATED_FIELDS = {
    Briefing: ("headline", "dek", "body", "photo_caption"),
    Photo: ("alt_text", "caption"),
    Correction: ("text",),
    Place: ("name", "description", "cbp_match_note"),
    Organization: ("name", "description"),
    Person: ("role", "description"),
    Topic: ("name", "description"),
    Measure: ("name", "summary"),
    Metric: ("name", "description"),
    Figure: ("date_note", "sentence_translation"),
    Quote: ("translation",),
    RewardProgram: ("name", "description"),
    RewardOffer: ("criterion", "criterion_translation"),
    TipChannel: ("instructions",),
}

for _model, _fields in TRANSLATED_FIELDS.items():
    register(_model)(type(f"{_model.__name__}TranslationOptions", (TranslationOptions,), {"fields": _fields}))
