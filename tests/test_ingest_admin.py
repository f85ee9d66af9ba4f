"""“New briefing from a report” in the admin (briefings/admin/ingest.py, reports.report_accept): paste or upload,
review the proposals, accept them into a draft briefing in one transaction; the same text again shows what was
accepted."""

import re
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from briefings.models import Briefing, Figure, PendingChange, Quote, RewardOffer, Source

from .html_forms import form_data

DATA = Path(__file__).parent / "data"
START = reverse("admin:briefings_briefing_from_report")
REPORT = (DATA / "ingest" / "b2-hsi-operation.txt").read_text(encoding="utf-8")
SEED_REPORT = (DATA / "border-report-2024-06-jtfa-darien.txt").read_text(encoding="utf-8")


def start(client, **data):
    return client.post(START, data)


def review(client, source):
    url = reverse("admin:briefings_briefing_from_report_review", args=[source.pk])
    page = client.get(url).content.decode()
    return url, page, form_data(page)


def keys(data, kind):
    return sorted({key.rsplit("-", 1)[0] for key in data if key.startswith(f"{kind}-") and key.endswith("-decision")})


def only(data, accepted):
    """The review form with every row rejected but `accepted` ({row key: {field: value}})."""
    decided = {key: "reject" for key in data if key.endswith("-decision") and data[key] != "held"}
    for key, fields in accepted.items():
        decided[f"{key}-decision"] = "accept"
        decided |= {f"{key}-{name}": value for name, value in fields.items()}
    return data | decided


def test_the_briefing_list_offers_it_and_a_pasted_report_becomes_a_source_once(client, publisher, seed):
    client.force_login(publisher)
    assert START in client.get(reverse("admin:briefings_briefing_changelist")).content.decode()
    response = start(client, text=REPORT)
    source = Source.objects.get(full_text=REPORT.strip("\n"))
    assert response.status_code == 302 and response["Location"].endswith(f"/from-report/{source.pk}/")
    assert start(client, text=REPORT)["Location"] == response["Location"]
    assert Source.objects.filter(full_text=REPORT.strip("\n")).count() == 1


def test_a_report_is_refused_saying_why(client, publisher):
    client.force_login(publisher)
    page = start(client).content.decode()
    assert "Paste the report or upload its file (one of the two)." in page
    upload = SimpleUploadedFile("report.txt", "Pérez".encode("latin-1"))
    assert "not UTF-8" in client.post(START, {"file": upload}).content.decode()
    assert not Source.objects.exists()


def test_accepted_proposals_become_a_draft_briefing_in_one_save(client, publisher, seed):
    client.force_login(publisher)
    start(client, text=REPORT)
    source = Source.objects.get(full_text=REPORT.strip("\n"))
    url, page, data = review(client, source)
    assert '<mark class="ingest-figure">' in page and '<mark class="ingest-quote">' in page
    figure_key, quote_key, offer_key = keys(data, "figure")[0], keys(data, "quote")[0], keys(data, "reward_offer")[0]
    metric = re.search(r'<option value="(\d+)"', page.split(f'name="{figure_key}-metric"')[1]).group(1)
    program = re.search(r'<option value="(\d+)"', page.split(f'name="{offer_key}-program"')[1]).group(1)
    target = re.search(r'<option value="(\d+)"', page.split(f'name="{offer_key}-target"')[1]).group(1)
    accepted = {
        figure_key: {"metric": metric},
        quote_key: {},
        offer_key: {"program": program, "target": target},
    }
    response = client.post(url, only(data, accepted) | {"headline": "HSI dismantles a smuggling network"})
    briefing = Briefing.objects.get(headline="HSI dismantles a smuggling network")
    assert response.status_code == 302 and response["Location"].endswith(f"/briefing/{briefing.pk}/change/")
    assert briefing.status == Briefing.Status.DRAFT and list(briefing.sources.all()) == [source]
    figure, quote = briefing.figures.get(), briefing.quotes.get()
    assert figure.source_sentence in source.full_text and figure.value_as_printed in figure.source_sentence
    assert quote.text in quote.context and quote.context in source.full_text
    offer = RewardOffer.objects.get(source=source)
    assert list(offer.briefings.all()) == [briefing]

    # The same report again: what was accepted is shown as such, and nothing is doubled.
    start(client, text=REPORT)
    _url, page, data = review(client, source)
    assert page.count("accepted before") == 3
    assert data[f"{figure_key}-decision"] == "held"


def test_a_stated_change_is_saved_with_its_figure(client, publisher, seed):
    client.force_login(publisher)
    text = "Southwest border encounters were 38,000 in July, down 18% from 46,341 in June, officials said."
    start(client, text=text)
    url, page, data = review(client, Source.objects.get(full_text=text))
    percent = next(key for key in keys(data, "figure") if "<q>18%</q>" in page.split(f'id="row-{key}"')[1][:400])
    metric = re.search(r'<option value="(\d+)"', page.split(f'name="{percent}-metric"')[1]).group(1)
    assert "States a change: down 18% from 46,341" in " ".join(page.split())
    client.post(url, only(data, {percent: {"metric": metric}}) | {"headline": "July encounters"})
    figure = Figure.objects.get(briefing__headline="July encounters")
    assert (figure.value_as_printed, figure.change_direction) == ("18%", "down")
    assert (figure.change_percent_as_printed, figure.change_percent) == ("18%", 18)
    assert (figure.change_from_as_printed, figure.change_from_value) == ("46,341", 46341)


