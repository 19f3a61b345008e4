"""Demo dispositions: the story members' cases taken through the chain, as fixtures/demo/people.json says.

Each disposition is proposed by the branch's 组织委员 and decided stage by stage by others
(separation of duties): the branch secretary at the 党支部 stages, the committee reviewer at
the 党委 stages, the county approver at the 组织部门 stages, a week apart, with the meetings'
counts from the branch's real voters. One is returned at the committee's 预审 and resubmitted;
one waits in the county's inbox; 开除党籍 is recorded from a discipline decision. The services
write "today" as the day of a proposal; `backdate` sets the story's day, history saying so.
Idempotent: a story member with a disposition is skipped.
"""

from datetime import timedelta

from django.utils import timezone

from disposition import services
from disposition.chain import stages_for
from disposition.models import Decision, Disposition
from disposition.outcomes import Outcome
from lianxin.demo import backdate, holder
from lianxin.models import TIER_BRANCH, TIER_COMMITTEE, TIER_DEPARTMENT
from members import demo as members_demo
from members.status import add_months
from tracing.demo import reviewer, story_member
from tracing.models import LostContactCase

TEXTS = members_demo.TEXTS
STEP_DAYS = 7


def _meeting(disposition, on):
    expected = services.voters(disposition.organization, excluding=disposition.member)
    return {
        "meeting_date": on,
        "present": expected,
        "votes_for": expected,
        "votes_against": 0,
        "votes_abstain": 0,
    }


def _decide(disposition, stage, user, on, **extra):
    return services.step_decide(
        disposition=disposition,
        stage=stage.key,
        acting_user=user,
        decided_on=on,
        meeting=_meeting(disposition, on) if stage.meeting else None,
        **{"decision": Decision.AGREE, "opinion": TEXTS["opinion"].format(stage=stage.title), **extra},
    )


def _chain(disposition, spec, users, proposer, proposed_on):
    """Decide the stages a week apart; return at one if the story says so; stop where it waits."""
    day, returned = proposed_on, False
    stages = list(stages_for(disposition.outcome))
    index = 0
    while index < len(stages):
        stage = stages[index]
        if stage.key == spec.get("waits_at"):
            break
        day += timedelta(days=STEP_DAYS)
        if stage.key == spec.get("returned_at") and not returned:
            _decide(
                disposition,
                stage,
                users[stage.tier],
                day,
                decision=Decision.RETURN,
                opinion=TEXTS["return_opinion"],
                return_to=stages[0].key,
            )
            services.disposition_resubmit(
                disposition=disposition,
                proposal=TEXTS["resubmitted"].format(outcome=disposition.get_outcome_display()),
                acting_user=proposer,
            )
            returned, index = True, 0
            continue
        _decide(disposition, stage, users[stage.tier], day)
        index += 1
    return day


def dispose(story, spec, world, today):
    member = story_member(story)
    case = list(member.cases.order_by("opened_on", "pk"))[spec["case"]]
    outcome = Outcome(spec["outcome"])
    if outcome == Outcome.EXPEL:
        decided_on = members_demo.ago(spec["decided"], today)
        disposition = services.expulsion_record(
            case=case,
            decision=spec["decision"].format(year=decided_on.year),
            decided_on=decided_on,
            acting_user=world.users["county"],
        )
        return backdate(disposition, proposed_on=decided_on)
    proposer = holder(case.organization, "组织委员")
    proposed_on = members_demo.ago(spec["proposed"], today)
    disposition = services.disposition_propose(
        case=case,
        outcome=outcome,
        proposal=TEXTS["proposal"].format(outcome=outcome.label),
        acting_user=proposer,
        correction_until=add_months(proposed_on, 6) if outcome == Outcome.CORRECTION else None,
    )
    users = {
        TIER_BRANCH: holder(case.organization, "书记"),
        TIER_COMMITTEE: reviewer(case.organization),
        TIER_DEPARTMENT: world.users["county"],
    }
    last = _chain(disposition, spec, users, proposer, proposed_on)
    return backdate(disposition, proposed_on=proposed_on, stage_since=last)


def seed(world, rng, stdout=None):
    today = timezone.localdate()
    made = 0
    for story in members_demo.PEOPLE["stories"]:
        specs = story.get("dispositions", [])
        mine = {"member__organization__code": story["branch"], "member__name": story["name"]}
        cased = LostContactCase.objects.filter(**mine).exists()  # not in a database seeded by an older demo
        if not specs or not cased or Disposition.objects.filter(**mine).exists():
            continue
        for spec in specs:
            dispose(story, spec, world, today)
            made += 1
    if stdout and made:
        stdout.write(f"  组织处置 {made} 件")
