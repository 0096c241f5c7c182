"""Private files live outside the public media folder and are only served through permission-checked views."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


def private_storage():
    """The storage for private files: STORAGES["private"] when there is one (object storage, see settings), else a
    folder outside the public media. A callable, so migrations refer to it by name and never record the location,
    which differs between machines (and is a temporary folder in tests)."""
    if "private" in settings.STORAGES:
        return storages["private"]
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
