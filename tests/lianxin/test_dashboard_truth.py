"""The 工作台 tells the truth: for every demo tier and every panel, the number on the card is the
number of rows of the list the card opens, and the panels come most urgent first.

The world is the full demo (lianxin/demo.py and each app's demo.seed) plus, for the panels the
demo leaves empty, one case each (a lost member nobody searches for yet, a graduate, a member
abroad, a 协查 request, a 限期改正 ending, a 停止党籍 two years old), so that no panel is
checked only at zero.
"""

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disposition.models import Disposition, DispositionStatus
from disposition.outcomes import Outcome
from lianxin.dashboard import panels_for
from lianxin.demo import DEMO_LOGINS
from members.models import Absence, ContactStatus, PartyStatus
from members.status import add_months
from tests.conftest import ORG
from tests.factories import CaseFactory, MemberFactory
from tests.lianxin.test_shown_actions_work import awaiting_the_branch_and_the_committee
from tracing import services as tracing_services
from tracing.models import CaseStatus

TIERS = [*sorted(DEMO_LOGINS), "admin"]


def add_what_the_demo_lacks(world, branch_code):
    """One row for each panel the demo leaves at zero, in the branch `branch_code`."""
    today = timezone.localdate()
    branch = world.orgs[branch_code]
    # The branch's own secretary (a demo login): the superuser only reads.
    secretary = next(world.users[name] for name, spec in DEMO_LOGINS.items() if spec[0] == branch_code)
    MemberFactory(
        organization=branch, last_contact_on=today - timedelta(days=250), contact_status=ContactStatus.LOST
    )
    Absence.objects.create(
        member=MemberFactory(organization=branch, last_contact_on=today - timedelta(days=30)),
        kind="graduate",
        left_on=add_months(today, -23),
        destination="西北大学",
    )
    Absence.objects.create(
        member=MemberFactory(organization=branch, last_contact_on=today - timedelta(days=200)),
        kind="abroad",
        left_on=today - timedelta(days=400),
        destination="新加坡",
        country="新加坡",
    )
    searched = CaseFactory(member=MemberFactory(organization=branch), opened_by=secretary)
    tracing_services.assistance_request(
        case=searched,
        to_organization=world.orgs[ORG["branch_b2"]],
        text="请协助查找",
        acting_user=secretary,
    )
    for outcome, party_status, extra in (
        (Outcome.CORRECTION, PartyStatus.CORRECTION, {"correction_until": today + timedelta(days=10)}),
        (Outcome.SUSPEND_UNREACHABLE, PartyStatus.SUSPENDED, {"approved_on": today - timedelta(days=800)}),
    ):
        member = MemberFactory(organization=branch, party_status=party_status)
        case = CaseFactory(
            member=member,
            opened_by=secretary,
            status=CaseStatus.UNREACHABLE,
            closed_on=today - timedelta(900),
        )
        Disposition.objects.create(
            case=case,
            member=member,
            organization=branch,
            outcome=outcome,
            contacted=False,
            proposal="x",
            proposed_by=secretary,
            proposed_on=today - timedelta(days=900),
            status=DispositionStatus.APPROVED,
            **{"approved_on": today - timedelta(days=100), **extra},
        )


def _client(world, username):
    client = Client()
    client.force_login(world.admin if username == "admin" else world.users[username])
    return client


def test_every_card_counts_the_rows_of_the_list_it_opens(db):
    from lianxin.demo import seed

    world = seed()
    add_what_the_demo_lacks(world, ORG["branch_a1"])
    mismatches, counted = [], {}
    for username in TIERS:
        user = world.admin if username == "admin" else world.users[username]
        client = _client(world, username)
        for panel in panels_for(user):
            response = client.get(panel.url)
            assert response.status_code == 200, f"{username} {panel.title}: {panel.url}"
            # a list's rows; the 待办 page's cards count the entries of the tab they open
            context = response.context
            rows = context["page"].paginator.count if "page" in context else len(context["entries"])
            if rows != panel.count:
                mismatches.append(f"{username} {panel.title}: card {panel.count}, list {rows} ({panel.url})")
            counted[panel.title] = max(counted.get(panel.title, 0), panel.count)
    assert not mismatches, "\n".join(mismatches)
    assert len(counted) == 17 and all(counted.values()), counted  # no panel checked only at zero


def test_urgent_first_zeros_last(db):
    from lianxin.demo import seed

    world = seed()
    awaiting_the_branch_and_the_committee(world)
    panels = panels_for(world.users["committee_a"])
    counts = [p.count for p in panels]
    assert counts.index(0) == len(counts) - counts[::-1].count(0)  # the empty ones all at the end
    shown = [p for p in panels if p.count]
    assert [p.rank for p in shown] == sorted(p.rank for p in shown)
    assert shown[0].title == "待我审批"  # waiting on the committee comes first
    page = _client(world, "committee_a").get(reverse("home")).content.decode()
    assert page.index("待我审批") < page.index("待党委再次查找") < page.index("联系不上，需立即查找")
    assert page.index("正在查找的案件") > page.index("其他事项")  # ongoing work one line, one click away
    zero = next(p for p in panels if not p.count)  # zeros muted at the end
    assert page.index(f'<span>{zero.title}</span> <span class="count">0</span>') > page.index("暂无")


def test_the_workbench_reads_as_many_queries_whatever_the_rows(world, client_for):
    client = client_for("county")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home")).status_code == 200
        return len(ctx.captured_queries)

    count()  # fills the cache of the scope's unit counts
    for _ in range(7):  # every panel past the five rows it shows
        add_what_the_demo_lacks(world, ORG["branch_a1"])
    many = count()
    for _ in range(3):
        add_what_the_demo_lacks(world, ORG["branch_a2"])
    assert count() == many


def test_every_status_is_a_list_filter(world, org, client_for):
    from members.models import Member
    from tracing.models import LostContactCase

    for status in ContactStatus.values:
        MemberFactory(organization=org("branch_a1"), contact_status=status)
    for party_status in PartyStatus.values:
        MemberFactory(organization=org("branch_a1"), party_status=party_status)
    for case_status in CaseStatus.values:
        CaseFactory(
            member=MemberFactory(organization=org("branch_a1")),
            opened_by=world.users["branch_a1"],
            status=case_status,
        )
    MemberFactory(organization=org("branch_a1"), unreachable_since=timezone.localdate())
    client = client_for("committee_a")

    def rows(url, params):
        return client.get(url, params).context["page"].paginator.count

    members = reverse("members:member_list")
    for status in ContactStatus.values:
        expected = Member.objects.filter(
            contact_status=status, party_status__in=["normal", "correction", "suspended"]
        ).count()
        assert rows(members, {"status": status}) == expected > 0
    for party_status in PartyStatus.values:
        assert (
            rows(members, {"party": party_status}) == Member.objects.filter(party_status=party_status).count()
        )
    assert rows(members, {"due": "unreachable"}) == 1  # 联系不上
    cases = reverse("tracing:case_list")
    for case_status in CaseStatus.values:
        assert (
            rows(cases, {"status": case_status}) == LostContactCase.objects.filter(status=case_status).count()
        )
    inbox = reverse("disposition:inbox")
    for status in DispositionStatus.values:
        assert rows(inbox, {"due": f"status_{status}"}) == Disposition.objects.filter(status=status).count()
