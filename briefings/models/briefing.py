"""Briefings (news-style reports) and the quotes they carry."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..evidence import rules
from ..fast_paths import ChoiceLabels, page_url
from ..languages import column, shown_language
from ..markdown import render_markdown
from ..search import SearchableQuerySet
from .base import SlugNaturalKey, SlugQuerySet, TimeStamped, Verbatim
from .entities import Organization, Person, Place, Topic
from .sources import Source


class BriefingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


def may_preview(user) -> bool:
    """Whether `user` may read drafts and scheduled briefings (a preview): staff who may change briefings."""
    return user.is_authenticated and user.has_perm("briefings.change_briefing")


class BriefingQuerySet(SearchableQuerySet, SlugQuerySet):
    # `.search(query)` (briefings/search/). On PostgreSQL it reads two columns that are no model fields:
    # migration 0008 adds them with a trigger that keeps them current and a GIN index on each (0011 the second).
    search_fields = {"headline": "A", "dek": "B", "body": "C"}
    search_vector_column = "search_vector"
    search_rank_vector_column = "search_rank_vector"

    def published(self):
        """What the public may read: published, and its publication time has come."""
        return self.filter(**self.published_lookups())

    @staticmethod
    def published_lookups(through=""):
        """published()'s conditions, for a briefing reached `through` a relation (`figure.briefing`): a join on
        the briefing, where `briefing__in=published()` made the database list every published briefing first
        (a cost that grew with the desk, on a page that shows a few records)."""
        prefix = f"{through}__" if through else ""
        return {f"{prefix}status": BriefingStatus.PUBLISHED, f"{prefix}published_at__lte": timezone.now()}

    def visible_to(self, user):
        """Staff who may change briefings also preview drafts and scheduled ones."""
        return self.all() if may_preview(user) else self.published()

    def for_topic(self, topic):
        return self.filter(topics=topic)

    def for_place(self, place):
        return self.filter(Q(places=place) | Q(dateline=place)).distinct()

    def for_organization(self, organization):
        return self.filter(organizations=organization)

    def for_person(self, person):
        return self.filter(people=person)

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def in_language(self, code):
        """Those published in `code` (Briefing.languages): every one in English, others once translated."""
        if code == settings.LANGUAGE_CODE:
            return self.all()
        return self.filter(**{f"{column('headline', code)}__gt": "", f"{column('body', code)}__gt": ""})

    def for_listing(self):
        return self.select_related("dateline", "lead_photo").prefetch_related("topics")


class Briefing(ChoiceLabels, SlugNaturalKey, TimeStamped):
    Status = BriefingStatus

    headline = models.CharField(_("headline"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    dek = models.TextField(_("dek"), blank=True, help_text=_("The one- or two-sentence summary under the headline."))
    body = models.TextField(_("body"), help_text=_("Markdown. Raw HTML is removed when the page is shown."))
    byline = models.CharField(_("byline"), max_length=300, blank=True)
    dateline = models.ForeignKey(
        Place,
        verbose_name=_("dateline"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="datelined_briefings",
    )
    lead_photo = models.ForeignKey(
        "briefings.Photo",
        verbose_name=_("lead photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="briefings",
        help_text=_("Shown above the story, on the front page when it leads, and when the briefing is shared."),
    )
    photo_caption = models.TextField(_("photo caption"), blank=True)
    photo_credit = models.CharField(_("photo credit"), max_length=300, blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True, related_name="briefings")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("Readers see a published briefing from this time on."),
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="briefings")
    places = models.ManyToManyField(Place, verbose_name=_("places"), blank=True, related_name="briefings")
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("organizations"), blank=True, related_name="briefings"
    )
    people = models.ManyToManyField(Person, verbose_name=_("people"), blank=True, related_name="briefings")
    # Set when something the published briefing shows changes (a figure, quote, offer or tip channel;
    # briefings/modified.py), without touching `updated_at`, which the stale-save guard reads.
    revised_at = models.DateTimeField(_("what it shows last changed"), null=True, blank=True, editable=False)
    # The body rendered (Markdown, then cleaned by nh3) in each language whenever the briefing is saved, raw saves
    # included (save() and _render_raw_saves(), below): a page reads it instead of rendering the body on every
    # request. Derived, never edited; NULL for a row written without a save (bulk_create, SQL), rendered when read.
    body_html_en = models.TextField(_("body as HTML (English)"), null=True, editable=False)  # noqa: DJ001 (see above)
    body_html_es = models.TextField(_("body as HTML (Spanish)"), null=True, editable=False)  # noqa: DJ001

    objects = BriefingQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        permissions = [("publish_briefing", _("Can publish and unpublish briefings"))]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=BriefingStatus.values), name="briefing_status_valid"),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="briefing_published_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "-published_at"], name="briefing_published_idx")]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return page_url("briefings:briefing-detail", slug=self.slug)

    def save(self, *args, update_fields=None, **kwargs):
        """Renders the body's HTML first (a save of other fields only leaves it): set before Django picks the
        columns to write, it is written even by an instance read with some columns deferred."""
        if update_fields is None or set(update_fields) & {"body", *_columns("body")}:
            render_bodies(self)
            if update_fields is not None:  # the HTML goes with its body
                update_fields = {*update_fields, *_columns("body_html")}
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def rendered_body(self) -> str:
        """The body as HTML in the language the page reads it in (the English while it has no translation), as
        rendered when it was saved."""
        language = shown_language(self, "body")
        html = getattr(self, column("body_html", language))
        return html if html is not None else render_markdown(getattr(self, column("body", language)))

    @property
    def languages(self) -> list[str]:
        """The languages it is published in: English, the desk's language of record, and each other language its
        headline and body are written in (a page in a language it lacks says so and shows the English)."""
        return [
            code
            for code, _name in settings.LANGUAGES
            if code == settings.LANGUAGE_CODE
            or (getattr(self, column("headline", code)) and getattr(self, column("body", code)))
        ]

    @property
    def modified_at(self):
        """When what readers see of it last changed (its own fields, or anything it shows); corrections aside."""
        return max(self.updated_at, self.revised_at) if self.revised_at else self.updated_at

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and (self.published_at <= timezone.now())
        )


class QuoteQuerySet(SearchableQuerySet, SlugQuerySet):
    search_fields = {"text": "A", "context": "B", "speaker_description": "C"}

    def published(self):
        return self.filter(**Briefing.objects.published_lookups("briefing"))

    def with_provenance(self):
        return self.select_related("speaker", "speaker_organization", "source", "briefing")


class Quote(Verbatim, SlugNaturalKey, TimeStamped):
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    text = models.TextField(_("exact words"), help_text=_("Word for word, as in the source."))
    speaker = models.ForeignKey(
        Person, verbose_name=_("speaker"), null=True, blank=True, on_delete=models.PROTECT, related_name="quotes"
    )
    speaker_description = models.CharField(
        _("speaker as described"),
        max_length=300,
        blank=True,
        help_text=_("For unnamed speakers, as the source describes them: “a senior Department of Justice official”."),
    )
    speaker_organization = models.ForeignKey(
        Organization,
        verbose_name=_("speaker's organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quotes",
    )
    context = models.TextField(
        _("context sentence"), blank=True, help_text=_("The sentence or passage around the quote, word for word.")
    )
    medium = models.CharField(
        _("how it was said"), max_length=200, blank=True, help_text=_("e.g. a call with reporters, a statement")
    )
    translation = models.TextField(
        _("desk's translation"),
        blank=True,
        help_text=_("The desk's translation of the words above, shown beside them, never instead of them."),
    )
    briefing = models.ForeignKey(Briefing, verbose_name=_("briefing"), on_delete=models.CASCADE, related_name="quotes")
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="quotes")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["briefing", "position", "pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(speaker__isnull=False) | ~models.Q(speaker_description=""),
                name="quote_has_speaker",
            ),
        ]

    def __str__(self):
        return (
            f"{self.speaker_name}: “{self.text[:60]}…”"
            if len(self.text) > 60
            else (f"{self.speaker_name}: “{self.text}”")
        )

    verbatim_fields = ("text", "context")
    sentence_fields = ("context",)

    def get_absolute_url(self):
        return f"{self.briefing.get_absolute_url()}#quote-{self.slug}"

    @property
    def speaker_name(self):
        return str(self.speaker) if self.speaker_id else self.speaker_description

    def clean(self):
        errors = self.verbatim_errors() | rules.quote_errors(text=self.text, context=self.context)
        if not self.speaker_id and not self.speaker_description:
            errors["speaker_description"] = ValidationError(
                _("Name a speaker, or describe an unnamed one."), code="no_speaker"
            )
        if errors:
            raise ValidationError(errors)


def render_bodies(briefing) -> None:
    """Render the briefing's body in each language into its body_html_* columns."""
    for html, body in zip(_columns("body_html"), _columns("body"), strict=True):
        setattr(briefing, html, render_markdown(getattr(briefing, body)))


def _render_raw_saves(sender, instance, raw=False, **kwargs):
    """A raw save (a fixture, the seed, django-reversion's restore) goes past Briefing.save(): render it here."""
    if raw:
        render_bodies(instance)


def _columns(field) -> list[str]:
    """A field's column in each language (`body_en`, `body_es`)."""
    return [column(field, code) for code, _name in settings.LANGUAGES]


pre_save.connect(_render_raw_saves, sender=Briefing, dispatch_uid="briefing-body-html")
