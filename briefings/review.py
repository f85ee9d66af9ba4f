"""Live content changes through review: the writes of it.

An Editor (no publish permission) cannot change what readers see at once. Their save of a published briefing,
or of a figure or quote of one, or of an offer or tip channel (the reward pages show every one), is held as a
`PendingChange`: the fields they changed, with their values. Readers keep the published version until a
Publisher approves it. Approving applies only those fields to the record as it is then (so nothing saved
meanwhile is reverted), checks it as the admin does, and stores a version. When the change touches a published
fact (a figure's number, qualifier, unit or words; a quote's words or speaker; an offer's amount or criterion),
the Publisher must write a correction, shown to readers, or call it a non-substantive fix; either is recorded.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import history
from .languages import column, translated_originals
from .models import Briefing, Figure, PendingChange, Quote, RewardOffer, TipChannel
from .models.base import unique_slug
from .roles import PUBLISH_PERMISSION
from .services import correction_publish, log_on_commit, revision

REVIEWED = (Briefing, Figure, Quote, RewardOffer, TipChannel)
# The fields whose change is a change of a published fact: it needs a correction or a stated fix.
FACTS = {
    Figure: {
        "value",
        "value_as_printed",
        "qualifier",
        "unit",
        "change_direction",
        "change_from_as_printed",
        "change_from_value",
        "change_percent_as_printed",
        "change_percent",
    },
    Quote: {"text", "speaker", "speaker_description"},
    RewardOffer: {"ceiling_amount", "criterion_text", "criterion_kind", "criterion"},
}


def fact_fields(model) -> set[str]:
    """FACTS of `model`, a translated one (an offer's criterion) as the forms name it: a column per language."""
    facts = FACTS.get(model, set())
    translated = facts & translated_originals(model)
    return (facts - translated) | {column(name, code) for name in translated for code, _name in settings.LANGUAGES}


def is_live(record) -> bool:
    """Whether readers see `record`: a published briefing, a figure or quote of one, any offer or tip channel."""
    if isinstance(record, Briefing):
        return record.pk is not None and Briefing.objects.filter(pk=record.pk, status="published").exists()
    if isinstance(record, Figure | Quote):
        return Briefing.objects.filter(pk=record.briefing_id, status="published").exists()
    return isinstance(record, RewardOffer | TipChannel)


def correction_briefings(record) -> list[Briefing]:
    """The briefings a correction of `record` is shown on: its own, or (an offer) the published ones reporting it."""
    if isinstance(record, Briefing):
        return [record]
    if isinstance(record, RewardOffer):
        return list(record.briefings.filter(status="published")) if record.pk else []
    briefing = getattr(record, "briefing", None)
    return [briefing] if briefing is not None else []


def needs_review(record, user) -> bool:
    return isinstance(record, REVIEWED) and not user.has_perm(f"briefings.{PUBLISH_PERMISSION}") and is_live(record)


def _content_names(model, names):
    fields = {field.name: field for field in model._meta.get_fields() if field.concrete or field.many_to_many}
    return [name for name in names if name in fields and name not in history.IGNORED_FIELDS]


@transaction.atomic
def change_propose(*, record, form, user) -> PendingChange | None:
    """Hold what `form` changed in `record` (not saved) for review; None when it changed nothing."""
    model = type(record)
    names = _content_names(model, form.changed_data if record.pk else form.fields)
    if not names:
        return None
    many = {name: form.cleaned_data.get(name) or [] for name in names if model._meta.get_field(name).many_to_many}
    return _hold(record, names=[name for name in names if name not in many], many=many, user=user)


def new_record_propose(*, record, many: dict, user) -> PendingChange:
    """Hold a new record (not saved) and its many-to-many links ({name: records}) for review, whole."""
    fields = [field.name for field in type(record)._meta.concrete_fields if not field.primary_key]
    return _hold(record, names=_content_names(type(record), fields), many=many, user=user)


def _hold(record, *, names, many, user) -> PendingChange:
    model = type(record)
    changes = {name: model._meta.get_field(name).value_from_object(record) for name in names}
    changes |= {name: sorted(item.pk for item in items) for name, items in many.items()}
    briefing_id = record.pk if isinstance(record, Briefing) else getattr(record, "briefing_id", None)
    change = PendingChange.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_id=record.pk,
        object_repr=str(record)[:300],
        briefing_id=briefing_id,
        changes=changes,
        created_by=user,
    )
    log_on_commit("change held for review", record=_record_name(change), user=user)
    return change


def pending_for(record) -> list[PendingChange]:
    """The changes waiting for review of `record`, and for a briefing those of what it shows."""
    pending = PendingChange.objects.pending().select_related("created_by", "content_type")
    if isinstance(record, Briefing):
        return list(pending.filter(briefing=record))
    return list(pending.for_record(record))


