"""Live content changes through review: an Editor's change to what readers see waits for a Publisher, and a
changed published fact needs a correction or a stated fix (briefings/review.py)."""

from decimal import Decimal

from django.contrib.admin.models import LogEntry
from django.urls import reverse

from briefings.models import (
    Briefing,
    Correction,
    Figure,
    PendingChange,
    RewardOffer,
    RewardProgram,
    Source,
    TipChannel,
)

from .factories import (
    BriefingFactory,
    FigureFactory,
    OrganizationFactory,
    RewardProgramFactory,
    SourceFactory,
    TipChannelFactory,
)
from .html_forms import form_data

SENTENCE = "About 3,000 migrants crossed in May, officials said."


def change_url(model, pk):
    return reverse(f"admin:briefings_{model}_change", args=[pk])


def live_figure():
    source = SourceFactory(full_text=f"{SENTENCE} About 3,500 came in June, officials said.")
    return FigureFactory(
        briefing=BriefingFactory(headline="Crossings fall"),
        source=source,
        source_sentence=SENTENCE,
        value_as_printed="About 3,000",
        value=Decimal("3000"),
    )


def post(client, url, form_id, **changes):
    data = form_data(client.get(url).content.decode(), form_id) | changes
    return client.post(url, data)


def test_an_editors_change_to_a_live_headline_and_figure_waits_for_review(client, editor):
    figure = live_figure()
    briefing = figure.briefing
    Briefing.objects.filter(pk=briefing.pk).update(revised_at=None)
    client.force_login(editor)
    response = post(
        client,
        change_url("briefing", briefing.pk),
        "briefing_form",
        headline_en="Crossings rise",
        **{
            "figures-0-value_as_printed": "About 3,500",
            "figures-0-value": "3500",
            "figures-0-source_sentence": "About 3,500 came in June, officials said.",
        },
    )
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "Your 2 changes are waiting for a Publisher's review" in messages[0]

    # Readers see the published version, and nothing moved.
    briefing.refresh_from_db()
    figure.refresh_from_db()
    assert (briefing.headline, figure.value) == ("Crossings fall", Decimal("3000"))
    assert briefing.revised_at is None
    page = client.get(briefing.get_absolute_url()).content.decode()
    assert "Crossings fall" in page and "Crossings rise" not in page
    # The admin says what is pending.
    form_page = client.get(change_url("briefing", briefing.pk)).content.decode()
    assert "Waiting for a Publisher's review" in form_page
    assert PendingChange.objects.pending().count() == 2


def test_a_draft_is_edited_directly(client, editor):
    briefing = BriefingFactory(draft=True, headline="Draft headline")
    client.force_login(editor)
    assert post(client, change_url("briefing", briefing.pk), "briefing_form", headline_en="Better").status_code == 302
    assert Briefing.objects.get(pk=briefing.pk).headline == "Better"
    assert not PendingChange.objects.exists()


def hold_figure_change(client, editor, figure):
    client.force_login(editor)
    response = post(
        client,
        change_url("figure", figure.pk),
        "figure_form",
        value_as_printed="About 3,500",
        value="3500",
        source_sentence="About 3,500 came in June, officials said.",
    )
    assert response.status_code == 302
    return PendingChange.objects.pending().get()


def decide(client, change, **data):
    url = change_url("pendingchange", change.pk)
    return client.post(url, form_data(client.get(url).content.decode(), "pendingchange_form") | data)


def test_a_changed_fact_needs_a_correction_or_a_stated_fix(client, editor, publisher):
    figure = live_figure()
    change = hold_figure_change(client, editor, figure)
    client.force_login(publisher)
    page = client.get(change_url("pendingchange", change.pk)).content.decode()
    assert "About 3,000" in page and "About 3,500" in page

    refused = decide(client, change, decision="approve")
    assert refused.status_code == 200
    assert "This changes a published fact" in refused.content.decode()
    assert decide(client, change, decision="correction", note="").status_code == 200

    text = "An earlier version gave the May figure for June."
    assert decide(client, change, decision="correction", note=text).status_code == 302
    figure.refresh_from_db()
    assert (figure.value, figure.value_as_printed) == (Decimal("3500"), "About 3,500")
    correction = Correction.objects.get()
    assert (correction.figure, correction.text, correction.created_by) == (figure, text, publisher)
    change.refresh_from_db()
    assert (change.status, change.decided_by) == (PendingChange.Status.APPROVED, publisher)
    assert Briefing.objects.get(pk=figure.briefing.pk).revised_at is not None


