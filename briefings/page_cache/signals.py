"""What bumps the generation: a signal on every save, delete and many-to-many change of what public pages show."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from ..roles import CONTENT_MODELS
from .state import content_changed

# Every model a public page shows: the content staff edit, corrections (a Publisher's, so kept apart in roles.py)
# and photos. The CBP counts are not here: the import writes them in bulk SQL, which sends no signals, and tells
# the cache itself (a post_delete receiver would also slow any ORM delete of hundreds of thousands of counts to one
# row at a time).
WATCHED_MODELS = [*CONTENT_MODELS, "correction", "photo"]


def _saved_or_deleted(sender, *, using, **kwargs):
    content_changed(using=using)


def _relations_changed(sender, *, action, using, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        content_changed(using=using)


def watch_content_models() -> None:
    """Connect the signals that bump the generation (called once, from the app's ready())."""
    for name in WATCHED_MODELS:
        model = apps.get_model("briefings", name)
        post_save.connect(_saved_or_deleted, sender=model)
        post_delete.connect(_saved_or_deleted, sender=model)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_relations_changed, sender=field.remote_field.through)
