"""Finding what the feature apps contribute, the way Django finds `admin.py`: the core names no app."""

from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule


def app_modules(submodule):
    """Each installed app's `submodule`, in INSTALLED_APPS order (the layer order), so an app's part
    comes after the parts it builds on. The core's own module of that name is not a contribution."""
    for app in apps.get_app_configs():
        if app.name != "lianxin" and module_has_submodule(app.module, submodule):
            yield import_module(f"{app.name}.{submodule}")
