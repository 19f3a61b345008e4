"""The 工作台: each app contributes panels through a `dashboard.py` with `panels(user)`.

A panel says what needs doing in the user's scope: a title, a count, where to go, and a
few example rows. Each app computes its panels with a fixed number of queries (at most two
per panel: `count_and_first`).
"""

from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

PANEL_APPS = ["members", "tracing", "disposition", "reports"]


@dataclass
class Panel:
    title: str
    count: int
    url: str = ""
    level: str = "info"  # info | warn | danger
    items: list = field(default_factory=list)  # [(label, url, detail) or (label, url, detail, post_url), …]
    hint: str = ""
    action_label: str = ""  # the button posting to an item's post_url (e.g. 立案查找)


def count_and_first(queryset, n=5):
    """The number of rows and the first `n` of them. One query when there are at most `n` —
    as in most panels of a branch — and a count only when there are more."""
    rows = list(queryset[: n + 1])
    if len(rows) <= n:
        return len(rows), rows
    return queryset.count(), rows[:n]


def panels_for(user):
    panels = []
    for label in PANEL_APPS:
        app = apps.get_app_config(label)
        if module_has_submodule(app.module, "dashboard"):
            panels.extend(import_module(f"{label}.dashboard").panels(user))
    return panels
