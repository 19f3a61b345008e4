"""A large scope's lists take their totals from the counters (lianxin/listcounts.py) when the
counters count exactly their rows, and count their rows otherwise: the number is the same either
way, per tier, with and without filters, and the counted list runs no count over its rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lianxin import dashboard
from members.models import ContactStatus, PartyStatus
from tests.factories import CaseFactory, MemberFactory
from tracing import services as tracing
from tracing.models import CaseStatus

TIERS = ["branch_a1", "committee_a", "county", "admin"]


@pytest.fixture
def people(world, org):
    """Members of every kind the list tells apart, in three branches of two committees."""
    today = timezone.localdate()
    for name in ("branch_a1", "branch_a2", "branch_b1"):
        MemberFactory(
            organization=org(name),
            last_contact_on=today - timedelta(days=160),
            contact_status=ContactStatus.WARNING,
        )
        MemberFactory(organization=org(name), contact_status=ContactStatus.OUT_OF_CONTROL)
        MemberFactory(organization=org(name), party_status=PartyStatus.SUSPENDED)
        MemberFactory(organization=org(name), party_status=PartyStatus.CORRECTION, unreachable_since=today)
        MemberFactory(organization=org(name), party_status=PartyStatus.EXPELLED)
        lost = MemberFactory(
            organization=org(name),
            last_contact_on=today - timedelta(days=400),
            contact_status=ContactStatus.LOST,
        )
        CaseFactory(member=lost, opened_by=world.users[name])
        for status in (CaseStatus.CONTACTED, CaseStatus.UNREACHABLE, CaseStatus.DECEASED):
            CaseFactory(
                member=MemberFactory(organization=org(name)), opened_by=world.users[name], status=status
            )
    return today


def listed(client, url):
    """(the list's total as the page states it, the queries that counted rows of a table)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    counts = [q["sql"] for q in ctx.captured_queries if q["sql"].upper().startswith("SELECT COUNT(")]
    return response.context["page"].paginator.count, counts


def rows_on_every_page(client, url):
    """The rows the list really holds, read page by page (the truth the total must equal)."""
    seen, page = 0, 1
    while True:
        response = client.get(f"{url}{'&' if '?' in url else '?'}page={page}")
        current = response.context["page"]
        seen += len(current.object_list)
        if not current.has_next():
            return seen
        page += 1


MEMBER_QUERIES = [  # (query, whose total the counters give)
    ("", True),  # as opened: 党籍正常、限期改正、停止党籍
    ("?due=unreachable", True),
    ("?due=out_of_control", True),
    ("?org={unit}", True),
    ("?org={unit}&due=unreachable", True),
    ("?status=lost", False),  # the counters follow no other filter: the rows are counted
    ("?party=suspended", False),
    ("?all=1", False),
    ("?q=党员", False),
    ("?due=approaching", False),
]


@pytest.mark.parametrize("username", TIERS)
@pytest.mark.parametrize(("query", "counted"), MEMBER_QUERIES)
def test_the_member_list_total_is_its_rows_with_counters_or_without(
    people, org, client_for, monkeypatch, username, query, counted
):
    client = client_for(username)
    unit = org("branch_a1" if username == "branch_a1" else "committee_a")  # a unit within the scope
    url = reverse("members:member_list") + query.format(unit=unit.pk)
    small, small_counts = listed(client, url)
    monkeypatch.setattr(dashboard, "LARGE_SCOPE", 0)  # every tier reads the counters
    large, large_counts = listed(client, url)
    assert small == large == rows_on_every_page(client, url) > 0
    assert len([sql for sql in small_counts if '"members_member"' in sql]) == 1  # a small scope counts
    assert len([sql for sql in large_counts if '"members_member"' in sql]) == (0 if counted else 1)


def test_the_total_follows_a_change_of_party_status(people, org, client_for, monkeypatch):
    monkeypatch.setattr(dashboard, "LARGE_SCOPE", 0)
    client, url = client_for("county"), reverse("members:member_list")
    before, _ = listed(client, url)
    member = MemberFactory(organization=org("branch_b2"))
    assert listed(client, url)[0] == before + 1
    member.party_status = PartyStatus.SUSPENDED  # still listed
    member.save()
    assert listed(client, url)[0] == before + 1
    member.party_status = PartyStatus.EXPELLED  # no longer
    member.save()
    assert listed(client, url)[0] == before == rows_on_every_page(client, url)


CASE_QUERIES = [  # (query, whose total the counters give)
    ("", True),  # every status
    ("?status=open", True),
    ("?status=unreachable", True),
    ("?due=searching", True),
    ("?due=second_search_due", True),
    ("?band=1to2", False),  # the counters follow no other filter: the rows are counted
    ("?q=党员", False),
    ("?org={unit}", False),
    ("?due=searching&status=open", False),
]


@pytest.mark.parametrize("username", TIERS)
@pytest.mark.parametrize(("query", "counted"), CASE_QUERIES)
def test_the_case_list_total_is_its_rows_with_counters_or_without(
    people, org, client_for, monkeypatch, username, query, counted
):
    client = client_for(username)
    unit = org("branch_a1" if username == "branch_a1" else "committee_a")
    url = reverse("tracing:case_list") + query.format(unit=unit.pk)
    small, small_counts = listed(client, url)
    monkeypatch.setattr(dashboard, "LARGE_SCOPE", 0)
    large, large_counts = listed(client, url)
    assert small == large == rows_on_every_page(client, url) > 0
    assert len([sql for sql in small_counts if '"tracing_lostcontactcase"' in sql]) == 1
    assert len([sql for sql in large_counts if '"tracing_lostcontactcase"' in sql]) == (0 if counted else 1)


def test_a_helper_s_case_list_counts_the_cases_it_was_asked_about(
    people, world, org, client_for, monkeypatch
):
    """协查 cases from outside the scope are in no counter of it: that list counts its rows."""
    asked = CaseFactory(
        member=MemberFactory(organization=org("branch_a1")), opened_by=world.users["branch_a1"]
    )
    tracing.assistance_request(
        case=asked,
        to_organization=org("committee_b"),
        text="请协助查找",
        acting_user=world.users["branch_a1"],
    )
    monkeypatch.setattr(dashboard, "LARGE_SCOPE", 0)
    client, url = client_for("committee_b"), reverse("tracing:case_list")
    total, counts = listed(client, url)
    assert total == rows_on_every_page(client, url) == 4 + 1  # branch_b1's four cases and the one asked about
    assert len([sql for sql in counts if '"tracing_lostcontactcase"' in sql]) == 1