def test_a_non_substantive_fix_is_recorded_in_history_without_a_correction(client, editor, publisher):
    from reversion.models import Version

    figure = live_figure()
    change = hold_figure_change(client, editor, figure)
    client.force_login(publisher)
    assert decide(client, change, decision="fix", note="Typo in the number").status_code == 302
    assert not Correction.objects.exists()
    version = Version.objects.get_for_object(Figure.objects.get(pk=figure.pk)).first()
    assert version.revision.get_comment() == "Approved as a non-substantive fix: Typo in the number"


def test_a_rejected_change_leaves_the_record_as_published(client, editor, publisher):
    figure = live_figure()
    change = hold_figure_change(client, editor, figure)
    client.force_login(publisher)
    assert decide(client, change, decision="reject", note="Not in the source").status_code == 302
    assert Figure.objects.get(pk=figure.pk).value == Decimal("3000")
    assert PendingChange.objects.get().status == PendingChange.Status.REJECTED


def test_approving_applies_only_the_changed_fields_to_the_record_as_it_is_now(client, editor, publisher):
    figure = live_figure()
    change = hold_figure_change(client, editor, figure)
    client.force_login(publisher)
    post(client, change_url("figure", figure.pk), "figure_form", attribution="the agency said")
    assert decide(client, change, decision="fix", note="Figure updated").status_code == 302
    figure.refresh_from_db()
    assert (figure.value, figure.attribution) == (Decimal("3500"), "the agency said")


def test_editors_cannot_decide(client, editor):
    figure = live_figure()
    change = hold_figure_change(client, editor, figure)
    response = decide(client, change, decision="fix", note="Mine")
    assert response.status_code == 403
    assert PendingChange.objects.get().status == PendingChange.Status.PENDING


def test_a_held_change_is_not_in_the_audit_log_until_approved(client, editor, publisher):
    figure = live_figure()
    hold_figure_change(client, editor, figure)
    assert not LogEntry.objects.filter(user=editor).exists()


def test_a_figure_an_editor_adds_to_a_live_briefing_appears_once_approved(client, editor, publisher):
    figure = live_figure()
    briefing = figure.briefing
    client.force_login(editor)
    url = change_url("briefing", briefing.pk)
    data = form_data(client.get(url).content.decode(), "briefing_form")
    new = {
        key.replace("figures-0-", "figures-1-"): value for key, value in data.items() if key.startswith("figures-0-")
    }
    new |= {
        "figures-1-id": "",
        "figures-1-edit_token": "",
        "figures-1-slug": "june-crossings",
        "figures-1-value_as_printed": "About 3,500",
        "figures-1-value": "3500",
        "figures-1-source_sentence": "About 3,500 came in June, officials said.",
    }
    assert client.post(url, data | new | {"figures-TOTAL_FORMS": "2"}).status_code == 302
    assert not Figure.objects.filter(slug="june-crossings").exists()
    change = PendingChange.objects.pending().get()
    assert change.object_id is None

    client.force_login(publisher)
    assert decide(client, change, decision="approve").status_code == 302
    added = Figure.objects.get(slug="june-crossings")
    assert (added.briefing, added.value) == (briefing, Decimal("3500"))


