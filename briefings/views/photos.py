"""Photo files kept on this machine's disk (PHOTOS_STORAGE=local), served from the photos storage's own
directory, as it is configured when asked (config/urls.py mounts this at /media/photos/ only then)."""

from django.core.files.storage import storages
from django.views.static import serve


def photo_file(request, path):
    return serve(request, path, document_root=storages["photos"].location)
