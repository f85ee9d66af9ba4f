"""Photos: upload one with its alt text, caption, credit, licence and focal point; the renditions the pages use
are made when it is saved (briefings/photos.py). A briefing takes one as its lead photo, a place as its photo."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from PIL import Image

from ..models import Photo
from ..models.photos import photo_storage
from ..photos import make_renditions_checked, photo_save
from .base import TranslatedDeskAdmin, side_by_side
from .entry import QuickEntryForm


class PhotoForm(QuickEntryForm):
    class Meta:
        model = Photo
        fields = "__all__"
        widgets = {"caption": forms.Textarea(attrs={"rows": 3})}

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and getattr(image, "image", None) is not None:  # a new upload, already opened by Pillow
            image.seek(0)
            with Image.open(image) as opened:
                make_renditions_checked(opened)
            image.seek(0)
        return image


@admin.register(Photo)
class PhotoAdmin(TranslatedDeskAdmin):
    form = PhotoForm
    list_display = ["thumbnail", "alt_text", "credit", "licence", "width", "height", "updated_at"]
    list_display_links = ["thumbnail", "alt_text"]
    search_fields = ["alt_text", "caption", "credit"]
    readonly_fields = ["thumbnail", "width", "height", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {"fields": ["image", "thumbnail", side_by_side("alt_text"), side_by_side("caption"), "credit", "licence"]},
        ),
        (
            _("Focal point"),
            {
                "fields": ["focal_x", "focal_y"],
                "description": _("Renditions are cropped to 3:2 around it; saving a new one makes them again."),
            },
        ),
        (_("Size"), {"fields": ["width", "height", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("rendition"))
    def thumbnail(self, photo):
        if not photo.renditions:
            return "—"
        smallest = photo.renditions[0]
        url = photo_storage().url(smallest["jpeg"])
        return format_html('<img src="{}" alt="" width="160" height="{}">', url, round(160 * 2 / 3))

    def save_model(self, request, obj, form, change):
        photo_save(obj)  # the form has decoded the image already (PhotoForm.clean_image)
