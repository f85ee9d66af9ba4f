"""axe-core finds no WCAG 2.2 A/AA violation on any kind of public page, rendered by a real browser (so colour
contrast, focusable names and landmarks are judged on the page as styled, not on the HTML alone)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .chromium import skip_module_without_chromium
from .crawl import REQUIRED_PAGE_TYPES, crawl

skip_module_without_chromium()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}


def run_axe(page):
    # axe is evaluated through the DevTools protocol (not a <script> tag), so the site's Content-Security-Policy
    # does not block it and needs no exception for tests.
    return Axe().run(page, options=AXE_OPTIONS)


def test_no_wcag_violations_on_any_public_page(page, live_server, public_site):
    reports = {}

    def check(path, kind):
        results = run_axe(page)
        if results.violations_count:
            reports[path] = results.generate_report()

    visited = crawl(page, live_server.url, check)

    assert visited.keys() >= REQUIRED_PAGE_TYPES, f"never reached: {sorted(REQUIRED_PAGE_TYPES - visited.keys())}"
    assert not reports, "\n\n".join(f"{path}: {report}" for path, report in reports.items())


def test_axe_reports_what_it_should(page, live_server, db):
    """The same run on a page with known faults reports them: proves the test above can fail."""
    page.goto(f"{live_server.url}/no-such-page/")
    page.evaluate(
        """() => {
          const faint = document.createElement("p");
          faint.textContent = "Faint text";
          faint.style.color = "#bbbbbb";
          document.querySelector("main").append(faint);
          document.querySelector("#site-search-query").removeAttribute("id");
        }"""
    )

    violations = {violation["id"] for violation in run_axe(page).response["violations"]}

    assert {"color-contrast", "label"} <= violations
