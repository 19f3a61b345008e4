"""Builders: from a scoped queryset and a date to the rows of the official forms.

The renderers (reports/xlsx.py, reports/pdf.py, the templates) only lay these rows out.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, Q, Subquery

from lianxin.fixtures import legend
from lianxin.models import Organization
from lianxin.queries import names_as_of
from members.models import Member, PartyStatus
from members.status import lost_threshold
from reports.relations import COLUMNS as COLUMNS  # re-exported: layout, xlsx and views read it here
from reports.relations import classify, relation_problems
from reports.statistics_reads import approved_outcomes, case_groups
from tracing.models import CaseStatus, LostContactCase
from tracing.periods import loss_cases_of_outer_member, lost_period

# The code tables as the forms print them (fixtures/codes/*.json).
LOSS_LEGEND = legend("loss_reasons")
CATEGORY_LEGEND = legend("org_categories")
OCCUPATION_LEGEND = legend("occupations")

ROSTER_TITLE = "失联党员名册"
REGISTER_TITLE = "经查找仍然无法取得联系党员登记表"
# Rules 3–6 are the same on both forms; 1 and 2 say who fills the form and whom it lists. The seed's
# "按按以下代码填写" (rule 6, a typo in the source) is printed as "按以下代码填写".
_SHARED_RULES = [
    "3．与党组织失去联系时间：指党员最近一次参加党组织生活或交纳党费日期至联系查找结束时的时间。",
    f"4．失去联系情形：按以下代码填写。{LOSS_LEGEND}",
    f"5．党组织类别：按以下代码填写。{CATEGORY_LEGEND}",
    f"6．职业：按以下代码填写。{OCCUPATION_LEGEND}",
]
FORM_RULES = {
    ROSTER_TITLE: [
        "1．本表由党支部填写，逐级报各县（市、区）委组织部、市直各党（工）委、中省驻渭单位党委。",
        "2．失联党员是指党员组织关系排查工作结束时，与党组织失去联系6个月以上的党员。",
        *_SHARED_RULES,
    ],
    REGISTER_TITLE: [
        "1．本表由各党（工）委在协调有关部门再次深入查找的基础上填写，报县委组织部。",
        "2．失联党员中尚未取得联系的党员是指党员组织关系排查工作结束时，与党组织失去联系6个月以上，"
        "经多方努力确实无法取得联系的党员。",
        *_SHARED_RULES,
    ],
}


@dataclass
class RosterRow:
    number: int
    name: str
    gender: str
    ethnicity: str
    birth: str
    joined: str
    id_number: str
    phone: str
    organization: str
    category: int
    occupation: int
    duration: str
    reason: int | None
    remark: str


def _open_case_subquery(field_name):
    cases = LostContactCase.objects.filter(member=OuterRef("pk")).order_by("-opened_on", "-pk")
    return Subquery(cases.values(field_name)[:1])


def _loss_case_annotations(as_of):
    """The start and end of the search of the case describing each member's loss, if any."""
    cases = loss_cases_of_outer_member(as_of)
    return {
        "loss_since": Subquery(cases.values("lost_since")[:1]),
        "loss_closed_on": Subquery(cases.values("closed_on")[:1]),
    }


def roster_members(members, as_of: date):
    """Members lost over six months at the census end (`as_of`): the 《失联党员名册》."""
    return (
        members.filter(party_status__in=[PartyStatus.NORMAL, PartyStatus.CORRECTION])
        .filter(Q(last_contact_on__lt=lost_threshold(as_of)))
        .select_related("organization")
        .annotate(case_reason=_open_case_subquery("reason"), case_remark=_open_case_subquery("reason_remark"))
        .annotate(**_loss_case_annotations(as_of))
        .order_by("organization__path", "name", "pk")
    )


def roster_rows(members, as_of: date, path_prefix=""):
    """The 名册 rows; organization names as they were on the census end (from history)."""
    names = names_as_of(path_prefix, as_of)
    for number, m in enumerate(roster_members(members, as_of).iterator(chunk_size=2000), start=1):
        yield RosterRow(
            number,
            m.name,
            m.gender,
            m.ethnicity,
            f"{m.birth_date:%Y.%m}",
            f"{m.joined_on:%Y.%m}",
            m.id_number,
            m.phone,
            names.get(m.organization_id, m.organization.name),
            m.organization.category,
            m.occupation,
            lost_period(
                lost_since=m.loss_since or m.last_contact_on, closed_on=m.loss_closed_on, as_of=as_of
            ).text,
            m.case_reason,
            m.case_remark or "",
        )


def register_cases(cases, as_of: date):
    """Cases still not contacted after the committee's second search by `as_of`: the 登记表's."""
    return cases.filter(status=CaseStatus.UNREACHABLE, second_search_done_on__lte=as_of)


