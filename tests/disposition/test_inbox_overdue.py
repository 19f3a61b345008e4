"""The inbox's 超期 list below the page: dispositions in review for over 30 days that do not wait
on the user — found by the inbox's own condition on each row, the same rows as leaving out the
inbox's query (disposition/views.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from disposition.models import Disposition, DispositionStatus
from disposition.services import inbox_q
from tests.disposition.test_approval_page import _agree, _propose, _unreachable_case


@pytest.fixture
def long_waiting(world, org):
    """Two dispositions waiting for committee_a's review for 40 days, one for 10 days."""
    out = []
    for name, days in (("甲", 40), ("乙", 40), ("丙", 10)):
        d = _propose(world, _unreachable_case(world, org, name=f"韩{name}"))
        _agree(world, d, "branch_a1", "branch_committee")
        d.refresh_from_db()
        d.stage_since = timezone.localdate() - timedelta(days=days)
        d.save()
        out.append(d)
    return out


@pytest.mark.parametrize(
    ("username", "shown"), [("committee_a", 0), ("county", 2), ("branch_a1", 2), ("admin", 2)]
)
def test_overdue_below_is_what_waits_elsewhere(world, long_waiting, client_for, username, shown):
    user = world.admin if username == "admin" else world.users[username]  # the admin takes no stage
    page = client_for(username).get(reverse("disposition:inbox"))
    below = [d.pk for d in page.context["overdue_below"]]
    waiting = Disposition.objects.filter(inbox_q(user))
    expected = [
        d.pk
        for d in Disposition.objects.filter(
            status=DispositionStatus.IN_REVIEW, stage_since__lt=timezone.localdate() - timedelta(days=30)
        )
        .exclude(pk__in=waiting.values("pk"))
        .order_by("stage_since", "pk")
    ]
    assert below == expected and len(below) == shown
    on_page = {d.pk for d in page.context["page"].object_list}
    assert not on_page & set(below)
