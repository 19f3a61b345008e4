"""What a page shows, works: every action link and button rendered for a demo tier is followed
as that tier and never answers 403 or 404.

The pages are those of the full demo data (lianxin/demo.py and each app's demo.seed): the lists,
every case and disposition page in each tier's scope, the pages of the members in every state
(with a case, away, transferred out, and a few of each contact status), the report pages.
Actions carry data-action (lianxin_actions); links are requested, POST buttons submitted inside
a transaction that is rolled back, so each tier sees the same data. A download (PDF, Excel) is
generated once per tier and action: a PDF takes seconds, and every link of the action asks the
same right of the same scope.
"""

from html.parser import HTMLParser

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disposition.models import Disposition
from lianxin import access
from lianxin.demo import DEMO_LOGINS
from members.models import ContactStatus, Member
from tests.factories import CaseFactory, MemberFactory, branch_officer
from tests.security.test_attachments import upload
from tracing.models import CaseStatus
from tracing.queries import cases_visible_to

TIERS = sorted(DEMO_LOGINS)


class ActionParser(HTMLParser):
    """Collects (method, url, form data) of every element with data-action."""

    def __init__(self):
        super().__init__()
        self.found = []
        self.form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "data-action" in attrs:
            self.found.append((attrs["data-action"], "get", attrs["href"], None))
        elif tag == "form" and "data-action" in attrs:
            self.form = (attrs["data-action"], attrs.get("method", "get").lower(), attrs["action"], {})
            self.found.append(self.form)
        elif (
            tag == "input" and self.form and attrs.get("type") in ("hidden", "checkbox") and attrs.get("name")
        ):
            self.form[3][attrs["name"]] = attrs.get("value", "on")

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None


def actions_on(html):
    parser = ActionParser()
    parser.feed(html)
    return parser.found


class _RolledBack(Exception):
    pass


def post_and_roll_back(client, url, data):
    try:
        with transaction.atomic():
            status = client.post(url, data).status_code
            raise _RolledBack(status)
    except _RolledBack as done:
        return done.args[0]


def pages_of(user, world):
    """The list pages, and every member, case and disposition page in the user's scope."""
    top = world.orgs[DEMO_LOGINS[user.username][0]]
    report = f"?org={top.pk}"
    yield from (
        reverse("home"),
        reverse("members:member_list"),
        reverse("tracing:case_list"),
        reverse("tracing:census_list"),
        reverse("disposition:inbox"),
        reverse("reports:index"),
        reverse("reports:statistics") + report,
        reverse("reports:submission_status") + report,
        reverse("reports:trends") + report,
        reverse("organization_detail", args=[top.pk]),
        reverse("todo"),
    )
    members = access.scoped(user, access.VIEW, Member.objects.all())
    pks = set(
        members.filter(
            Q(cases__isnull=False)
            | Q(absences__isnull=False, absences__returned_on__isnull=True)
            | Q(transfers__direction="out", transfers__receipt_received_on__isnull=True)
        ).values_list("pk", flat=True)
    )
    for status in ContactStatus.values:
        pks.update(members.filter(contact_status=status).order_by("pk").values_list("pk", flat=True)[:3])
    for pk in sorted(pks):
        yield reverse("members:member_detail", args=[pk])
    for pk in cases_visible_to(user).values_list("pk", flat=True):
        yield reverse("tracing:case_detail", args=[pk])
    for pk in access.scoped(user, access.VIEW, Disposition.objects.all()).values_list("pk", flat=True):
        yield reverse("disposition:disposition_detail", args=[pk])


