"""Private files: search-attempt evidence and submitted 名册 carry personal data.

They are stored under PRIVATE_MEDIA_ROOT, a folder that no URL serves (MEDIA_URL is not routed
either), and reach a browser only through a view that checks the user's scope and records the
download. A private file has no URL: asking for one is a programming error.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import cached_property


class PrivateFileSystemStorage(FileSystemStorage):
    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("A private file has no URL; serve it through a view that checks scope.")


def private_storage():
    """The storage of FileFields holding personal data (a callable: settings may change it)."""
    return storages["private"]


def move_to_private(apps, schema_editor, model_label, field_name):
    """Data migration: files of `field_name` saved before it moved to the private storage."""
    from django.core.files.storage import default_storage

    private = private_storage()
    model = apps.get_model(model_label)
    for row in model._default_manager.exclude(**{field_name: ""}).iterator():
        name = getattr(row, field_name).name
        if not default_storage.exists(name) or private.exists(name):
            continue
        with default_storage.open(name, "rb") as source:
            private.save(name, source)
        default_storage.delete(name)
