"""Quick entry in a real browser: a figure row added on a briefing's page offers the units in use, and the
offers picker lists the briefing's own offers first, each with the briefings that report it."""

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from briefings.roles import PUBLISHERS, permission_codenames

from ..factories import BriefingFactory, FigureFactory, RewardOfferFactory, UserFactory
from .chromium import skip_module_without_chromium

skip_module_without_chromium()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long passphrase for the browser test"


@pytest.fixture
def staff(context, db):
    publishers, _ = Group.objects.get_or_create(name=PUBLISHERS)
    publishers.permissions.set(
        Permission.objects.filter(content_type__app_label="briefings", codename__in=permission_codenames(PUBLISHERS))
    )
    UserFactory(username="publisher", password=PASSWORD).groups.add(publishers)
    page = context.new_page()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("publisher")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return page


def test_a_figure_row_added_in_the_browser_suggests_the_units_in_use(staff):
    FigureFactory(unit="gotaways")
    briefing = BriefingFactory(draft=True)
    staff.goto(f"/admin/briefings/briefing/{briefing.pk}/change/")
    staff.locator("#figures-group summary").click()  # the Figures section is collapsed
    staff.get_by_role("button", name="Add another Figure").click()
    unit = staff.locator("#id_figures-0-unit")
    expect(unit).to_have_attribute("list", "id_figures-0-unit-suggestions")
    options = staff.locator("#id_figures-0-unit-suggestions option")
    assert "gotaways" in options.evaluate_all("options => options.map(option => option.value)")


def test_the_offers_picker_lists_the_briefings_own_offers_first_with_their_briefings(staff):
    briefing = BriefingFactory(headline="Rewards for smugglers")
    RewardOfferFactory(position=0, briefings=[BriefingFactory(headline="Another story")])
    reported = RewardOfferFactory(position=1, briefings=[briefing])
    staff.goto(f"/admin/briefings/briefing/{briefing.pk}/change/")
    staff.locator(".field-reported_offers .select2-selection").click()
    results = staff.locator(".select2-results__option")
    expect(results.first).to_have_text(f"{reported} · in “Rewards for smugglers”")
    expect(results.nth(1)).to_contain_text("· in “Another story”")