def awaiting_the_branch_and_the_committee(world):
    """Two 除名 proposed by 东街's 组织委员: one awaiting its 支委会 (branch_a1 decides), one whose
    支委会 branch_a1 decided, awaiting 城关镇党委 (committee_a). The demo's own dispositions wait
    elsewhere today, and separation of duties keeps each out of its proposer's hands."""
    from django.contrib.auth import get_user_model

    from disposition import services as chain

    branch = world.orgs[DEMO_LOGINS["branch_a1"][0]]
    proposer = get_user_model().objects.get(username=f"zz_{branch.code}")
    proposals = []
    for _ in range(2):
        case = CaseFactory(
            member=MemberFactory(organization=branch),
            opened_by=proposer,
            status=CaseStatus.UNREACHABLE,
            closed_on=timezone.localdate(),
        )
        proposals.append(
            chain.disposition_propose(
                case=case, outcome="lapsed_remove", proposal="拟除名", acting_user=proposer
            )
        )
    expected = chain.voters(branch, excluding=proposals[1].member)
    chain.step_decide(
        disposition=proposals[1],
        stage="branch_committee",
        decision="agree",
        opinion="支委会同意",
        acting_user=world.users["branch_a1"],
        meeting={"meeting_date": timezone.localdate(), "present": expected, "votes_for": expected},
    )
    return proposals


def test_every_action_shown_to_a_tier_works_for_it(db):
    from lianxin.demo import seed

    world = seed()
    awaiting_the_branch_and_the_committee(world)
    seen = {}
    failures = []
    for username in TIERS:
        user = world.users[username]
        client = Client()
        client.force_login(user)
        followed = set()
        downloaded = set()
        for page in pages_of(user, world):
            response = client.get(page)
            assert response.status_code == 200, f"{username} {page}: {response.status_code}"
            for name, method, url, data in actions_on(response.content.decode()):
                seen.setdefault(name, set()).add(username)
                if (method, url) in followed or name in downloaded:
                    continue
                followed.add((method, url))
                if method == "post":
                    status = post_and_roll_back(client, url, data)
                else:
                    response = client.get(url)
                    status = response.status_code
                    if response.get("Content-Disposition", "").startswith("attachment"):
                        downloaded.add(name)
                if status in (403, 404) or status >= 500:
                    failures.append(f"{username} on {page}: {name} {method.upper()} {url} → {status}")
    assert not failures, "\n".join(failures)
    # The demo data shows the secretaries', the committees' and the county's actions.
    assert {
        "members:member_edit",
        "members:member_add",
        "members:contact_record",
        "tracing:case_open",
        "tracing:case_edit",
        "tracing:case_contact",
        "tracing:attempt_add",
        "tracing:attempt_correct",
        "disposition:step_decide",
        "disposition:disposition_propose",
        "reports:record_pdf",
        "reports:statistics_xlsx",
        "reports:trends",
        "reveal_value.id_number",
        "delegation_add",
    } <= seen.keys()
    assert seen["disposition:step_decide"] >= {"branch_a1", "committee_a", "county"}


@pytest.fixture
def proposal(world, org):
    """A 自行脱党除名 proposed by branch_a1 and not yet decided by its 支委会."""
    from disposition import services

    member = MemberFactory(organization=org("branch_a1"))
    case = CaseFactory(
        member=member,
        opened_by=world.users["branch_a1"],
        status=CaseStatus.UNREACHABLE,
        closed_on="2026-07-01",
    )
    return services.disposition_propose(
        case=case, outcome="lapsed_remove", proposal="拟作自行脱党除名", acting_user=world.users["branch_a1"]
    )


def _actions(client, url):
    return {name for name, *_rest in actions_on(client.get(url).content.decode())}


def test_withdraw_and_propose_are_offered_only_to_the_branch(world, client_for, proposal):
    from disposition import services

    page = reverse("disposition:disposition_detail", args=[proposal.pk])
    assert "disposition:disposition_withdraw" in _actions(client_for("branch_a1"), page)
    for tier in ("committee_a", "county"):
        assert "disposition:disposition_withdraw" not in _actions(client_for(tier), page)
        assert "撤回" not in client_for(tier).get(page).content.decode()
    services.disposition_withdraw(
        disposition=proposal, acting_user=world.users["branch_a1"], reason="补充材料"
    )
    case_page = reverse("tracing:case_detail", args=[proposal.case_id])
    assert "disposition:disposition_propose" in _actions(client_for("branch_a1"), case_page)
    for tier in ("committee_a", "county"):
        shown = _actions(client_for(tier), case_page)
        assert "disposition:disposition_propose" not in shown
        assert "disposition:expulsion_record" in shown  # theirs to record
    assert "disposition:expulsion_record" not in _actions(client_for("branch_a1"), case_page)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _propose(world, org):
    member = MemberFactory(organization=org("branch_a1"))
    case = CaseFactory(
        member=member,
        opened_by=world.users["branch_a1"],
        status=CaseStatus.UNREACHABLE,
        closed_on="2026-07-01",
    )
    from disposition import services

    return services.disposition_propose(
        case=case, outcome="lapsed_remove", proposal="拟除名", acting_user=world.users["branch_a1"]
    )


