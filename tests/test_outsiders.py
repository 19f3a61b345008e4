"""Pages that name no object in their URL (lists, 待办, 工作台) show an outsider none of another
unit's rows. The access matrix checks that such pages open for every tier; this checks what
they show. The pages come from the matrix, so a new list page is checked without being listed.

branch_a1 gets a member near the 150-day mark, a case without an attempt and a disposition
awaiting its 支委会 — work that lands in lists, on the 工作台 and in the 待办 inbox. Then
branch_a2 and committee_b (outside) must not see any of it on any page, while branch_a1 does
where the page is about that work.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin import overdue
from tests.access_matrix import BRANCH_A1, OUTSIDE
from tests.factories import CaseFactory, MemberFactory, branch_officer
from tests.test_access_matrix import MATRIX

# The 150-day member, the case's member, the disposition's member: names found nowhere else.
NAMES = ("隔壁预警", "隔壁查找", "隔壁处置")

LIST_PAGES = sorted(
    name
    for name, entry in MATRIX.items()
    if entry.build is None and all(entry.expect_get.get(p, entry.get_status) in (None, 200) for p in OUTSIDE)
)

# Where branch_a1 itself must find its work (so the outsiders' pages are not empty by accident).
INSIDER_SEES = {
    "members:member_list": NAMES,
    "tracing:case_list": NAMES[1:],
    "disposition:inbox": NAMES[2:],
    "todo": NAMES[:2],
}


@pytest.fixture
def work_of_branch_a1(world):
    from disposition import services
    from disposition.outcomes import Outcome

    today = timezone.localdate()
    branch = world.orgs[BRANCH_A1]
    MemberFactory(organization=branch, name=NAMES[0], last_contact_on=today - timedelta(days=160))
    CaseFactory(
        member=MemberFactory(organization=branch, name=NAMES[1]),
        opened_by=world.users["branch_a1"],
        opened_on=today - timedelta(days=60),
    )
    closed = CaseFactory(
        member=MemberFactory(organization=branch, name=NAMES[2]),
        opened_by=world.users["branch_a1"],
        status="unreachable",
        closed_on=today - timedelta(days=10),
    )
    services.disposition_propose(
        case=closed, outcome=Outcome.LAPSED_REMOVE, proposal="拟作自行脱党除名", acting_user=branch_officer()
    )


def pages_of(client, name, world):
    """Every view of the page: the 待办 inbox has a tab per kind of work."""
    url = reverse(name) + MATRIX[name].query_for(world)
    urls = [url] + ([f"{url}?tab={tab}" for tab in overdue.TABS] if name == "todo" else [])
    for each in urls:
        response = client.get(each)
        assert response.status_code == 200, each
        yield each, response.content.decode()


def test_every_list_page_is_checked():
    assert {"home", "todo", "members:member_list", "tracing:case_list", "disposition:inbox"} <= set(
        LIST_PAGES
    )


@pytest.mark.parametrize("name", LIST_PAGES)
def test_outsiders_see_none_of_another_units_work(world, client_for, work_of_branch_a1, name):
    for persona in OUTSIDE:
        for url, html in pages_of(client_for(persona), name, world):
            shown = [n for n in NAMES if n in html]
            assert not shown, f"{persona} sees {shown} on {url}"
    if name in INSIDER_SEES:
        html = "".join(html for _url, html in pages_of(client_for("branch_a1"), name, world))
        for needle in INSIDER_SEES[name]:
            assert needle in html, f"branch_a1 does not see {needle} on {name}"
