"""schema.org JSON-LD for search engines: `NewsArticle` for a briefing, `Dataset` for the encounter data.

Built from the same objects the page shows, so the structured data never says more than the HTML.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

# As in django.utils.html.json_script: text that cannot end the <script> element it sits in.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def as_script(data) -> str:
    """A <script type="application/ld+json"> element holding `data` (a data block: never executed)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def iso(moment) -> str | None:
    """A time as schema.org expects it: ISO 8601 with the site's offset, to the second."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def publisher():
    return {"@type": "Organization", "name": settings.SITE_NAME}


def news_article(briefing, *, url, corrections, images=()) -> dict:
    corrections = list(corrections)
    modified = max([briefing.modified_at, *(correction.published_at for correction in corrections)])
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": briefing.headline[:110],
        "description": briefing.dek,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": iso(briefing.published_at),
        "dateModified": iso(modified),
        "publisher": publisher(),
        # The language the page gives it in: the reader's when the desk translated it, else the English.
        "inLanguage": get_language() if get_language() in briefing.languages else settings.LANGUAGE_CODE,
    }
    if briefing.byline:
        data["author"] = [{"@type": "Person", "name": briefing.byline}]
    else:
        data["author"] = [publisher()]
    if briefing.dateline:
        data["locationCreated"] = {"@type": "Place", "name": briefing.dateline.name}
    if images:  # the lead photo's renditions, largest first (absolute URLs)
        data["image"] = list(images)
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": correction.text, "datePublished": iso(correction.published_at)}
            for correction in corrections
        ]
    return data


def dataset(*, name, description, url, downloads, temporal_coverage=None, creator_name, creator_url) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": name,
        "description": description,
        "url": url,
        "creator": {"@type": "Organization", "name": creator_name, "url": creator_url},
        "publisher": publisher(),
        "license": "https://www.usa.gov/government-works",
        "isAccessibleForFree": True,
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": encoding, "contentUrl": content_url}
            for encoding, content_url in downloads
        ],
    }
    if temporal_coverage:
        data["temporalCoverage"] = temporal_coverage
    return data