def test_decide_is_shown_exactly_where_separation_of_duties_lets_it_work(world, org, client_for, proposal):
    """The proposer holds the branch's right but the service refuses them: no 办理 on the page or
    in the inbox, and the page says why. The branch's 组织委员 gets the link, and it works."""
    page = reverse("disposition:disposition_detail", args=[proposal.pk])
    inbox = reverse("disposition:inbox")
    proposer = client_for("branch_a1")
    assert "disposition:step_decide" not in _actions(proposer, page)
    assert "提出处置意见的人不能办理" in proposer.get(page).content.decode()
    assert "disposition:step_decide" not in _actions(proposer, inbox)
    officer = _client(branch_officer())
    assert "disposition:step_decide" in _actions(officer, page)
    shown = [
        url
        for name, _m, url, _d in actions_on(officer.get(inbox).content.decode())
        if name.endswith("decide")
    ]
    assert shown == [reverse("disposition:step_decide", args=[proposal.pk])]
    assert officer.get(shown[0]).status_code == 200

    # Asking separation of duties of each row costs no query per row.
    def inbox_queries():
        with CaptureQueriesContext(connection) as ctx:
            officer.get(inbox)
        return len(ctx.captured_queries)

    few = inbox_queries()
    for _ in range(3):
        _propose(world, org)
    assert len(actions_on(officer.get(inbox).content.decode())) >= 4
    assert inbox_queries() == few


def test_a_committee_attempt_is_corrected_only_with_the_committee_right(world, client_for):
    """The committee's second search is corrected under the committee's right: the branch, which
    only logs searches, is not offered 更正 on it (attempt_log would refuse it)."""
    from tracing import services

    case = CaseFactory(
        member=MemberFactory(organization=world.orgs["610581001001"]),
        opened_by=world.users["branch_a1"],
        status=CaseStatus.UNREACHABLE,
        closed_on="2026-07-01",
    )
    services.attempt_log(
        case=case,
        acting_user=world.users["committee_a"],
        channel="police",
        process="党委再次查找：公安户籍查询",
        result="no_trace",
        searched_at=timezone.now(),
        by_committee=True,
    )
    page = reverse("tracing:case_detail", args=[case.pk])
    assert "tracing:attempt_correct" not in _actions(client_for("branch_a1"), page)
    shown = actions_on(client_for("committee_a").get(page).content.decode())
    correct = [url for name, _m, url, _d in shown if name == "tracing:attempt_correct"]
    assert len(correct) == 1 and client_for("committee_a").get(correct[0]).status_code == 200


def test_the_attachment_is_offered_to_the_helper_of_a_search(world, org, client_for):
    """A 协查 helper sees the one case it was asked about, and its attachments (the download view's rule)."""
    from tracing import services

    case = CaseFactory(
        member=MemberFactory(organization=org("branch_a1")), opened_by=world.users["branch_a1"]
    )
    assert upload(client_for("branch_a1"), case).status_code == 302
    services.assistance_request(
        case=case, to_organization=org("branch_b1"), text="请协助查找", acting_user=world.users["branch_a1"]
    )
    helper = client_for("branch_b1")
    shown = actions_on(helper.get(reverse("tracing:case_detail", args=[case.pk])).content.decode())
    downloads = [url for name, _m, url, _d in shown if name == "tracing:attempt_attachment"]
    assert len(downloads) == 1 and helper.get(downloads[0]).status_code == 200
    assert not {name for name, *_ in shown} & {
        "tracing:attempt_add",
        "tracing:attempt_correct",
        "tracing:case_contact",
    }
