"""The editor's path, measured: a short report (one figure, one quote, one offer) entered through the admin by a
Publisher (an Editor's offer would also wait for one review), counting the forms submitted and the fields typed or
picked. The README's “The editor's path”
states the same numbers; this test fails if either drifts.

The report below is made up for the test (it is not in the fixtures and not shown to readers).
"""

import re
from pathlib import Path

from django.urls import reverse

from briefings.models import Briefing, Figure, Quote, RewardOffer, Source

from .factories import MetricFactory, OrganizationFactory, RewardProgramFactory
from .html_forms import form_data

REPORT = (
    "Crossings at the Darién fall as rewards go up\n\n"
    "About 3,000 migrants crossed the Darién Gap in May, officials said. "
    "“The trail is quieter than it has been in years,” a Panamanian border official said.\n\n"
    "The State Department offers up to $5 million for information leading to the arrest of the network's leaders."
)
# The numbers the README states (section “The editor's path”); before this change the same report took 7 forms
# and about 50 fields (issue “No wrong number and no silent change reaches a reader”).
README = Path(__file__).resolve().parent.parent / "README.md"


class EditorPath:
    """Submits admin forms as a browser would, counting the forms and the fields the editor filled."""

    def __init__(self, client):
        self.client, self.forms, self.fields = client, 0, 0

    def submit(self, url, form_id, typed: dict, *, rows: dict | None = None):
        """Post the form at `url` with the fields `typed` (each one the editor typed or picked) and the inline
        `rows` added ({prefix: count}: a click on “Add another”, not a field)."""
        data = form_data(self.client.get(url).content.decode(), form_id)
        added = {}
        for prefix, count in (rows or {}).items():
            # A row added in the browser is a copy of the inline's empty form, with its defaults.
            added[f"{prefix}-TOTAL_FORMS"] = str(count)
            template = {key: value for key, value in data.items() if key.startswith(f"{prefix}-__prefix__-")}
            for index in range(int(data[f"{prefix}-INITIAL_FORMS"]), count):
                added |= {key.replace("__prefix__", str(index)): value for key, value in template.items()}
        response = self.client.post(url, data | added | typed)
        assert response.status_code == 302, re.findall(r"errorlist.{0,300}", response.content.decode(), re.S)
        self.forms += 1
        self.fields += len(typed)
        return response


def test_a_short_report_takes_three_forms_and_seventeen_fields(client, publisher):
    metric = MetricFactory(name="Migrants crossing")
    program, target = RewardProgramFactory(), OrganizationFactory(name="The network")
    client.force_login(publisher)  # an Editor's offer would also wait for a Publisher's review
    path = EditorPath(client)

    # 1. The report, pasted once (the “+” beside the briefing's sources opens this form).
    path.submit(
        reverse("admin:briefings_source_add"),
        "source_form",
        {"title": "Crossings at the Darién fall", "published_on": "2024-06-20", "full_text": REPORT},
    )
    source = Source.objects.get()

    # 2. The briefing, with its figure and quote on the same page: body, sentences, value, qualifier, sources and
    #    slugs fill themselves.
    path.submit(
        reverse("admin:briefings_briefing_add"),
        "briefing_form",
        {
            "headline_en": "Crossings at the Darién fall as rewards go up",
            "sources": [str(source.pk)],
            "figures-0-metric": str(metric.pk),
            "figures-0-value_as_printed": "About 3,000",
            "figures-0-unit": "migrants",
            "figures-0-period": "per_month",
            "quotes-0-text": "The trail is quieter than it has been in years,",
            "quotes-0-speaker_description": "a Panamanian border official",
        },
        rows={"figures": 1, "quotes": 1},
    )
    briefing = Briefing.objects.get()

    # 3. The offer, naming the briefing: its source and sentence come from there.
    path.submit(
        reverse("admin:briefings_rewardoffer_add"),
        "rewardoffer_form",
        {
            "program": str(program.pk),
            "target_organization": str(target.pk),
            "ceiling_amount": "5000000",
            "criterion_kind": "arrest_or_conviction",
            "criterion_text": "information leading to the arrest of the network's leaders",
            "briefings": [str(briefing.pk)],
        },
    )

    # Everything the report says is recorded, sourced word for word.
    assert briefing.body.startswith("Crossings at the Darién fall as rewards go up\n\nAbout 3,000 migrants")
    figure, quote, offer = Figure.objects.get(), Quote.objects.get(), RewardOffer.objects.get()
    assert (figure.value, figure.qualifier, figure.source) == (3000, "about", source)
    assert figure.source_sentence == "About 3,000 migrants crossed the Darién Gap in May, officials said."
    assert quote.context == "“The trail is quieter than it has been in years,” a Panamanian border official said."
    assert (offer.source, offer.source_sentence) == (source, REPORT.split("\n\n")[2])
    assert all(record.slug for record in (briefing, figure, quote, offer, source))

    # At most half of the 50 fields the issue counted, and the README says what was measured.
    assert (path.forms, path.fields) == (3, 17)
    assert f"{path.forms} forms and {path.fields} fields" in README.read_text(encoding="utf-8")