def register_rows(cases, as_of: date, path_prefix=""):
    """The 登记表 rows; organization names as they were on the census end (from history)."""
    names = names_as_of(path_prefix, as_of)
    cases = (
        register_cases(cases, as_of)
        .select_related("member", "organization")
        .order_by("organization__path", "member__name", "pk")
    )
    for number, c in enumerate(cases.iterator(chunk_size=2000), start=1):
        m = c.member
        yield RosterRow(
            number,
            m.name,
            m.gender,
            m.ethnicity,
            f"{m.birth_date:%Y.%m}",
            f"{m.joined_on:%Y.%m}",
            m.id_number,
            m.phone,
            names.get(c.organization_id, c.organization.name),
            c.organization.category,
            m.occupation,
            lost_period(lost_since=c.lost_since, closed_on=c.closed_on, as_of=as_of).text,
            c.reason,
            c.reason_remark,
        )


def member_list_rows(member_ids, chunk=1000):
    """The members behind one number of the 统计表 as the rows of a list, by unit and name. Read
    in chunks: a province's column holds more ids than one query may carry as parameters."""
    ids = sorted(set(member_ids))
    members = []
    for start in range(0, len(ids), chunk):
        members.extend(
            Member.objects.filter(pk__in=ids[start : start + chunk]).select_related("organization")
        )
    members.sort(key=lambda m: (m.organization.path, m.name, m.pk))
    for number, m in enumerate(members, start=1):
        yield [
            number,
            m.name,
            m.gender,
            f"{m.birth_date:%Y.%m}",
            m.id_number,
            m.phone,
            m.organization.name,
            m.get_contact_status_display(),
            m.get_party_status_display(),
        ]


# ---- 统计表 (附件5) ---------------------------------------------------------------------------


class StatisticsError(ValueError):
    """A relation of the 统计表 does not hold; names the members involved."""


class MemberIds(defaultdict):
    """Column -> ids of the members counted there, for one row of the 统计表. The table itself needs
    only the counts, so the builder leaves the ids to `load`, run the first time any column of the
    row is asked for (it fills every row of the table at once)."""

    def __init__(self, load=None):
        super().__init__(list)
        self.load = load

    def __missing__(self, column):
        load, self.load = self.load, None
        if load is not None:
            load()
            if column in self:
                return self[column]
        return super().__missing__(column)


@dataclass
class StatisticsRow:
    organization: Organization | None
    label: str
    counts: Counter = field(default_factory=Counter)
    members: dict = field(default_factory=MemberIds)  # column -> member ids


def statistics_rows(organization, as_of: date, scope_members, member_ids=False):
    """One row per child organization of `organization` plus the total, for the date `as_of`.
    The rows' member ids are read with the counts if `member_ids` (a drill-down), else on first use."""
    children = list(
        Organization.objects.filter(
            path__startswith=organization.path, depth=organization.depth + 1
        ).order_by("path")
    )
    names = names_as_of(organization.path, as_of)  # the names in force on the date of the table
    rows = {c.path: StatisticsRow(c, names.get(c.pk, c.name)) for c in children}
    own = StatisticsRow(organization, f"{names.get(organization.pk, organization.name)}（直属）")
    total = StatisticsRow(None, "合计")
    outcomes = {}

    def tally(with_ids, counting=True):
        groups = list(case_groups(organization, as_of, scope_members, with_ids=with_ids))
        outcomes.update(approved_outcomes(as_of, {group[3] for group in groups} - {None} - outcomes.keys()))
        for unit, status, closed, approved_case, active, count, ids in groups:
            outcome, contacted = outcomes.get(approved_case, (None, False))
            # A case closed after the date still counts as open on that date.
            effective = status if closed or status == CaseStatus.OPEN else CaseStatus.OPEN
            for target in (rows.get(unit, own), total):
                for col in classify(effective, outcome, bool(contacted), bool(active)):
                    if with_ids:
                        target.members[col].extend(ids)
                    if counting:
                        target.counts[col] += count

    def load_members():
        for row in (*rows.values(), own, total):
            row.members.load = None
        tally(with_ids=True, counting=False)

    tally(with_ids=member_ids)
    result = [r for r in rows.values()]
    if own.counts:
        result.append(own)
    result.append(total)
    if not member_ids:
        for row in (*rows.values(), own, total):
            row.members.load = load_members
    check_relations(result)
    return result


def check_relations(rows):
    problems = relation_problems(rows)
    if problems:
        names = dict(
            Member.objects.filter(pk__in={m for *_x, ids in problems for m in ids}).values_list("pk", "name")
        )
        text = "；".join(
            f"{label} {rule}（涉及：{'、'.join(names.get(m, str(m)) for m in sorted(ids)) or '无'}）"
            for label, rule, ids in problems
        )
        raise StatisticsError(f"统计表关系校验未通过：{text}")
