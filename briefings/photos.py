"""Photo renditions: made when a photo is saved with a new image or focal point (the admin calls `photo_save`).

Each rendition is the image cropped to 3:2 around its focal point (a lead story, a card and og:image all show
3:2), in the widths of RENDITION_WIDTHS that the image can fill, as WebP and as JPEG, with no metadata (the
original's EXIF stays with the original, which is never served). They are written through the photos storage under
renditions/<photo>/, each under a new name, and the photo records them. The ones they replace are kept: an earlier
version of the photo, restored from its history, still finds its own (the history keeps their names).
"""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .models.photos import Photo, photo_storage

RENDITION_WIDTHS = [480, 800, 1200, 1600]
FORMATS = {"webp": {"format": "WEBP", "quality": 80}, "jpeg": {"format": "JPEG", "quality": 82, "progressive": True}}
ASPECT = (3, 2)
MAX_PIXELS = 40_000_000  # a 40-megapixel original is the largest the desk takes (about 7700 × 5200)


def photo_save(photo: Photo) -> Photo:
    """Save `photo` and, when its image is new, make its renditions; a file Pillow cannot read is refused."""
    before = Photo.objects.filter(pk=photo.pk).values("focal_x", "focal_y").first() if photo.pk else None
    new_image = getattr(photo.image, "_committed", True) is False
    refocused = before is not None and (before["focal_x"], before["focal_y"]) != (photo.focal_x, photo.focal_y)
    remake = before is None or new_image or refocused or not photo.renditions
    if remake:
        photo._meta.get_field("image").update_dimension_fields(photo, force=True)
    with transaction.atomic():
        photo.save()
        if remake:
            photo.renditions = make_renditions(photo)
            photo.save(update_fields=["renditions", "updated_at"])
    return photo


def make_renditions(photo: Photo) -> list[dict]:
    """The renditions of `photo`'s image, written to storage: [{"width", "height", "webp", "jpeg"}, …], smallest
    first."""
    storage = photo_storage()
    photo.image.open("rb")
    try:
        with Image.open(photo.image) as original:
            make_renditions_checked(original)
            image = ImageOps.exif_transpose(original).convert("RGB")
    except UnidentifiedImageError as error:
        raise ValidationError(_("The file is not an image the desk can read (JPEG, PNG or WebP).")) from error
    finally:
        photo.image.close()
    cropped = crop_around(image, photo.focal_x, photo.focal_y)
    widths = [width for width in RENDITION_WIDTHS if width <= cropped.width] or [cropped.width]
    renditions = []
    for width in widths:
        height = round(width * ASPECT[1] / ASPECT[0])
        resized = cropped.resize((width, height), Image.Resampling.LANCZOS)
        names = {}
        for kind, options in FORMATS.items():
            buffer = io.BytesIO()
            resized.save(buffer, optimize=True, **options)
            extension = "webp" if kind == "webp" else "jpg"
            names[kind] = storage.save(f"renditions/{photo.pk}/{width}.{extension}", ContentFile(buffer.getvalue()))
        renditions.append({"width": width, "height": height, **names})
    return renditions


def make_renditions_checked(image: Image.Image) -> None:
    """Refuses, saying why, an image the desk will not make renditions of: too large, too small, or one Pillow
    cannot decode to the end (a truncated file). Decodes it in memory: nothing is written."""
    if image.width * image.height > MAX_PIXELS:
        raise ValidationError(_("The image is too large: at most 40 megapixels."))
    if min(image.width, image.height) < 240:
        raise ValidationError(_("The image is too small: at least 240 pixels on each side."))
    try:
        crop_around(ImageOps.exif_transpose(image).convert("RGB"), 50, 50).resize((48, 32))
    except OSError as error:  # Pillow's word for a file it cannot decode
        raise ValidationError(_("The image cannot be read to the end (is the file complete?).")) from error


def crop_around(image: Image.Image, focal_x: int, focal_y: int) -> Image.Image:
    """The largest 3:2 part of `image` with its focal point (percentages) as near its middle as the edges allow."""
    width, height = image.size
    if width * ASPECT[1] > height * ASPECT[0]:  # wider than 3:2: keep the height
        crop_width, crop_height = round(height * ASPECT[0] / ASPECT[1]), height
    else:
        crop_width, crop_height = width, round(width * ASPECT[1] / ASPECT[0])
    left = min(max(round(width * focal_x / 100 - crop_width / 2), 0), width - crop_width)
    top = min(max(round(height * focal_y / 100 - crop_height / 2), 0), height - crop_height)
    return image.crop((left, top, left + crop_width, top + crop_height))
