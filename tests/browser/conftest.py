"""Real-browser tests: Debian's chromium (see chromium.py), driven headless by Playwright, against pytest-django's
live server."""

import os

import pytest
from django.db import connections

from .chromium import CHROMIUM, CHROMIUM_MISSING

# Records every Content-Security-Policy violation the page reports. Injected by the driver before any of the
# page's own scripts run, so the page's policy does not apply to it (and the site ships no script to hook into).
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline code"}`
    + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber} ${event.sample || ""}`.trimEnd()
  );
});
"""


@pytest.fixture(scope="package")
def browser():
    """One chromium for all the browser tests."""
    if not CHROMIUM:
        pytest.fail(f"{CHROMIUM_MISSING} (CI=true: browser tests must run in CI, not be skipped)", pytrace=False)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop marked as running in this thread between its calls. Django then
    # refuses ORM calls here (SynchronousOnlyOperation), including the database flush after each test, and asgiref
    # keeps this thread's database connections apart from those it had before (a new connection to the same test
    # database; so a test here cannot use serialized_rollback, whose saved data hangs on the old connection).
    # Nothing actually runs concurrently: the documented escape hatch is safe here. Only while the browser runs,
    # so the rest of the suite keeps Django's guard.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()
    finally:
        # The connections opened meanwhile: on PostgreSQL the test database cannot be dropped while one is open.
        connections.close_all()
        playwright.stop()
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def context(browser, live_server):
    """A fresh browser profile (no cookies) on the live server, recording CSP violations in every page."""
    browser_context = browser.new_context(base_url=live_server.url)
    browser_context.set_default_timeout(15_000)
    browser_context.add_init_script(CSP_RECORDER)
    yield browser_context
    browser_context.close()


@pytest.fixture
def page(context):
    return context.new_page()
