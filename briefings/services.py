"""Writes that carry a rule. Admin forms, inlines, actions and commands call these; none re-implements them.

Publishing and taking down (whether and when readers see a briefing) and corrections are a Publisher's
(roles.py); each write is one version in the history and one log line (briefings/log.py). The CBP counts'
one write path is briefings/encounters/importer/; the seed's is briefings/seed/.
"""

import logging
from contextlib import contextmanager

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .log import log_event
from .models import Briefing, Correction, Figure, RewardOffer
from .roles import PUBLISH_PERMISSION

logger = logging.getLogger(__name__)
# Stands for "leave the publication time as it is".
_KEEP = object()


@contextmanager
def revision(*, user, comment):
    """Record the writes inside as one version in the history, by `user`, with `comment`."""
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        yield


def _require_publish_permission(user) -> None:
    if not user.has_perm(f"briefings.{PUBLISH_PERMISSION}"):
        raise PermissionDenied(_("Only Publishers may publish or unpublish briefings."))


@transaction.atomic
def briefing_publish(*, briefing: Briefing, user, published_at=None) -> Briefing:
    """Publish a briefing, now or at `published_at` (a future time schedules it).

    A briefing that already has a publication time keeps it unless another is given, so that
    re-publishing after a take-down does not make old news look new.
    """
    _require_publish_permission(user)
    briefing.status = Briefing.Status.PUBLISHED
    briefing.published_at = published_at or briefing.published_at or timezone.now()
    with revision(user=user, comment=_("Published.")):
        briefing.save(update_fields=["status", "published_at", "updated_at"])
    log_on_commit(
        "briefing published", briefing=briefing.slug, published_at=briefing.published_at.isoformat(), user=user
    )
    return briefing


@transaction.atomic
def briefing_unpublish(*, briefing: Briefing, user, published_at=_KEEP) -> Briefing:
    """Take a briefing down: readers get a 404 until it is published again. It keeps its publication time
    unless `published_at` is given (the time it will have when it is published again)."""
    _require_publish_permission(user)
    briefing.status = Briefing.Status.DRAFT
    if published_at is not _KEEP:
        briefing.published_at = published_at
    with revision(user=user, comment=_("Unpublished.")):
        briefing.save(update_fields=["status", "published_at", "updated_at"])
    log_on_commit("briefing unpublished", briefing=briefing.slug, user=user)
    return briefing


@transaction.atomic
def briefing_publication_set(*, briefing: Briefing, user, status: str, published_at) -> Briefing:
    """What a Publisher set in the change form's Publishing fields: publish (now, or at a future
    `published_at`), or keep or take it down as a draft."""
    if status == Briefing.Status.PUBLISHED:
        return briefing_publish(briefing=briefing, user=user, published_at=published_at)
    if briefing.status == Briefing.Status.PUBLISHED:
        return briefing_unpublish(briefing=briefing, user=user, published_at=published_at)
    # A draft stays a draft: only the time it is to have when published changes, and no reader sees it.
    _require_publish_permission(user)
    briefing.published_at = published_at
    briefing.save(update_fields=["published_at", "updated_at"])
    return briefing


@transaction.atomic
def correction_publish(
    *,
    briefing: Briefing,
    text: str,
    user,
    figure: Figure | None = None,
    published_at=None,
    instance: Correction | None = None,
) -> Correction:
    """Attach a dated correction to a briefing, or to one of its figures.

    Readers see it from `published_at` (now by default) on the briefing and on every page that shows the
    figure. The record itself may be fixed separately; its earlier value stays in its history. `instance` is
    the unsaved correction an admin form built: it is filled in and saved, so the form sees it saved.
    """
    if not user.has_perm("briefings.add_correction"):
        raise PermissionDenied(_("Only Publishers may publish corrections."))
    correction = instance if instance is not None else Correction()
    correction.briefing, correction.figure, correction.text = briefing, figure, text
    correction.published_at = published_at or timezone.now()
    correction.created_by = user
    correction.full_clean()
    with revision(user=user, comment=_("Correction published.")):
        correction.save()
    log_on_commit(
        "correction published",
        briefing=briefing.slug,
        figure=figure.slug if figure else "",
        published_at=correction.published_at.isoformat(),
        user=user,
    )
    return correction


def log_on_commit(event: str, *, user, **fields) -> None:
    """Log the event once the write is committed: a rolled-back one never happened."""
    fields["user"] = getattr(user, "get_username", lambda: "")()
    transaction.on_commit(lambda: log_event(logger, event, **fields))


@transaction.atomic
def briefing_offers_change(*, briefing: Briefing, link, unlink, user) -> None:
    """Link the offers `link` (pks) to `briefing` and unlink `unlink`, leaving every other link as it is. The link
    is stored on the offer: each offer changed is marked updated (so an offer form opened before is refused as
    stale, not saved over it) and gets a version, in the revision the admin's save is recording or in its own."""
    if link:
        briefing.reward_offers.add(*link)
    if unlink:
        briefing.reward_offers.remove(*unlink)
    changed = RewardOffer.objects.filter(pk__in={*link, *unlink})
    changed.update(updated_at=timezone.now())
    if reversion.is_active():
        for offer in changed:
            reversion.add_to_revision(offer)
        return
    with revision(user=user, comment=_("Reward offers of “%(headline)s” changed.") % {"headline": briefing.headline}):
        for offer in changed:
            reversion.add_to_revision(offer)
