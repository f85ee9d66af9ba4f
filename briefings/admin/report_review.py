"""The review page's rows (briefings/admin/ingest.py shows them): one per proposal of the ingest assistant, with
what the desk may correct in it, whether the desk holds it already, and the unsaved record it becomes when
accepted (reports.report_accept saves them, all or nothing)."""

import re
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz, process

from ..models import (
    Figure,
    Metric,
    Organization,
    PendingChange,
    Person,
    Place,
    Quote,
    RewardOffer,
    RewardProgram,
)

NEW_KINDS = {"organization": Organization, "person": Person, "place": Place}
# A criterion's words that say its kind (RewardOffer.Criterion), first match wins.
CRITERION_WORDS = [
    ("arrest", "arrest_or_conviction"),
    ("conviction", "arrest_or_conviction"),
    ("financial", "financial_disruption"),
    ("location", "identification_or_location"),
    ("identif", "identification_or_location"),
    ("prevent", "prevention"),
]


class Review:
    """The rows of the review page: one per proposal, with what the desk may correct, and what it already holds."""

    def __init__(self, source, proposals, *, data=None):
        self.source, self.data = source, data
        # What rows name, read once for all of them: the choices, and the records a row may point to.
        self.metrics = {metric.pk: metric for metric in Metric.objects.order_by("name")}
        self.programs = {program.pk: program for program in RewardProgram.objects.order_by("name")}
        self.organizations = {organization.pk: organization for organization in Organization.objects.order_by("name")}
        self.places = list(Place.objects.order_by("name"))
        speakers = {proposal["speaker"] for proposal in proposals if proposal["kind"] == "quote"}
        if data is not None:
            speakers |= {value.strip() for key, value in data.items() if key.endswith("-speaker")}
        self.people = {person.name: person for person in Person.objects.filter(name__in=speakers)}
        self.choices = {
            "metrics": [(pk, metric.name) for pk, metric in self.metrics.items()],
            "programs": [(pk, program.name) for pk, program in self.programs.items()],
            "organizations": [(pk, organization.name) for pk, organization in self.organizations.items()],
            "places": [(place.pk, place.name) for place in self.places],
            "qualifiers": Figure.Qualifier.choices,
            "periods": Figure.Period.choices,
            "criteria": RewardOffer.Criterion.choices,
            "organization_kinds": Organization.Kind.choices,
            "place_kinds": Place.Kind.choices,
        }
        self.by_slug = {
            Organization: {organization.slug: organization for organization in self.organizations.values()},
            Place: {place.slug: place for place in self.places},
        }
        held = _already_held(source)
        self.rows = [self._row(proposal, held) for proposal in proposals]

    def _row(self, proposal, held) -> dict:
        kind = proposal["kind"]
        key = f"{kind}-{proposal['start']}-{proposal['end']}"
        row = {"key": key, "kind": kind, "proposal": proposal, "errors": []}
        row["accepted"] = _is_held(proposal, held)
        default = "accept" if kind in ("figure", "quote", "reward_offer") or proposal.get("existing") else "reject"
        row["decision"] = self._value(key, "decision", "held" if row["accepted"] else default)
        if kind == "figure":
            row |= {
                "metric": self._value(key, "metric", _best(proposal.get("unit", ""), self.choices["metrics"])),
                "value": self._value(key, "value", proposal["value"] or ""),
                "qualifier": self._value(key, "qualifier", proposal["qualifier"]),
                "unit": self._value(key, "unit", proposal["unit"]),
                "period": self._value(key, "period", proposal["period"]),
            }
        elif kind == "quote":
            row["speaker"] = self._value(key, "speaker", proposal["speaker"])
        elif kind == "reward_offer":
            row |= {
                "program": self._value(key, "program", _best(proposal["program"], self.choices["programs"])),
                "target": self._value(
                    key, "target", getattr(self._known(Organization, proposal.get("target")), "pk", "")
                ),
                "amount": self._value(key, "amount", proposal["amount"]),
                "criterion_kind": self._value(key, "criterion_kind", _criterion_kind(proposal["criterion"])),
            }
        elif not proposal.get("existing"):
            row["new_kind"] = self._value(key, "new_kind", "other")
        return row

    def _value(self, key, name, default):
        if self.data is None:
            return "" if default is None else str(default)
        return self.data.get(f"{key}-{name}", "").strip()

    def accepted(self):
        """(records, links) for reports.report_accept: unsaved records, and the names to refer to."""
        records, links, errors = [], [], {}
        for row in self.rows:
            if row["decision"] != "accept":
                continue
            try:
                built = self._build(row)
            except ValidationError as error:
                errors[row["key"]] = error.messages
                continue
            (links if row["kind"] in NEW_KINDS else records).append((row["key"], built))
        if errors:
            raise ValidationError(errors)
        return records, links

    def _build(self, row):
        proposal, kind, source = row["proposal"], row["kind"], self.source
        if kind == "figure":
            metric = self.metrics.get(_int(row["metric"]))
            if metric is None:
                raise ValidationError(_("Choose the metric it counts."))
            place = self._known(Place, proposal.get("place"))
            change = proposal.get("change") or {}  # stated on the percentage: “down 21% from 46,666”
            return Figure(
                change_direction=change.get("direction", ""),
                change_percent_as_printed=change.get("percent_as_printed", ""),
                change_percent=_decimal(proposal["value"]) if change.get("percent_as_printed") else None,
                change_from_as_printed=change.get("from_as_printed", ""),
                change_from_value=_decimal(change.get("from_value")),
                metric=metric,
                value_as_printed=proposal["as_printed"],
                value=_decimal(row["value"]),
                qualifier=row["qualifier"],
                unit=row["unit"],
                period=row["period"],
                place=place,
                source=source,
                source_sentence=proposal["sentence"],
                attribution=proposal.get("said_by", "")[:300],
            )
        if kind == "quote":
            speaker = self.people.get(row["speaker"])
            return Quote(
                text=proposal["text"],
                speaker=speaker,
                speaker_description="" if speaker else row["speaker"][:300],
                context=proposal["sentence"],
                source=source,
            )
        if kind == "reward_offer":
            program = self.programs.get(_int(row["program"]))
            target = self.organizations.get(_int(row["target"]))
            if program is None or target is None:
                raise ValidationError(_("Choose the reward program and the target organization."))
            return RewardOffer(
                program=program,
                target_organization=target,
                ceiling_amount=_decimal(row["amount"]),
                criterion_kind=row["criterion_kind"],
                criterion_text=proposal["criterion"],
                source=source,
                source_sentence=proposal["sentence"],
            )
        model = NEW_KINDS[kind]
        if proposal.get("existing"):
            return self._known(model, proposal["existing"]) or model.objects.get(slug=proposal["existing"])
        record = model(name=proposal["name"])
        if model is not Person:
            record.kind = row["new_kind"]
        return record

    def _known(self, model, slug_or_name):
        """The organization or place a proposal names by slug (or, for a place, by name), from those read once."""
        if not slug_or_name:
            return None
        records = self.by_slug.get(model, {})
        found = records.get(slug_or_name)
        if found is None and model is Place:
            found = next((place for place in self.places if place.name == slug_or_name), None)
        return found

    def set_errors(self, errors: dict) -> None:
        for row in self.rows:
            row["errors"] = errors.get(row["key"], [])

    def marked_text(self):
        """The report with each proposal in a <mark> linking to its row (outermost first where they overlap)."""
        text, pieces, position = self.source.full_text, [], 0
        for row in sorted(self.rows, key=lambda row: (row["proposal"]["start"], -row["proposal"]["end"])):
            start, end = row["proposal"]["start"], row["proposal"]["end"]
            if start < position:
                continue
            pieces.append(format_html("{}", text[position:start]))
            pieces.append(
                format_html(
                    '<mark class="ingest-{}"><a href="#row-{}">{}</a></mark>', row["kind"], row["key"], text[start:end]
                )
            )
            position = end
        pieces.append(format_html("{}", text[position:]))
        return format_html_join("", "{}", ((piece,) for piece in pieces))


