"""Demo dispositions: one at each kind of stage, including a 除名 waiting for the county.
Each is proposed by the branch's 组织委员 and decided by others, stage by stage (separation of
duties). Idempotent: cases that already have a disposition are skipped."""

from django.utils import timezone

from disposition import services
from disposition.models import Decision
from disposition.outcomes import Outcome
from lianxin.models import Post
from tracing.models import CaseStatus, LostContactCase


def _holder(org, title):
    post = (
        Post.objects.filter(organization=org, title=title, ended_on__isnull=True)
        .select_related("user")
        .first()
    )
    return post.user if post else None


def _meeting(disposition):
    expected = services.voters(disposition.organization, excluding=disposition.member)
    return {
        "meeting_date": timezone.localdate(),
        "present": expected,
        "votes_for": expected,
        "votes_against": 0,
        "votes_abstain": 0,
    }


def _advance(disposition, users, count):
    for _ in range(count):
        disposition.refresh_from_db()
        stage = disposition.stage
        if stage is None:
            return
        user = users[stage.tier]
        services.step_decide(
            disposition=disposition,
            stage=stage.key,
            decision=Decision.AGREE,
            acting_user=user,
            opinion=f"同意。（{stage.title}）",
            meeting=_meeting(disposition) if stage.meeting else None,
        )


def seed(world, rng, stdout=None):
    users_by_committee = {"610581001": world.users["committee_a"], "610581002": world.users["committee_b"]}
    cases = LostContactCase.objects.filter(
        status__in=[CaseStatus.UNREACHABLE, CaseStatus.CONTACTED], dispositions__isnull=True
    ).select_related("organization", "member")
    plans = {
        CaseStatus.UNREACHABLE: [
            (Outcome.LAPSED_REMOVE, 5),
            (Outcome.SUSPEND_UNREACHABLE, 4),
            (Outcome.LAPSED_REMOVE, 1),
        ],
        CaseStatus.CONTACTED: [(Outcome.RETAIN, 4), (Outcome.CORRECTION, 2), (Outcome.PERSUADE, 3)],
    }
    made = 0
    for case in cases:
        committee = next(
            (
                users_by_committee[code]
                for code in users_by_committee
                if case.organization.code.startswith(code)
            ),
            None,
        )
        if committee is None or not plans[case.status]:
            continue
        outcome, steps = plans[case.status].pop(0)
        if outcome == Outcome.PERSUADE and case.member.is_probationary:
            outcome = Outcome.CANCEL_PROBATION
        users = {
            "branch": _holder(case.organization, "书记"),
            "committee": committee,
            "department": world.users["county"],
        }
        # Separation of duties: the 组织委员 proposes, the 书记 records the branch's decisions.
        disposition = services.disposition_propose(
            case=case,
            outcome=outcome,
            acting_user=_holder(case.organization, "组织委员"),
            proposal=f"经支委会研究，拟对该同志作{outcome.label}处理。",
        )
        _advance(disposition, users, steps)
        made += 1
    if stdout and made:
        stdout.write(f"  组织处置 {made} 件")
