"""Which cases a user sees (one place, used by every case view)."""

from lianxin import access
from tracing.models import LostContactCase


def cases_visible_to(user):
    return access.scoped(
        user, access.VIEW, LostContactCase.objects.select_related("member", "organization", "opened_by")
    )
