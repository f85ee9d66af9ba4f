"""Every kind of public page loads in a real browser with nothing for the browser to complain about: no console
errors, no Content-Security-Policy violations, no failed or refused requests for stylesheets, images or fonts."""

import pytest
from playwright.sync_api import expect

from .chromium import skip_module_without_chromium
from .crawl import REQUIRED_PAGE_TYPES, PageProblems, crawl

skip_module_without_chromium()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_public_page_loads_without_errors(page, live_server, public_site):
    recorder = PageProblems(page)
    problems = {}

    def check(path, kind):
        found = recorder.take(expected_status=404 if kind.endswith("not-found") else 200)
        if found:
            problems[path] = found

    visited = crawl(page, live_server.url, check)

    assert visited.keys() >= REQUIRED_PAGE_TYPES, f"never reached: {sorted(REQUIRED_PAGE_TYPES - visited.keys())}"
    assert not problems, "\n".join(f"{path}:\n  " + "\n  ".join(found) for path, found in problems.items())


def test_the_checks_notice_what_they_look_for(page, live_server, db):
    """A page made to break the rules, an inline script under a strict policy and a missing stylesheet, is
    reported: proves the page test above can fail."""
    broken_page = f"{live_server.url}/broken-on-purpose/"
    page.route(
        broken_page,
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": "script-src 'self'"},
            body=(
                '<!DOCTYPE html><html lang="en"><title>Broken</title>'
                '<link rel="stylesheet" href="/static/css/no-such-file.css">'
                "<script>document.title = 'ran';</script>"
                "<h1>Broken</h1></html>"
            ),
        ),
    )
    recorder = PageProblems(page)

    page.goto(broken_page)
    problems = recorder.take()

    assert page.title() == "Broken"  # the inline script was blocked
    assert any(problem.startswith("CSP violation: script-src-elem blocked inline") for problem in problems), problems
    assert any("Content Security Policy" in problem for problem in problems if problem.startswith("console error"))
    assert any(problem.startswith("404 for stylesheet") for problem in problems), problems


def test_the_api_docs_run_under_the_sites_policy(page, live_server, db):
    """Swagger UI (served from this site's static files) draws the API's operations with nothing blocked."""
    recorder = PageProblems(page)

    page.goto(f"{live_server.url}/api/docs")

    # The operations come from /api/openapi.json, fetched by Swagger UI: the policy let the script and the fetch run.
    expect(page.locator(".opblock-summary-path", has_text="/api/briefings").first).to_be_visible()
    assert not recorder.take()
