import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from briefings import services
from briefings.models import Briefing

from .factories import BriefingFactory

pytestmark = pytest.mark.django_db


def test_publisher_publishes_a_draft_now(publisher):
    briefing = BriefingFactory(draft=True)
    services.briefing_publish(briefing=briefing, user=publisher)
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.PUBLISHED
    assert briefing.published_at <= timezone.now()
    assert briefing in Briefing.objects.published()


def test_publishing_at_a_future_time_schedules(publisher):
    briefing = BriefingFactory(draft=True)
    later = timezone.now() + datetime.timedelta(hours=2)
    services.briefing_publish(briefing=briefing, user=publisher, published_at=later)
    briefing.refresh_from_db()
    assert briefing.published_at == later
    assert briefing not in Briefing.objects.published()


def test_republishing_keeps_the_original_publication_time(publisher):
    first_published = timezone.now() - datetime.timedelta(days=3)
    briefing = BriefingFactory(published_at=first_published)
    services.briefing_unpublish(briefing=briefing, user=publisher)
    assert briefing not in Briefing.objects.published()
    services.briefing_publish(briefing=briefing, user=publisher)
    briefing.refresh_from_db()
    assert briefing.published_at == first_published


@pytest.mark.parametrize("service", [services.briefing_publish, services.briefing_unpublish])
def test_editor_can_neither_publish_nor_unpublish(editor, service):
    briefing = BriefingFactory(draft=True) if service is services.briefing_publish else BriefingFactory()
    status_before = briefing.status
    with pytest.raises(PermissionDenied):
        service(briefing=briefing, user=editor)
    briefing.refresh_from_db()
    assert briefing.status == status_before