def test_an_editors_new_offer_from_a_plus_window_is_held_and_the_window_says_so(client, editor):
    program, target = RewardProgramFactory(), OrganizationFactory(name="Clan del Golfo")
    client.force_login(editor)
    url = reverse("admin:briefings_rewardoffer_add") + "?_popup=1&_to_field=id"
    data = form_data(client.get(url).content.decode(), "rewardoffer_form")
    assert data["_popup"] == "1"
    response = client.post(url, data | {
        "program": str(program.pk),
        "target_organization": str(target.pk),
        "ceiling_amount": "5000000",
        "criterion_kind": "arrest_or_conviction",
        "criterion_text": "the arrest and/or conviction of any key leader",
    })  # fmt: skip
    change = PendingChange.objects.pending().get()
    page = response.content.decode()
    assert response.status_code == 200 and not RewardOffer.objects.exists()
    assert "The new reward offer is waiting for a Publisher&#x27;s review" in page
    assert f'href="{change_url("pendingchange", change.pk)}"' in page and "data-close-window" in page
    assert 'id="header"' not in page  # a popup's page, without the admin's header and navigation


def add(client, model, **fields):
    url = reverse(f"admin:briefings_{model}_add")
    return client.post(url, form_data(client.get(url).content.decode(), f"{model}_form") | fields)


def add_offer(client, program, target, **fields):
    return add(
        client,
        "rewardoffer",
        program=str(program.pk),
        target_organization=str(target.pk),
        ceiling_amount="5000000",
        criterion_kind="arrest_or_conviction",
        criterion_text="the arrest and/or conviction of any key leader",
        **fields,
    )


def test_an_offer_or_tip_channel_an_editor_adds_on_its_own_page_appears_once_approved(client, editor, publisher):
    program, target = RewardProgramFactory(), OrganizationFactory(name="Clan del Golfo")
    channel = TipChannelFactory()
    client.force_login(editor)
    response = add_offer(client, program, target, tip_channels=[str(channel.pk)])
    change = PendingChange.objects.pending().get()
    assert response.status_code == 302 and response["Location"] == change_url("pendingchange", change.pk)
    assert "waiting for a Publisher's review" in str(list(response.wsgi_request._messages)[0])
    assert not RewardOffer.objects.exists()
    assert client.get(reverse("briefings:reward-list")).content.decode().count("5,000,000") == 0

    response = add(client, "tipchannel", kind="web", value="www.ice.gov/tips")
    assert response.status_code == 302
    assert not TipChannel.objects.filter(value="www.ice.gov/tips").exists()
    assert not LogEntry.objects.filter(user=editor).exists()

    client.force_login(publisher)
    for held in PendingChange.objects.pending().order_by("pk"):
        assert decide(client, held, decision="approve").status_code == 302
    offer = RewardOffer.objects.get()
    assert (offer.target_organization, offer.ceiling_amount) == (target, Decimal("5000000"))
    assert list(offer.tip_channels.all()) == [channel]
    assert TipChannel.objects.filter(value="www.ice.gov/tips").exists()


def test_a_figure_an_editor_adds_on_its_own_page_to_a_live_briefing_waits(client, editor):
    figure = live_figure()
    client.force_login(editor)
    response = add(
        client,
        "figure",
        briefing=str(figure.briefing.pk),
        metric=str(figure.metric.pk),
        value_as_printed="About 3,500",
        value="3500",
        qualifier="about",
        unit="people",
        period="per_month",
        source=str(figure.source.pk),
        source_sentence="About 3,500 came in June, officials said.",
    )
    assert response.status_code == 302
    assert list(Figure.objects.all()) == [figure]
    change = PendingChange.objects.pending().get()
    assert (change.object_id, change.briefing, change.changes["value_as_printed"]) == (
        None,
        figure.briefing,
        "About 3,500",
    )


