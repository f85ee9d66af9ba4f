"""Photos: an image the desk may publish, with what a reader needs beside it, and its renditions.

A photo's original is stored through Django's storage API where it is never served (the `photo_originals`
storage), its renditions where they are (`photos`): local files by default, S3-compatible object storage by
configuration (config/settings.py). When it is uploaded, renditions are made in a few widths, cropped
to 3:2 around its focal point, each as WebP and as JPEG (briefings/photos.py); pages serve them with `srcset`,
`sizes`, `width` and `height`, so a browser picks the smallest that fits and reserves the space before it loads.
"""

from django.core.files.storage import storages
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStamped


def photo_storage():
    """Where renditions are kept: public (served at /media/photos/, or a public S3 prefix)."""
    return storages["photos"]


def original_storage():
    """Where the originals staff upload are kept: never served (they may carry EXIF, GPS among it)."""
    return storages["photo_originals"]


class Photo(TimeStamped):
    image = models.ImageField(
        _("image"),
        storage=original_storage,
        upload_to="%Y/%m/",
        width_field="width",
        height_field="height",
        help_text=_("A JPEG, PNG or WebP file. Renditions for the pages are made from it when it is saved."),
    )
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    alt_text = models.CharField(
        _("alternative text"),
        max_length=300,
        help_text=_("What the photo shows, for a reader who cannot see it (“Migrants wade across a river”)."),
    )
    caption = models.TextField(_("caption"), blank=True)
    credit = models.CharField(_("credit"), max_length=300, help_text=_("Who took it and for whom, e.g. “AP Photo/…”."))
    licence = models.CharField(
        _("licence"),
        max_length=300,
        help_text=_("Under what terms the desk may publish it, e.g. “CC BY 4.0” or “Used with permission”."),
    )
    focal_x = models.PositiveSmallIntegerField(
        _("focal point, across (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("Where the subject is, from the left edge (0) to the right (100): crops keep it in frame."),
    )
    focal_y = models.PositiveSmallIntegerField(
        _("focal point, down (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("From the top (0) to the bottom (100)."),
    )
    renditions = models.JSONField(_("renditions"), default=list, editable=False, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focal_x__lte=100, focal_y__lte=100), name="photo_focal_point_in_frame"
            ),
        ]

    def __str__(self):
        return self.alt_text

    def urls(self, kind: str) -> list[tuple[str, int, int]]:
        """(url, width, height) of each rendition of `kind` (webp or jpeg), smallest first."""
        storage = photo_storage()
        return [(storage.url(each[kind]), each["width"], each["height"]) for each in self.renditions]

    def srcset(self, kind: str = "jpeg") -> str:
        """“url 480w, url 800w, …” of the renditions of `kind` (webp or jpeg)."""
        return ", ".join(f"{url} {width}w" for url, width, _height in self.urls(kind))

    @property
    def webp_srcset(self) -> str:
        return self.srcset("webp")

    @property
    def jpeg_srcset(self) -> str:
        return self.srcset("jpeg")

    @property
    def fallback(self) -> tuple[str, int, int] | None:
        """(url, width, height) of the JPEG a browser shows without srcset: the middle rendition."""
        urls = self.urls("jpeg")
        return urls[len(urls) // 2] if urls else None

    @property
    def largest_jpeg(self) -> tuple[str, int, int] | None:
        """(url, width, height) of the largest JPEG: for og:image and JSON-LD."""
        urls = self.urls("jpeg")
        return urls[-1] if urls else None
