"""Photos (briefings/models/photos.py, briefings/photos.py, admin/photos.py): uploaded with alt text, caption,
credit and licence; renditions made at upload in a few widths as WebP and JPEG, cropped to 3:2 around the focal
point; served with srcset, sizes, width and height, and used for og:image and JSON-LD; stored through the photos
storage (local files here; S3 by configuration). Every image here is generated."""

import io
import json
import os
import re
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from briefings.models import Briefing, Photo
from briefings.photos import crop_around, photo_save

from .factories import BriefingFactory
from .html_forms import form_data

ADD = reverse("admin:briefings_photo_add")


@pytest.fixture(autouse=True)
def photo_files(settings, tmp_path):
    """Photos in a directory of this test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "photos", "base_url": "/media/photos/"},
        },
    }
    return tmp_path / "photos"


def jpeg(width=2000, height=1500, *, color=(40, 90, 160), mark=None) -> bytes:
    image = Image.new("RGB", (width, height), color)
    if mark:  # a red square at (x, y): where the subject is
        x, y = mark
        image.paste((220, 20, 20), (x - 50, y - 50, x + 50, y + 50))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make; with a phone, GPS would be here too
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def upload(client, name="river.jpg", content=None, **fields):
    data = form_data(client.get(ADD).content.decode(), "photo_form")
    data |= {"alt_text_en": "Migrants wade across a river", "credit": "Desk photo", "licence": "CC BY 4.0"} | fields
    data["image"] = SimpleUploadedFile(name, content if content is not None else jpeg(), content_type="image/jpeg")
    return client.post(ADD, data)


def test_an_uploaded_photo_gets_renditions_in_several_widths_as_webp_and_jpeg(
    client, publisher, photo_files, settings
):
    client.force_login(publisher)
    response = upload(client)
    assert response.status_code == 302, response.content.decode()[:2000]
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (2000, 1500)
    assert [each["width"] for each in photo.renditions] == [480, 800, 1200, 1600]
    for each in photo.renditions:
        assert each["height"] == round(each["width"] * 2 / 3)
        for kind, format_name in (("webp", "WEBP"), ("jpeg", "JPEG")):
            with Image.open(photo_files / each[kind]) as rendition:
                assert (rendition.format, rendition.size) == (format_name, (each["width"], each["height"]))
                assert not rendition.getexif()  # the original's metadata stays with the original
    # The original, EXIF and all, is kept where nothing serves it.
    original = settings.STORAGES["photo_originals"]["OPTIONS"]["location"] / photo.image.name
    with Image.open(original) as kept:
        assert kept.getexif()[0x010F] == "PhoneMaker"
    assert client.get(f"/media/photos/{photo.image.name}").status_code == 404
    assert client.get(f"/media/photos/../photo-originals/{photo.image.name}").status_code in (400, 404)


def test_a_photo_is_refused_without_alt_text_or_when_it_is_no_image_or_too_small(client, publisher):
    client.force_login(publisher)
    assert "This field is required." in upload(client, alt_text_en="").content.decode()
    page = upload(client, name="notes.jpg", content=b"not an image at all").content.decode()
    assert "Upload a valid image." in page
    assert "at least 240 pixels on each side" in upload(client, content=jpeg(200, 150)).content.decode()
    truncated = jpeg()[:5000]
    assert "cannot be read to the end" in upload(client, content=truncated).content.decode()
    assert not Photo.objects.exists()


def test_the_crop_keeps_the_focal_point_in_frame():
    image = Image.open(io.BytesIO(jpeg(3000, 1000, mark=(2900, 500))))  # very wide: a 1500 × 1000 crop
    right = crop_around(image, 95, 50)
    assert right.size == (1500, 1000)
    assert right.getpixel((1400, 500))[0] > 200  # the red mark, near the crop's right edge
    centre = crop_around(image, 50, 50)
    assert max(centre.getpixel((x, 500))[0] for x in range(0, 1500, 25)) < 100  # no mark in the middle crop


def test_a_new_focal_point_makes_new_renditions_and_keeps_the_old_for_the_history(
    client, publisher, photo_files, django_capture_on_commit_callbacks
):
    client.force_login(publisher)
    upload(client)
    photo = Photo.objects.get()
    old = [each["jpeg"] for each in photo.renditions]
    photo.focal_x = 10
    with django_capture_on_commit_callbacks(execute=True):
        photo_save(photo)
    new = [each["jpeg"] for each in Photo.objects.get().renditions]
    assert not set(old) & set(new) and all((photo_files / name).exists() for name in old + new)


def test_a_briefing_shows_its_lead_photo_with_srcset_sizes_and_shares_it(client, publisher, photo_files):
    client.force_login(publisher)
    upload(client, caption="The Rio Grande near Eagle Pass.")
    photo = Photo.objects.get()
    briefing = BriefingFactory(headline="A river crossing", lead_photo=photo)
    client.logout()
    page = client.get(briefing.get_absolute_url()).content.decode()
    webp = ", ".join(f"/media/photos/{each['webp']} {each['width']}w" for each in photo.renditions)
    assert f'<source type="image/webp" srcset="{webp}" sizes="(min-width: 64em) 42rem, 100vw">' in page
    middle = photo.renditions[2]
    assert f'<img src="/media/photos/{middle["jpeg"]}"' in page
    assert f'width="{middle["width"]}" height="{middle["height"]}" alt="Migrants wade across a river"' in page
    assert "Photo: Desk photo (CC BY 4.0)" in " ".join(re.sub(r"<[^>]+>", " ", page).split())
    largest = f"http://testserver/media/photos/{photo.renditions[-1]['jpeg']}"
    assert f'<meta property="og:image" content="{largest}">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert json.loads(script)["image"][0] == largest
    # The file is there to fetch; the rest of MEDIA_ROOT is not served.
    assert client.get(f"/media/photos/{middle['webp']}").status_code == 200
    assert client.get("/media/encounters/uploads/anything.csv").status_code == 404
    # The front page leads with it.
    assert f'srcset="{webp}"' in client.get("/").content.decode()


def test_a_briefing_without_a_photo_shares_no_image(client, db):
    page = client.get(BriefingFactory().get_absolute_url()).content.decode()
    assert 'property="og:image"' not in page and '"image"' not in page
    assert '<meta name="twitter:card" content="summary">' in page


def run_settings(**environment) -> dict:
    """The settings a process gets from `environment` (on top of the test settings' own)."""
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({'photos': settings.STORAGES['photos'],"
        " 'img': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']}, default=str))"
    )
    expect_ok = environment.pop("expect_ok", True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings", **environment}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0 or not expect_ok, result.stderr
    return json.loads(result.stdout) if result.returncode == 0 else {"error": result.stderr}


def test_photos_go_to_s3_compatible_storage_by_configuration():
    local = run_settings()
    assert local["photos"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert local["photos"]["OPTIONS"]["location"].endswith("photos")
    s3 = run_settings(
        PHOTOS_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="desk-photos", AWS_S3_ENDPOINT_URL="https://objects.example.net"
    )
    assert s3["photos"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (s3["photos"]["OPTIONS"]["bucket_name"], s3["photos"]["OPTIONS"]["querystring_auth"]) == (
        "desk-photos",
        False,
    )
    assert "https://objects.example.net" in s3["img"]  # the browser may load them from there
    refused = run_settings(PHOTOS_STORAGE="ftp", expect_ok=False)
    assert "PHOTOS_STORAGE is “ftp”: it must be “local” or “s3”." in refused["error"]


def test_editors_may_add_photos_and_only_publishers_delete_them(client, editor, publisher):
    assert editor.has_perm("briefings.add_photo") and not editor.has_perm("briefings.delete_photo")
    assert publisher.has_perm("briefings.delete_photo")
    assert Briefing._meta.get_field("lead_photo").remote_field.on_delete.__name__ == "SET_NULL"
