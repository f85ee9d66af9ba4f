"""The pages a reader meets first, at a desktop's width (1280 px) and a phone's (390 px), in chromium: nothing runs
off the side or is clipped, the seed briefing keeps within its height (every fact still on the page or one link
away: tests/test_story.py), on a phone its headline starts within 200 px of the top, and no chart's words are
under 12 px. Each page is also screenshotted (kept in SCREENSHOTS_DIR when that is set, e.g. by CI)."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from PIL import Image

from .chromium import skip_module_without_chromium

skip_module_without_chromium()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}
# The seed briefing's height at most, as the issue measures it (README "What readers get" has the figures); in
# Spanish its text runs about a fifth longer, and its quotes are shown with the desk's translation beside them.
BRIEFING_HEIGHT = {"en": {"desktop": 6000, "phone": 9000}, "es": {"desktop": 6000, "phone": 11000}}

# Elements whose box runs past the viewport's right edge, or past their own box's, outside any box that scrolls.
OVERFLOWING = """() => {
  const problems = [];
  const scrolls = (element) => {
    for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowX;
      if (overflow === "auto" || overflow === "scroll") return true;
    }
    return false;
  };
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(element).visibility === "hidden") continue;
    if (element.closest(".visually-hidden, .skip-link")) continue;
    if (box.right > window.innerWidth + 1 && !scrolls(element)) {
      problems.push(`${element.tagName.toLowerCase()}.${element.className}: right edge at ${Math.round(box.right)}`);
    }
    const clipped = getComputedStyle(element).overflowX === "hidden" && element.scrollWidth > element.clientWidth + 1;
    if (clipped) problems.push(`${element.tagName.toLowerCase()}.${element.className}: its content is clipped`);
  }
  return problems.slice(0, 10);
}"""


def pages(briefing):
    figure = briefing.figures.get(slug="rgv-encounters-per-day-june-2024")
    return {
        "home": "/",
        "briefing": briefing.get_absolute_url(),
        "encounters": reverse("briefings:encounters"),
        "figure": figure.get_absolute_url(),
        "rewards": reverse("briefings:reward-list"),
    }


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("width_name", WIDTHS)
@pytest.mark.parametrize("page_name", ["home", "briefing", "encounters", "figure", "rewards"])
def test_the_page_fits_its_width_and_nothing_is_clipped(
    browser, live_server, public_site, tmp_path, page_name, width_name, language
):
    width = WIDTHS[width_name]
    page = browser.new_page(viewport={"width": width, "height": 900})
    with translation.override(language):
        address = pages(public_site)[page_name]
    page.goto(live_server.url + address)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    assert page.evaluate(OVERFLOWING) == []

    folder = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / f"{page_name}-{language}-{width}.png"
    page.screenshot(path=shot, full_page=True)
    with Image.open(shot) as image:
        assert image.width == width and image.height >= 900
    # Every word a chart draws is at least 12px on screen, however the chart is scaled.
    sizes = page.evaluate(
        "() => [...document.querySelectorAll('svg text')].filter((text) => text.getClientRects().length)"
        ".map((text) => { const m = text.getScreenCTM();"  # its scale, rotated or not
        " return parseFloat(getComputedStyle(text).fontSize) * Math.hypot(m.a, m.b); })"
    )
    assert not sizes or min(sizes) >= 11.99, f"chart text at {min(sizes):.1f}px"
    if page_name == "briefing":
        height = page.evaluate("document.documentElement.scrollHeight")
        limit = BRIEFING_HEIGHT[language][width_name]
        assert height <= limit, f"the seed briefing is {height}px tall at {width}px in {language}"
        if width_name == "phone":
            assert page.evaluate("document.querySelector('h1').getBoundingClientRect().top") <= 200
    page.close()