def proposed_changes(change: PendingChange) -> list[history.FieldChange]:
    """What the change would do to the record as it is now, field by field."""
    model = change.content_type.model_class()
    record = model._base_manager.filter(pk=change.object_id).first() if change.object_id else None
    current = history.record_state(record) if record else {}
    proposed = dict(current)
    for name, value in change.changes.items():
        field = model._meta.get_field(name)
        proposed[field.attname] = value if field.many_to_many else _python(field, value)
    return history.field_changes(model, current, proposed)


def check_decision(change: PendingChange, *, decision: str, note: str) -> None:
    """Raise ValidationError if `decision` cannot apply `change`: a published fact it changes needs a correction
    or a stated fix, and either needs its text."""
    if decision == PendingChange.Decision.REJECT:
        return
    model = change.content_type.model_class()
    touched = {item.name for item in proposed_changes(change)} if change.object_id else set()
    facts = fact_fields(model) & touched
    if facts and decision not in (PendingChange.Decision.CORRECTION, PendingChange.Decision.FIX):
        labels = sorted(str(model._meta.get_field(name).verbose_name) for name in facts)
        raise ValidationError(
            _(
                "This changes a published fact (%(fields)s): approve it with a correction readers see, or as a "
                "non-substantive fix."
            )
            % {"fields": ", ".join(labels)},
            code="fact_changed",
        )
    if decision in (PendingChange.Decision.CORRECTION, PendingChange.Decision.FIX) and not note.strip():
        raise ValidationError(_("Write the correction, or say what the fix was."), code="note_missing")


def proposed_record(change: PendingChange):
    """The record as approving `change` would save it (not saved), and its many-to-many values ({name: pks}). A new
    record's slug, taken meanwhile by another, is made unique (-2, -3, …)."""
    model = change.content_type.model_class()
    record = model._base_manager.get(pk=change.object_id) if change.object_id else model()
    many = {}
    for name, value in change.changes.items():
        field = model._meta.get_field(name)
        if field.many_to_many:
            many[name] = value
        else:
            setattr(record, field.attname, _python(field, value))
    if record.pk is None and getattr(record, "slug", ""):
        record.slug = unique_slug(model, record.slug)
    return record, many


def check_applies(change: PendingChange) -> None:
    """Raise ValidationError, saying why, if the record `change` proposes does not pass the rules (now: a record it
    points to may have changed since, or, for a held new record, be missing)."""
    if change.status == PendingChange.Status.PENDING:
        proposed_record(change)[0].full_clean()


@transaction.atomic
def change_approve(*, change: PendingChange, user, decision: str, note: str = "") -> None:
    """Apply a held change, as `decision` says (PendingChange.Decision): a change of a published fact needs a
    correction (`note` is its text) or a stated non-substantive fix (`note` says what it was)."""
    _require_publisher(user)
    change = PendingChange.objects.select_for_update().get(pk=change.pk)
    if change.status != PendingChange.Status.PENDING:
        raise ValidationError(_("This change has already been decided."))
    check_decision(change, decision=decision, note=note)
    record, many = proposed_record(change)
    record.full_clean()
    comment = {
        PendingChange.Decision.CORRECTION: _("Approved with a correction: %(note)s"),
        PendingChange.Decision.FIX: _("Approved as a non-substantive fix: %(note)s"),
    }.get(decision, _("Approved%(note)s"))
    with revision(user=user, comment=comment % {"note": note.strip()}):
        record.save()
        for name, pks in many.items():
            getattr(record, name).set(pks)
    if decision == PendingChange.Decision.CORRECTION:
        fact_correction_publish(record=record, text=note, user=user)
    _decide(change, user=user, status=PendingChange.Status.APPROVED, decision=decision, note=note, record=record)


@transaction.atomic
def change_reject(*, change: PendingChange, user, note: str = "") -> None:
    _require_publisher(user)
    change = PendingChange.objects.select_for_update().get(pk=change.pk)
    if change.status != PendingChange.Status.PENDING:
        raise ValidationError(_("This change has already been decided."))
    _decide(change, user=user, status=PendingChange.Status.REJECTED, decision=PendingChange.Decision.REJECT, note=note)


def fact_correction_publish(*, record, text: str, user) -> None:
    """Publish a correction of a changed fact of `record` on every briefing that shows it."""
    briefings = correction_briefings(record)
    if not briefings:
        raise ValidationError(_("No published briefing shows this record; call it a non-substantive fix instead."))
    for briefing in briefings:
        correction_publish(
            briefing=briefing, text=text.strip(), user=user, figure=record if isinstance(record, Figure) else None
        )


def _decide(change, *, user, status, decision, note, record=None):
    change.status, change.decision, change.note = status, decision, note.strip()
    change.decided_by, change.decided_at = user, timezone.now()
    if record is not None and change.object_id is None:
        change.object_id = record.pk
    change.save()
    log_on_commit(f"change {status}", record=_record_name(change), user=user)


def _record_name(change) -> str:
    return f"{change.content_type.model}:{change.object_id or 'new'}"


def _python(field, value):
    return None if value is None else field.to_python(value)


def _require_publisher(user):
    if not user.has_perm(f"briefings.{PUBLISH_PERMISSION}"):
        raise PermissionDenied(_("Only Publishers may approve or reject changes to live content."))
