"""Every page a user can open costs the same number of queries whatever the number of rows.

The pages come from the access matrix (tests/test_access_matrix.py, itself from the URL
resolver), so a new page is measured without being listed here. Each page is requested by the
first tier that may see it, once after one round of rows and once after three more: members with
their contacts, dues, absences, talks, transfers and contact records, cases with attempts and
assistance requests, dispositions with delegated steps — in the branch the matrix builds its
objects in, and on the object the URL names. The query count must not move.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lianxin.models import Post
from tests.access_matrix import BRANCH_A1, INSIDE
from tests.factories import MemberFactory, branch_officer
from tests.test_access_matrix import MATRIX
from tests.tracing.matrix import case as case_in_branch

# The administrators' page of daily jobs is seen by no tier (tests/lianxin/test_daily.py).
ADMIN_ONLY = {"daily_runs"}


def viewer(entry):
    """The first inside tier whose GET is answered 200 (None: the page is not a GET page)."""
    for persona in INSIDE:
        if entry.expect_get.get(persona, entry.get_status) in (None, 200):
            return persona
    return None


PAGES = sorted(name for name, entry in MATRIX.items() if name not in ADMIN_ONLY and viewer(entry))


def member_rows(world, member, n, day):
    from members.models import Absence, Contact, DuesPayment, Transfer, TransferFollowUp
    from members.services import contact_record
    from members.talks import Talk

    user = world.users["branch_a1"]
    start = member.dues.count()
    for i in range(n):
        month = (day.replace(day=1) - timedelta(days=31 * (start + i + 1))).replace(day=1)
        DuesPayment.objects.create(member=member, month=month, amount=10, paid_on=day, recorded_by=user)
        Contact.objects.create(member=member, name=f"联系人{i}", relation="父亲", phone="13900000000")
        absence = Absence.objects.create(
            member=member, left_on=day - timedelta(days=30 + i), destination="西安"
        )
        Talk.objects.create(
            member=member,
            absence=absence,
            kind="departure",
            on=absence.left_on,
            talker="刘桂兰",
            record="行前谈话",
            recorded_by=user,
        )
        transfer = Transfer.objects.create(
            member=member,
            direction="out",
            nature="temporary",
            other_organization="某党支部",
            talk_on=day - timedelta(days=i),
            talk_record="谈话",
            recorded_by=user,
        )
        TransferFollowUp.objects.create(transfer=transfer, on=day, note="电话跟踪", recorded_by=user)
        contact_record(
            member=member, on=day - timedelta(days=i), kind="phone", note="电话联系上本人", acting_user=user
        )


def case_rows(world, case, n):
    from tracing import services

    for i in range(n):
        services.attempt_log(
            case=case,
            acting_user=world.users["branch_a1"],
            channel="phone",
            process=f"第{i}次拨打电话无人接听",
            result="no_trace",
        )
        services.assistance_request(
            case=case,
            to_organization=world.orgs["610581003001"],
            text="请协助查找",
            acting_user=world.users["branch_a1"],
        )


def delegated_steps(world, disposition, n, day):
    """Steps made by different delegates for different posts: every one names three other rows."""
    from disposition.models import DispositionStep

    posts = list(
        Post.objects.filter(ended_on__isnull=True).select_related("user", "organization")[: 2 * n + 2]
    )
    for i in range(n):
        post = posts[(disposition.steps.count() + i) % len(posts)]
        DispositionStep.objects.create(
            disposition=disposition,
            stage="branch_committee",
            decision="agree",
            opinion="同意",
            acting_user=posts[-1 - i].user,
            organization=post.organization,
            on_behalf_of=post,
            decided_on=day,
        )


def grow(world, name, kwargs, n):
    """n more rows of every kind in branch_a1, and on the object the URL names."""
    from disposition import services
    from disposition.models import Disposition
    from disposition.outcomes import Outcome
    from members.models import Member
    from tracing.models import LostContactCase

    day = timezone.localdate()
    for _ in range(n):
        member = MemberFactory(organization=world.orgs[BRANCH_A1], last_contact_on=day - timedelta(days=170))
        member_rows(world, member, 1, day)
        case_rows(world, case_in_branch(world), 1)
        closed = case_in_branch(world, status="unreachable", closed_on=day - timedelta(days=10))
        proposed = services.disposition_propose(
            case=closed,
            outcome=Outcome.LAPSED_REMOVE,
            proposal="拟作自行脱党除名",
            acting_user=branch_officer(),
        )
        delegated_steps(world, proposed, 1, day)
    pk = (kwargs or {}).get("pk")
    if name.startswith("members:member_") and pk:
        member_rows(world, Member.objects.get(pk=pk), n, day)
    if name.startswith("tracing:case_") and pk:
        case_rows(world, LostContactCase.objects.get(pk=pk), n)
    if name == "reports:record_pdf":
        case_rows(world, LostContactCase.objects.get(pk=kwargs["case_pk"]), n)
    if name.startswith("disposition:") and pk:
        delegated_steps(world, Disposition.objects.get(pk=pk), n, day)


def queries_of(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", PAGES)
def test_query_count_does_not_grow_with_the_rows(world, client_for, name):
    entry = MATRIX[name]
    kwargs = entry.build(world) if entry.build else None
    url = reverse(name, kwargs=kwargs) + entry.query_for(world)
    client = client_for(viewer(entry))
    queries_of(client, url)  # fills what the page keeps in the cache (the scope's unit counts)
    grow(world, name, kwargs, 1)
    small = queries_of(client, url)
    grow(world, name, kwargs, 3)
    large = queries_of(client, url)
    assert large == small, f"{name}: {small} queries with 1 round of rows, {large} with 4"


def test_the_case_page_shows_a_chain_of_delegated_steps_in_fixed_queries(world, client_for):
    """The case page walks every disposition's steps (disposition/_chain.html → _steps.html)."""
    from disposition import services
    from disposition.outcomes import Outcome

    day = timezone.localdate()
    closed = case_in_branch(world, status="unreachable", closed_on=day - timedelta(days=10))
    proposed = services.disposition_propose(
        case=closed, outcome=Outcome.LAPSED_REMOVE, proposal="拟作自行脱党除名", acting_user=branch_officer()
    )
    client, url = client_for("committee_a"), reverse("tracing:case_detail", args=[closed.pk])
    delegated_steps(world, proposed, 1, day)
    small = queries_of(client, url)
    delegated_steps(world, proposed, 3, day)
    page = client.get(url).content.decode()
    assert queries_of(client, url) == small
    assert page.count("代为办理") >= 4