def _already_held(source) -> dict:
    """What the desk holds from `source`: its figures, quotes and offers, and the offers waiting for review."""
    offer_type = ContentType.objects.get_for_model(RewardOffer)
    waiting = PendingChange.objects.pending().filter(
        content_type=offer_type, object_id=None, changes__source=source.pk
    )
    return {
        "figure": set(Figure.objects.filter(source=source).values_list("value_as_printed", "source_sentence")),
        "quote": set(Quote.objects.filter(source=source).values_list("text", flat=True)),
        "reward_offer": {
            *RewardOffer.objects.filter(source=source).values_list("criterion_text", flat=True),
            *(
                change.changes.get("criterion_text", "")
                for change in waiting
                if change.changes.get("source") == source.pk
            ),
        },
    }


def _is_held(proposal, held) -> bool:
    kind = proposal["kind"]
    if kind == "figure":  # the same sentence, and the same number (“third” of a recorded “third anniversary”)
        words = proposal["as_printed"]
        return any(
            sentence == proposal["sentence"] and (printed == words or printed.startswith(words + " "))
            for printed, sentence in held["figure"]
        )
    if kind == "quote":  # the seed's quotes are sentences of the quotes proposed
        return any(text and (proposal["text"] == text or text in proposal["text"]) for text in held["quote"])
    if kind == "reward_offer":
        criterion = proposal["criterion"].rstrip(".")
        return bool(criterion) and any(text.rstrip(".") == criterion for text in held["reward_offer"])
    return False


def _best(words, choices, cutoff=85):
    """The pk of the choice whose name is closest to `words`, or "" (rapidfuzz; partial, so a unit finds its
    metric: “encounters” in “Migrant encounters”)."""
    if not words or not choices:
        return ""
    best = process.extractOne(words, dict(choices), scorer=fuzz.partial_ratio)
    return best[2] if best and best[1] >= cutoff else ""


def _criterion_kind(criterion: str) -> str:
    for word, kind in CRITERION_WORDS:
        if word in criterion.lower():
            return kind
    return RewardOffer.Criterion.INFORMATION


def _int(value):
    return int(value) if re.fullmatch(r"[0-9]{1,12}", str(value)) else None


def _decimal(value):
    if value in ("", None):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": value})
    return number