def test_an_offer_an_editor_adds_inline_on_a_new_program_is_approved_onto_that_program(client, editor, publisher):
    agency, target = OrganizationFactory(), OrganizationFactory()
    client.force_login(editor)
    url = reverse("admin:briefings_rewardprogram_add")
    data = form_data(client.get(url).content.decode(), "rewardprogram_form")
    row = {key.replace("__prefix__", "0"): value for key, value in data.items() if "-__prefix__-" in key}
    response = client.post(
        url,
        data
        | row
        | {
            "name_en": "Transnational Organized Crime Rewards Program",
            "administering_agency": str(agency.pk),
            "offers-TOTAL_FORMS": "1",
            "offers-0-target_organization": str(target.pk),
            "offers-0-ceiling_amount": "1000000",
            "offers-0-criterion_kind": "financial_disruption",
            "offers-0-criterion_text": "the disruption of financial mechanisms",
        },
    )
    assert response.status_code == 302
    program = RewardProgram.objects.get()
    change = PendingChange.objects.pending().get()
    assert change.changes["program"] == program.pk

    client.force_login(publisher)
    assert decide(client, change, decision="approve").status_code == 302
    assert RewardOffer.objects.get().program == program


def test_two_held_offers_with_the_same_slug_are_both_approved(client, editor, publisher):
    program, target = RewardProgramFactory(), OrganizationFactory(name="Clan del Golfo")
    client.force_login(editor)
    for _ in range(2):
        add_offer(client, program, target)
    client.force_login(publisher)
    for change in PendingChange.objects.pending().order_by("pk"):
        assert decide(client, change, decision="approve").status_code == 302
    slugs = sorted(RewardOffer.objects.values_list("slug", flat=True))
    assert len(slugs) == 2 and slugs[1] == f"{slugs[0]}-2"


def test_a_held_record_that_no_longer_passes_the_rules_is_refused_on_the_form(client, editor, publisher):
    figure = live_figure()
    change = hold_figure_change(client, editor, figure)
    # Meanwhile the source is corrected, and the held sentence is no longer in it.
    Source.objects.filter(pk=figure.source_id).update(full_text=SENTENCE)
    client.force_login(publisher)
    response = decide(client, change, decision="fix", note="typo")
    assert response.status_code == 200
    assert "It cannot be approved as it stands" in response.content.decode()
    assert PendingChange.objects.get(pk=change.pk).status == PendingChange.Status.PENDING
    assert Figure.objects.get(pk=figure.pk).value == Decimal("3000")


def test_a_publisher_adds_an_offer_directly(client, publisher):
    client.force_login(publisher)
    assert add_offer(client, RewardProgramFactory(), OrganizationFactory()).status_code == 302
    assert RewardOffer.objects.count() == 1 and not PendingChange.objects.exists()


# --- a Publisher's own change of a published fact ----------------------------------------------------------------


def publisher_changes_the_figure(client, publisher, figure, **extra):
    client.force_login(publisher)
    return post(
        client,
        change_url("figure", figure.pk),
        "figure_form",
        value_as_printed="About 3,500",
        value="3500",
        source_sentence="About 3,500 came in June, officials said.",
        **extra,
    )


def test_a_publisher_changing_a_published_fact_must_say_what_it_is(client, publisher):
    figure = live_figure()
    refused = publisher_changes_the_figure(client, publisher, figure)
    assert refused.status_code == 200
    assert "This changes a published fact (value, as printed)" in refused.content.decode()
    assert Figure.objects.get(pk=figure.pk).value == Decimal("3000")

    text = "An earlier version gave the May figure."
    assert publisher_changes_the_figure(client, publisher, figure, fact_correction=text).status_code == 302
    assert Figure.objects.get(pk=figure.pk).value == Decimal("3500")
    assert Correction.objects.get().text == text


def test_a_publishers_non_substantive_fix_is_recorded_in_the_history(client, publisher):
    from reversion.models import Version

    figure = live_figure()
    response = publisher_changes_the_figure(client, publisher, figure, fact_fix="The number was mistyped")
    assert response.status_code == 302
    assert not Correction.objects.exists()
    version = Version.objects.get_for_object(Figure.objects.get(pk=figure.pk)).first()
    assert "Non-substantive fix:" in version.revision.get_comment()
    assert "The number was mistyped" in version.revision.get_comment()


def test_a_publishers_change_of_anything_else_needs_neither(client, publisher):
    figure = live_figure()
    client.force_login(publisher)
    assert post(client, change_url("figure", figure.pk), "figure_form", position="4").status_code == 302
    assert Figure.objects.get(pk=figure.pk).position == 4
