"""Writes that carry a rule. Admin actions, commands and views call these; none re-implements them."""

from contextlib import contextmanager

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Briefing, Correction, Figure
from .roles import PUBLISH_PERMISSION


@contextmanager
def _revision(*, user, comment):
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
    with _revision(user=user, comment=_("Published.")):
        briefing.save(update_fields=["status", "published_at", "updated_at"])
    return briefing


@transaction.atomic
def briefing_unpublish(*, briefing: Briefing, user) -> Briefing:
    """Take a briefing down: readers get a 404 until it is published again."""
    _require_publish_permission(user)
    briefing.status = Briefing.Status.DRAFT
    with _revision(user=user, comment=_("Unpublished.")):
        briefing.save(update_fields=["status", "updated_at"])
    return briefing


@transaction.atomic
def correction_publish(
    *, briefing: Briefing, text: str, user, figure: Figure | None = None, published_at=None
) -> Correction:
    """Attach a dated correction to a briefing, or to one of its figures.

    Readers see it from `published_at` (now by default) on the briefing and on every page that shows the
    figure. The record itself may be fixed separately; its earlier value stays in its history.
    """
    if not user.has_perm("briefings.add_correction"):
        raise PermissionDenied(_("Only Publishers may publish corrections."))
    correction = Correction(
        briefing=briefing, figure=figure, text=text, published_at=published_at or timezone.now(), created_by=user
    )
    correction.full_clean()
    with _revision(user=user, comment=_("Correction published.")):
        correction.save()
    return correction
