"""briefings/addresses.py: page addresses reversed once per URL, and always what reverse() would give."""

from unittest import mock

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from briefings import addresses
from briefings.addresses import page_address

ADDRESSES = [
    ("briefings:briefing-detail", {"slug": "us-expands-task-force"}),
    ("briefings:figure-detail", {"metric_slug": "southwest-border-encounters", "slug": "encounters-2024-06"}),
    ("briefings:figure-detail", {"slug": "b", "metric_slug": "a"}),
    ("briefings:place-detail", {"slug": "Darien_Gap-2"}),
    ("briefings:organization-detail", {"slug": "a"}),
    ("briefings:reward-offer-detail", {"slug": "clan-del-golfo-leaders"}),
    ("briefings:correction-list", {}),
    ("briefings:reward-list", {}),
]


@pytest.fixture(autouse=True)
def _script_prefix_back():
    yield
    set_script_prefix("/")


@pytest.mark.parametrize(("viewname", "slugs"), ADDRESSES)
@pytest.mark.parametrize("prefix", ["/", "/desk/", "/{odd}/"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_address_is_what_reverse_gives(viewname, slugs, prefix, language):
    set_script_prefix(prefix)
    with translation.override(language):
        for _ in range(2):  # the first call makes the template, the second uses it
            assert page_address(viewname, **slugs) == reverse(viewname, kwargs=slugs)


def test_a_url_is_reversed_once_for_any_number_of_slugs():
    with mock.patch.object(addresses, "reverse", wraps=reverse) as reversing:
        urls = [page_address("briefings:topic-detail", slug=f"topic-{number}") for number in range(50)]
    assert urls == [reverse("briefings:topic-detail", kwargs={"slug": f"topic-{number}"}) for number in range(50)]
    assert reversing.call_count <= 1


def test_a_new_script_prefix_gets_addresses_of_its_own():
    before = page_address("briefings:topic-detail", slug="asylum")
    set_script_prefix("/desk/")
    assert page_address("briefings:topic-detail", slug="asylum") == "/desk" + before


@pytest.mark.parametrize("slug", ["two words", "é", "a/b", "", "{slug}"])
def test_a_slug_the_url_does_not_take_fails_as_reverse_does(slug):
    page_address("briefings:topic-detail", slug="warm-the-template")
    with pytest.raises(NoReverseMatch):
        reverse("briefings:topic-detail", kwargs={"slug": slug})
    with pytest.raises(NoReverseMatch):
        page_address("briefings:topic-detail", slug=slug)


def test_an_unknown_url_name_fails_as_reverse_does():
    with pytest.raises(NoReverseMatch):
        page_address("briefings:no-such-page", slug="a")
