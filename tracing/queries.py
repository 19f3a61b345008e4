"""Which cases a user sees (one place, used by every case view).

A user sees the cases of their subtree, plus — for 协查 — each single case another
organization asked their organization to help with (and nothing else of that branch).
"""

from django.db.models import Q

from lianxin import access
from tracing.models import AssistanceRequest, LostContactCase


def assisted_case_ids(user):
    scope = access.scope_q(user, access.VIEW, "to_organization__path")
    requests = AssistanceRequest.objects.all() if scope is None else AssistanceRequest.objects.filter(scope)
    return requests.values("case_id")


def cases_visible_to(user):
    own = access.scope_q(user, access.VIEW, "organization__path")
    cases = LostContactCase.objects.select_related("member", "organization", "opened_by")
    if own is None:
        return cases
    # The few cases others asked this user's units to help with, read once (cached on the user):
    # an OR with a subquery would keep PostgreSQL from using the path index on every case query.
    assisted = user.__dict__.get("_lianxin_assisted")
    if assisted is None:
        assisted = user.__dict__["_lianxin_assisted"] = list(
            assisted_case_ids(user)[:1000].values_list("case_id", flat=True)
        )
    return cases.filter(own | Q(pk__in=assisted)) if assisted else cases.filter(own)


def is_helper_only(user, case):
    """The user sees this case only because their organization was asked for help."""
    return not access.can(user, access.VIEW, case)
