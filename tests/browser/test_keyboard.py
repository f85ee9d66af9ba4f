"""A keyboard user reaches every link by pressing Tab, and always sees where the focus is."""

import re

import pytest
from playwright.sync_api import expect

from .chromium import skip_module_without_chromium

skip_module_without_chromium()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Everything a keyboard user may land on. Their styles before anything has focus are what the focused look is
# compared with: an outline every link always has would not show where the focus is.
FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])'

UNFOCUSED_STYLES = """(focusable) => [...document.querySelectorAll(focusable)].map((element) => {
  const style = getComputedStyle(element);
  return `outline ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}, box-shadow ${style.boxShadow}`;
})"""

# What has the focus now: where it is among the focusable elements and the links (-1: not one), how it is
# drawn, and whether any of it is in the viewport. Null once the focus has left the page or come back round.
FOCUSED = """(focusable) => {
  const element = document.activeElement;
  if (!element || element === document.body || element === window.firstFocused) return null;
  window.firstFocused = window.firstFocused || element;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  return {
    index: [...document.querySelectorAll(focusable)].indexOf(element),
    link: [...document.querySelectorAll("a[href]")].indexOf(element),
    description: `<${element.tagName.toLowerCase()}> `
      + (element.textContent || element.name || "").trim().slice(0, 60),
    outlineShown: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
      && !["transparent", "rgba(0, 0, 0, 0)"].includes(style.outlineColor),
    shadowShown: style.boxShadow !== "none",
    style: `outline ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}, box-shadow ${style.boxShadow}`,
    inViewport: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < window.innerHeight && box.left < window.innerWidth,
  };
}"""


def focus_indicator_problem(focused, unfocused_style):
    """Why the focused element does not show that it has focus (WCAG 2.4.7, 2.4.11), or None when it does."""
    if not (focused["outlineShown"] or focused["shadowShown"]) or focused["style"] == unfocused_style:
        return f"no visible focus indicator ({focused['style']})"
    if not focused["inViewport"]:
        return "focused outside the viewport"
    return None


def tab_through(page):
    """Press Tab from the top of the page until the focus leaves the page or comes back round; returns
    (indexes of the links reached, problems with focus indicators)."""
    unfocused_styles = page.evaluate(UNFOCUSED_STYLES, FOCUSABLE)
    reached, problems = set(), []
    # Some controls take several presses (a month field has month, year and a picker button).
    for _ in range(3 * len(unfocused_styles) + 10):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED, FOCUSABLE)
        if focused is None:
            break
        unfocused_style = unfocused_styles[focused["index"]] if focused["index"] >= 0 else None
        problem = focus_indicator_problem(focused, unfocused_style)
        if problem:
            problems.append(f"{focused['description']}: {problem}")
        if focused["link"] >= 0:
            reached.add(focused["link"])
    return reached, problems


def page_paths(briefing):
    return {"home": "/", "briefing": briefing.get_absolute_url(), "encounters": "/encounters/"}


@pytest.mark.parametrize("page_name", ["home", "briefing", "encounters"])
def test_tab_reaches_every_link_with_a_visible_focus(page, live_server, public_site, page_name):
    page.goto(live_server.url + page_paths(public_site)[page_name])
    # Every disclosure open (a reader opens one with the keyboard too); links this width does not show (a phone's
    # “Menu”) are not counted: they are not there to reach.
    page.evaluate("document.querySelectorAll('details').forEach((details) => { details.open = true; })")
    links = page.eval_on_selector_all(
        "a[href]", "links => links.map(link => link.getClientRects().length ? link.outerHTML.slice(0, 120) : null)"
    )

    reached, problems = tab_through(page)

    assert len(links) > 10
    missed = [links[index] for index in range(len(links)) if index not in reached and links[index]]
    assert not missed, f"Tab never reaches {len(missed)} of {len(links)} links: {missed}"
    assert not problems, "\n".join(problems)


def test_on_a_phone_the_menu_opens_from_the_keyboard_without_script(browser, live_server, public_site):
    phone = browser.new_page(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    phone.goto(live_server.url + "/")
    sections = phone.locator("#site-nav ul a[href]")
    assert not sections.first.is_visible()
    menu = phone.locator("a.menu-link")
    menu.focus()
    phone.keyboard.press("Enter")
    # Following a fragment link finishes after the key press returns: wait for it (up to the timeout), not race it.
    expect(phone).to_have_url(re.compile(r"#site-nav$"))
    expect(sections.first).to_be_visible()
    expect(sections).to_have_count(10)
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.closest('#site-nav') !== null")
    phone.locator("#site-nav .menu-close a").click()
    expect(sections.first).to_be_hidden()
    # Search is one tap away, on its own page.
    assert phone.locator("a.search-link").get_attribute("href") == "/search/"
    phone.close()


def test_first_tab_shows_a_skip_link_to_the_main_content(page, live_server, public_site):
    page.goto(live_server.url + public_site.get_absolute_url())

    page.keyboard.press("Tab")
    skip_link = page.locator(":focus")

    assert skip_link.get_attribute("href") == "#main"
    assert skip_link.is_visible()
    assert skip_link.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    page.keyboard.press("Tab")
    # The next stop is inside the main content, past the header's navigation and search.
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_a_hidden_focus_would_be_noticed(page, live_server, public_site):
    """With the site's focus style taken away, the check above reports it: proves it can fail."""
    page.goto(live_server.url + "/")
    page.evaluate(
        """() => {
          const sheet = new CSSStyleSheet();
          sheet.replaceSync(":focus-visible { outline: none !important; }");
          document.adoptedStyleSheets = [sheet];
        }"""
    )

    _, problems = tab_through(page)

    assert problems and all("no visible focus indicator" in problem for problem in problems)
