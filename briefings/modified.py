"""A published briefing's “Updated” time moves whenever anything it shows changes, not only its own fields.

A figure, quote or correction of the briefing, an offer it reports, or a tip channel of such an offer: saving
or deleting any of them sets `Briefing.revised_at` (by UPDATE, so the briefing's `updated_at`, which the
stale-save guard reads, stays as it is). Pages, JSON-LD `dateModified`, feeds and sitemaps read
`Briefing.modified_at`. Loading the seed sets nothing (`paused()`): it is not a change readers see.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .models import Briefing, Correction, Figure, Quote, RewardOffer, TipChannel

_paused = ContextVar("briefings_modified_paused", default=False)


@contextmanager
def paused():
    """Within it, nothing counts as a change readers see: for the seed, whose many-to-many links Django sets
    with ordinary signals even in a raw load."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def briefings_showing(record) -> list[int]:
    """The ids of the briefings whose pages show `record`."""
    if isinstance(record, Figure | Quote | Correction):
        return [record.briefing_id] if record.briefing_id else []
    if isinstance(record, RewardOffer):
        return list(record.briefings.values_list("pk", flat=True)) if record.pk else []
    if isinstance(record, TipChannel):
        return list(Briefing.objects.filter(reward_offers__tip_channels=record).values_list("pk", flat=True))
    return []


def revised(briefing_ids) -> None:
    """Mark the published briefings among `briefing_ids` as changed for readers, now."""
    if briefing_ids and not _paused.get():
        Briefing.objects.filter(pk__in=briefing_ids, status=Briefing.Status.PUBLISHED).update(
            revised_at=timezone.now()
        )


def _saved_or_deleted(sender, instance, raw=False, **kwargs):
    if not raw:
        revised(briefings_showing(instance))


def _relations_changed(sender, instance, action, pk_set, **kwargs):
    if action in ("post_add", "post_remove", "pre_clear"):  # before a clear, while its links can still be read
        ids = {instance.pk} if isinstance(instance, Briefing) else set(briefings_showing(instance))
        if sender is RewardOffer.briefings.through and isinstance(instance, RewardOffer):
            ids |= set(pk_set or ())  # the briefings it was added to or taken from
        revised(ids)


def watch() -> None:
    for model in (Figure, Quote, Correction, RewardOffer, TipChannel):
        post_save.connect(_saved_or_deleted, sender=model, dispatch_uid=f"modified-{model.__name__}")
        post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid=f"modified-delete-{model.__name__}")
    for through in (RewardOffer.briefings.through, RewardOffer.tip_channels.through):
        m2m_changed.connect(_relations_changed, sender=through, dispatch_uid=f"modified-{through.__name__}")