def test_a_refused_row_saves_nothing_and_says_why(client, publisher, seed):
    client.force_login(publisher)
    start(client, text=REPORT)
    source = Source.objects.get(full_text=REPORT.strip("\n"))
    url, page, data = review(client, source)
    figure_key = keys(data, "figure")[0]
    metric = re.search(r'<option value="(\d+)"', page.split(f'name="{figure_key}-metric"')[1]).group(1)
    wrong = only(data, {figure_key: {"metric": metric, "value": "999999"}}) | {"headline": "Wrong"}
    response = client.post(url, wrong)
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert "but the value is 999,999" in response.content.decode()
    assert not Briefing.objects.filter(headline="Wrong").exists() and not Figure.objects.filter(source=source).exists()


def test_the_seed_report_again_is_all_accepted_before(client, publisher, seed):
    client.force_login(publisher)
    start(client, text=SEED_REPORT)
    source = Source.objects.get(slug="border-report-jtfa-darien-gap-rewards")
    _url, page, data = review(client, source)
    held = {key for key in data if key.endswith("-decision") and data[key] == "held"}
    assert len([key for key in held if key.startswith("figure-")]) == Figure.objects.filter(source=source).count()
    assert any(key.startswith("quote-") for key in held) and any(key.startswith("reward_offer-") for key in held)


def test_an_editors_accepted_offer_waits_for_review(client, editor, seed):
    client.force_login(editor)
    start(client, text=REPORT)
    source = Source.objects.get(full_text=REPORT.strip("\n"))
    url, page, data = review(client, source)
    offer_key = keys(data, "reward_offer")[0]
    program = re.search(r'<option value="(\d+)"', page.split(f'name="{offer_key}-program"')[1]).group(1)
    target = re.search(r'<option value="(\d+)"', page.split(f'name="{offer_key}-target"')[1]).group(1)
    accepted = only(data, {offer_key: {"program": program, "target": target}}) | {"headline": "Held offer"}
    assert client.post(url, accepted).status_code == 302
    assert not RewardOffer.objects.filter(source=source).exists()
    change = PendingChange.objects.pending().get()
    assert change.changes["briefings"] == [Briefing.objects.get(headline="Held offer").pk]
    assert not Quote.objects.filter(source=source).exists()


def test_the_review_page_stands_up_to_odd_reports_and_odd_values(client, publisher, seed):
    client.force_login(publisher)
    start(client, text="Agents arrested 40 people in December 9999. Agents arrested 40 people in Sonora.")
    source = Source.objects.get(full_text__startswith="Agents arrested 40 people in December 9999")
    url, page, data = review(client, source)
    figure_key = keys(data, "figure")[0]
    for value, metric in (("NaN", "1"), ("Infinity", "1"), ("40", "²")):
        response = client.post(
            url, only(data, {figure_key: {"metric": metric, "value": value}}) | {"headline": "Odd values"}
        )
        assert response.status_code == 200, value
        assert "Nothing was saved" in response.content.decode()
    assert not Briefing.objects.filter(headline="Odd values").exists()


def test_a_new_name_mentioned_twice_is_one_record(client, publisher, seed):
    client.force_login(publisher)
    start(client, text="“We are here,” said Pastor Ana Ruiz.\n\n“We stay,” said Pastor Ana Ruiz.")
    source = Source.objects.get(full_text__startswith="“We are here,”")
    url, _page, data = review(client, source)
    people = keys(data, "person")
    assert len(people) == 2
    accepted = only(data, {key: {} for key in people}) | {"headline": "Two mentions"}
    assert client.post(url, accepted).status_code == 302
    briefing = Briefing.objects.get(headline="Two mentions")
    assert list(briefing.people.values_list("name", flat=True)) == ["Ana Ruiz"]


def test_an_editors_held_offer_is_not_proposed_again(client, editor, seed):
    test_an_editors_accepted_offer_waits_for_review(client, editor, seed)
    source = Source.objects.get(full_text=REPORT.strip("\n"))
    _url, _page, data = review(client, source)
    assert data[f"{keys(data, 'reward_offer')[0]}-decision"] == "held"


def test_a_long_report_can_be_reviewed_and_accepted(client, publisher, seed):
    """Past Django's default of 1,000 fields a request (the review page posts several per proposal)."""
    long_report = "\n\n".join(f"Agents counted {n:,} migrants and {n + 1:,} vehicles on day {n}." for n in range(300))
    client.force_login(publisher)
    start(client, text=long_report)
    source = Source.objects.get(full_text__startswith="Agents counted 0 migrants")
    url, _page, data = review(client, source)
    assert len(data) > 1000
    rejected = only(data, {}) | {"headline": "Long report"}
    assert client.post(url, rejected).status_code == 302
    assert Briefing.objects.filter(headline="Long report").exists()


def test_the_review_page_reads_the_desk_once_whatever_the_number_of_rows(client, publisher, seed):
    offer = "Up to $2 million for information leading to the arrest of any key leader of Clan del Golfo."
    quote = "“We are here,” said Lisa Monaco."
    client.force_login(publisher)

    def queries(paragraphs):
        text = "Rewards are offered.\n\n" + "\n\n".join(paragraphs)
        start(client, text=text)
        source = Source.objects.get(full_text=text)
        url = reverse("admin:briefings_briefing_from_report_review", args=[source.pk])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries([offer, quote]) == queries([offer, quote] * 5)
