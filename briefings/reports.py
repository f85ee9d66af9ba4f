"""The ingest assistant's one write: a draft briefing from a report and what the desk accepted of its proposals
(briefings/admin/ingest.py reviews them; briefings/ingest/ proposes them and saves nothing)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import review
from .models import Briefing, Figure, Organization, Person, Place, RewardOffer
from .models.base import unique_slug
from .services import log_on_commit, revision


@transaction.atomic
def report_accept(*, source, headline: str, records, links, user) -> Briefing:
    """A draft briefing from a report, with what the desk accepted of the ingest assistant's proposals, all or
    nothing: `records` are (key, unsaved figure, quote or reward offer), `links` (key, organization, person or place
    the briefing refers to; an unsaved one is created). Every record is checked as the admin checks it (its words
    against the source); a refused one raises ValidationError({key: messages}) and nothing is saved. An Editor's
    offers, which readers would see at once, are held for a Publisher's review (review.new_record_propose)."""
    base = slugify(headline)[:180].strip("-") or "briefing"
    body = "\n\n".join(line.strip() for line in source.full_text.splitlines() if line.strip())
    briefing = Briefing(headline=headline, slug=unique_slug(Briefing, base), body=body)
    errors = {}
    with revision(user=user, comment=_("Made from the report “%(title)s”.") % {"title": source.title}):
        briefing.full_clean()
        briefing.save()
        briefing.sources.set([source])
        relations = {Organization: briefing.organizations, Person: briefing.people, Place: briefing.places}
        made = {}  # a new name mentioned several times is one record
        for key, record in links:
            if record.pk is None:
                same = (type(record), record.name)
                if same in made:
                    record = made[same]
                else:
                    record.slug = unique_slug(type(record), slugify(record.name)[:180].strip("-") or "record")
                    if messages := _refusal(record):
                        errors[key] = messages
                        continue
                    record.save()
                    made[same] = record
            relations[type(record)].add(record)
        for key, record in records:
            if isinstance(record, RewardOffer):
                record.slug = record.slug or unique_slug(RewardOffer, slugify(record.criterion_text)[:60] or "offer")
            else:
                record.briefing = briefing
                words = record.value_as_printed if isinstance(record, Figure) else record.text
                base = slugify(" ".join(words.split()[:8]))[:180].strip("-") or type(record)._meta.model_name
                record.slug = record.slug or unique_slug(type(record), base)
            if messages := _refusal(record):
                errors[key] = messages
            elif isinstance(record, RewardOffer) and review.needs_review(record, user):
                review.new_record_propose(record=record, many={"briefings": [briefing]}, user=user)
            else:
                record.save()
                if isinstance(record, RewardOffer):
                    record.briefings.add(briefing)
        if errors:
            raise ValidationError(errors)
    log_on_commit("briefing made from a report", briefing=briefing.slug, source=source.slug, user=user)
    return briefing


def _refusal(record) -> list[str]:
    try:
        record.full_clean()
    except ValidationError as error:
        return [f"{name}: {message}" if name != "__all__" else message for name, messages in
                error.message_dict.items() for message in messages]  # fmt: skip
    return []
