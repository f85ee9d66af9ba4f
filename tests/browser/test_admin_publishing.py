"""A Publisher logs into the admin with a password, publishes a draft, and readers see it on the front page."""

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from briefings.roles import PUBLISHERS, permission_codenames

from ..factories import BriefingFactory, QuoteFactory, SourceFactory, UserFactory
from .chromium import skip_module_without_chromium

skip_module_without_chromium()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long passphrase for the browser test"
HEADLINE = "Shelter capacity in Reynosa reaches its limit"


@pytest.fixture
def publisher_login(db):
    # The flush after each test that used the live server removed the group its migration made: make it again.
    publishers, _ = Group.objects.get_or_create(name=PUBLISHERS)
    publishers.permissions.set(
        Permission.objects.filter(content_type__app_label="briefings", codename__in=permission_codenames(PUBLISHERS))
    )
    publisher = UserFactory(username="publisher", password=PASSWORD)
    publisher.groups.add(publishers)
    return publisher.username, PASSWORD


def test_publisher_publishes_a_draft_readers_then_see(browser, context, live_server, public_site, publisher_login):
    draft = BriefingFactory(draft=True, headline=HEADLINE)
    reader = context.new_page()
    reader.goto("/")
    expect(reader.get_by_role("heading", name=public_site.headline)).to_be_visible()
    expect(reader.get_by_text(HEADLINE)).to_have_count(0)

    staff_context = browser.new_context(base_url=live_server.url)
    staff = staff_context.new_page()
    staff.goto("/admin/")
    username, password = publisher_login
    staff.get_by_label("Username").fill(username)
    staff.get_by_label("Password").fill(password)
    staff.get_by_role("button", name="Log in").click()
    staff.get_by_role("link", name="Briefings", exact=True).click()
    staff.get_by_role("row", name=HEADLINE).get_by_role("checkbox").check()
    staff.get_by_label("Action:").select_option(label="Publish the selected briefings")
    staff.get_by_role("button", name="Go").click()

    expect(staff.get_by_text("1 briefing published.")).to_be_visible()
    reader.reload()
    headline = reader.get_by_role("heading", name=HEADLINE).get_by_role("link")
    expect(headline).to_have_attribute("href", draft.get_absolute_url())
    staff_context.close()


def test_a_refused_passage_is_put_right_with_the_sources_wording_in_one_click(context, publisher_login):
    source = SourceFactory(full_text="“We’re going after the very top echelons,” the official said.")
    # A draft's quote: changing a live one's words would also ask for a correction (tests/test_review.py).
    quote = QuoteFactory(briefing=BriefingFactory(draft=True), source=source, text="We’re going after", context="")
    staff = context.new_page()
    staff.goto(f"/admin/briefings/quote/{quote.pk}/change/")
    username, password = publisher_login
    staff.get_by_label("Username").fill(username)
    staff.get_by_label("Password").fill(password)
    staff.get_by_role("button", name="Log in").click()
    staff.get_by_label("Exact words").fill("We're going after the very top echelons")
    staff.get_by_role("button", name="Save", exact=True).click()

    expect(staff.get_by_text("where you typed a straight apostrophe")).to_be_visible()
    staff.get_by_role("button", name="Use the source’s wording").click()
    expect(staff.get_by_label("Exact words")).to_have_value("We’re going after the very top echelons")
    staff.get_by_role("button", name="Save", exact=True).click()

    expect(staff.get_by_text("was changed successfully")).to_be_visible()
    quote.refresh_from_db()
    assert quote.text == "We’re going after the very top echelons"
