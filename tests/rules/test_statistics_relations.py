"""The 统计表 (附件5) rules: the ONE outcome → column mapping (disposition/outcomes.py), the
column(s) each member counts in (reports/relations.py), and the relations of remark 1
(A=B+O+X; B=C+G+M+N; G=H+I+J+K+L; O=P+S+V+W; P=Q+R; S=T+U; D+E+F ≤ C), checked on every build."""

from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from django.utils import timezone

from disposition.models import Disposition, DispositionStatus
from disposition.outcomes import (
    DEPARTMENT_OUTCOMES,
    PARTY_STATUS,
    REJOIN_BARRED,
    Outcome,
    allowed_outcomes,
    stats_column,
)
from members.models import Member, PartyStatus
from reports import builders
from reports.relations import COLUMNS, RELATIONS, classify, relation_problems
from tests.factories import CaseFactory, MemberFactory
from tracing.models import CaseStatus

# ---- outcome → column (附件5) -----------------------------------------------------------------

CONTACTED = {
    Outcome.RETAIN: "D",
    Outcome.SUSPEND_UNREACHABLE: "E",
    Outcome.SUSPEND_ABROAD: "E",
    Outcome.CORRECTION: "F",
    Outcome.PERSUADE: "H",
    Outcome.PERSUADE_REMOVE: "H",
    Outcome.LAPSED_REMOVE: "I",
    Outcome.QUIT_REMOVE: "J",
    Outcome.NOT_RECOGNIZED: "K",
    Outcome.CANCEL_PROBATION: "L",
    Outcome.EXPEL: "M",
}
NOT_CONTACTED = {
    Outcome.LAPSED_REMOVE: "Q",
    Outcome.CANCEL_PROBATION: "R",
    Outcome.SUSPEND_UNREACHABLE: "T",
    Outcome.SUSPEND_ABROAD: "U",
    Outcome.EXPEL: "V",
}


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_outcome_has_its_column_or_is_refused(outcome):
    for contacted, table in ((True, CONTACTED), (False, NOT_CONTACTED)):
        if outcome in table:
            assert stats_column(outcome, contacted) == table[outcome]
            assert stats_column(outcome.value, contacted) == table[outcome]  # as stored
        else:
            state = "已取得联系" if contacted else "仍未取得联系"
            with pytest.raises(ValueError) as err:
                stats_column(outcome, contacted)
            assert str(err.value) == f"{state}的党员不能作出“{outcome.label}”的处置。"


def test_an_unknown_outcome_is_refused():
    with pytest.raises(ValueError):
        stats_column("promote", True)


def test_the_outcomes_a_branch_may_propose():
    # 开除党籍 is recorded from the discipline decision, never proposed; 恢复党籍 has its own path.
    assert allowed_outcomes(True) == [
        Outcome.RETAIN,
        Outcome.CORRECTION,
        Outcome.SUSPEND_UNREACHABLE,
        Outcome.SUSPEND_ABROAD,
        Outcome.PERSUADE,
        Outcome.PERSUADE_REMOVE,
        Outcome.LAPSED_REMOVE,
        Outcome.QUIT_REMOVE,
        Outcome.NOT_RECOGNIZED,
        Outcome.CANCEL_PROBATION,
    ]
    assert allowed_outcomes(False) == [
        Outcome.SUSPEND_UNREACHABLE,
        Outcome.SUSPEND_ABROAD,
        Outcome.LAPSED_REMOVE,
        Outcome.CANCEL_PROBATION,
    ]


def test_party_status_after_each_outcome():
    assert PARTY_STATUS == {
        Outcome.RETAIN: PartyStatus.NORMAL,
        Outcome.CORRECTION: PartyStatus.CORRECTION,
        Outcome.SUSPEND_UNREACHABLE: PartyStatus.SUSPENDED,
        Outcome.SUSPEND_ABROAD: PartyStatus.SUSPENDED,
        Outcome.PERSUADE: PartyStatus.PERSUADED_OUT,
        Outcome.PERSUADE_REMOVE: PartyStatus.REMOVED,
        Outcome.LAPSED_REMOVE: PartyStatus.REMOVED,
        Outcome.QUIT_REMOVE: PartyStatus.REMOVED,
        Outcome.NOT_RECOGNIZED: PartyStatus.NOT_RECOGNIZED,
        Outcome.CANCEL_PROBATION: PartyStatus.PROBATION_CANCELLED,
        Outcome.EXPEL: PartyStatus.EXPELLED,
        Outcome.RESTORE: PartyStatus.NORMAL,
    }


def test_persuasion_and_removal_go_to_the_department_and_bar_rejoining():
    expected = {Outcome.PERSUADE, Outcome.PERSUADE_REMOVE, Outcome.LAPSED_REMOVE, Outcome.QUIT_REMOVE}
    assert expected == DEPARTMENT_OUTCOMES
    assert expected == REJOIN_BARRED


# ---- the columns that count one member ---------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "columns"),
    [
        (Outcome.RETAIN, ["A", "B", "C", "D"]),
        (Outcome.SUSPEND_UNREACHABLE, ["A", "B", "C", "E"]),
        (Outcome.SUSPEND_ABROAD, ["A", "B", "C", "E"]),
        (Outcome.CORRECTION, ["A", "B", "C", "F"]),
        (Outcome.PERSUADE, ["A", "B", "G", "H"]),
        (Outcome.PERSUADE_REMOVE, ["A", "B", "G", "H"]),
        (Outcome.LAPSED_REMOVE, ["A", "B", "G", "I"]),
        (Outcome.QUIT_REMOVE, ["A", "B", "G", "J"]),
        (Outcome.NOT_RECOGNIZED, ["A", "B", "G", "K"]),
        (Outcome.CANCEL_PROBATION, ["A", "B", "G", "L"]),
        (Outcome.EXPEL, ["A", "B", "M"]),
        (Outcome.RESTORE, ["A", "B", "C"]),  # 恢复党籍: back under management
        (None, ["A", "B", "C"]),  # contacted, no disposition: 纳入组织管理
    ],
)
def test_contacted_member_columns(outcome, columns):
    assert classify(CaseStatus.CONTACTED, outcome, True, False) == columns
    # an approved outcome wins over a new disposition still under way
    if outcome not in (None, Outcome.RESTORE):
        assert classify(CaseStatus.CONTACTED, outcome, True, True) == columns


def test_contacted_member_with_a_disposition_under_way_is_still_being_verified():
    assert classify(CaseStatus.CONTACTED, None, False, True) == ["A", "B", "N"]
    assert classify(CaseStatus.CONTACTED, Outcome.RESTORE, True, True) == ["A", "B", "N"]


@pytest.mark.parametrize(
    ("outcome", "columns"),
    [
        (Outcome.LAPSED_REMOVE, ["A", "O", "P", "Q"]),
        (Outcome.CANCEL_PROBATION, ["A", "O", "P", "R"]),
        (Outcome.SUSPEND_UNREACHABLE, ["A", "O", "S", "T"]),
        (Outcome.SUSPEND_ABROAD, ["A", "O", "S", "U"]),
        (Outcome.EXPEL, ["A", "O", "V"]),
        (None, ["A", "O", "W"]),  # still being searched for
    ],
)
@pytest.mark.parametrize("status", [CaseStatus.UNREACHABLE, CaseStatus.OPEN])
def test_not_contacted_member_columns(outcome, columns, status):
    assert classify(status, outcome, False, False) == columns
    assert classify(status, outcome, False, True) == columns


def test_a_dead_member_counts_in_a_and_x_only():
    assert classify(CaseStatus.DECEASED, None, False, False) == ["A", "X"]
    assert classify(CaseStatus.DECEASED, Outcome.SUSPEND_UNREACHABLE, False, True) == ["A", "X"]


# ---- the relations -------------------------------------------------------------------------------


class Row:
    def __init__(self, label="本级", **counts):
        self.label = label
        self.counts = Counter(counts)
        self.members = defaultdict(list)


def consistent_counts():
    """One member in every leaf column, parents the sums: every relation holds."""
    c = dict.fromkeys("DEFHIJKLMNQRTUVWX", 1)
    c["C"] = c["D"] + c["E"] + c["F"]
    c["G"] = sum(c[p] for p in "HIJKL")
    c["B"] = c["C"] + c["G"] + c["M"] + c["N"]
    c["P"] = c["Q"] + c["R"]
    c["S"] = c["T"] + c["U"]
    c["O"] = c["P"] + c["S"] + c["V"] + c["W"]
    c["A"] = c["B"] + c["O"] + c["X"]
    return c


def test_consistent_counts_pass():
    assert relation_problems([Row(**consistent_counts())]) == []
    assert relation_problems([Row()]) == []  # an empty table holds too


def test_the_relations_are_those_of_the_form():
    assert RELATIONS == (
        ("A", "BOX"),
        ("B", "CGMN"),
        ("G", "HIJKL"),
        ("O", "PSVW"),
        ("P", "QR"),
        ("S", "TU"),
    )
    assert COLUMNS == "ABCDEFGHIJKLMNOPQRSTUVWX"


def broken_by(column):
    """The relations a change of `column` alone breaks: where it is the parent or a part."""
    return [f"{p}≠{'+'.join(ps)}" for p, ps in RELATIONS if column == p or column in ps]


@pytest.mark.parametrize(("parent", "parts"), RELATIONS)
@pytest.mark.parametrize("delta", [1, -1])
def test_a_parent_one_off_its_parts_is_reported(parent, parts, delta):
    counts = consistent_counts()
    counts[parent] += delta
    problems = relation_problems([Row("某支部", **counts)])
    assert [label for label, _rule, _ids in problems] == ["某支部"] * len(broken_by(parent))
    assert [rule for _label, rule, _ids in problems] == broken_by(parent)
    assert f"{parent}≠{'+'.join(parts)}" in broken_by(parent)


@pytest.mark.parametrize("column", "DEFHIJKLMNQRTUVWX")
def test_a_leaf_one_more_than_its_parent_allows_is_reported(column):
    counts = consistent_counts()
    counts[column] += 1
    rules = [rule for _label, rule, _ids in relation_problems([Row(**counts)])]
    assert rules == broken_by(column) + (["D+E+F>C"] if column in "DEF" else [])


def test_d_e_f_at_most_c():
    counts = consistent_counts()  # C = D + E + F = 3
    assert relation_problems([Row(**counts)]) == []
    counts["C"] -= 1  # D+E+F > C, and B no longer adds up
    assert [rule for _l, rule, _i in relation_problems([Row(**counts)])] == ["B≠C+G+M+N", "D+E+F>C"]
    for column in "CBA":  # one more in C than D+E+F (纳入组织管理 without a disposition): allowed
        counts[column] += 2 if column == "C" else 1
    assert counts["C"] == counts["D"] + counts["E"] + counts["F"] + 1
    assert relation_problems([Row(**counts)]) == []


def test_a_problem_names_the_members_on_one_side_only():
    row = Row(A=2, B=1, X=0, O=0)
    row.members["A"] = [1, 2]
    row.members["B"] = [1]
    row.counts.update(C=1)
    row.members["C"] = [1]
    assert relation_problems([row]) == [("本级", "A≠B+O+X", {2})]
    row = Row(A=2, B=2, C=2, D=1, E=1, F=1)
    row.members.update(A=[1, 2], B=[1, 2], C=[1, 2], D=[1], E=[2], F=[3])
    assert relation_problems([row]) == [("本级", "D+E+F>C", {1, 2, 3})]


def test_every_row_is_checked():
    good, bad = Row("甲", **consistent_counts()), Row("乙", A=1)
    assert [label for label, _r, _i in relation_problems([good, bad, good])] == ["乙"]


# ---- checked on every build ----------------------------------------------------------------------


def test_a_built_table_holds_in_every_row(world, org):
    """One member per leaf column across two branches and the committee's own 党总支."""
    today = timezone.localdate()
    user = world.users["branch_a1"]
    leaves = {
        "D": (CaseStatus.CONTACTED, Outcome.RETAIN),
        "F": (CaseStatus.CONTACTED, Outcome.CORRECTION),
        "I": (CaseStatus.CONTACTED, Outcome.LAPSED_REMOVE),
        "M": (CaseStatus.CONTACTED, Outcome.EXPEL),
        "C": (CaseStatus.CONTACTED, None),
        "Q": (CaseStatus.UNREACHABLE, Outcome.LAPSED_REMOVE),
        "T": (CaseStatus.UNREACHABLE, Outcome.SUSPEND_UNREACHABLE),
        "V": (CaseStatus.UNREACHABLE, Outcome.EXPEL),
        "W": (CaseStatus.OPEN, None),
        "X": (CaseStatus.DECEASED, None),
    }
    branches = ["branch_a1", "branch_a2", "branch_a3_1"]
    for i, (column, (status, outcome)) in enumerate(leaves.items()):
        member = MemberFactory(organization=org(branches[i % 3]), name=f"{column}列")
        case = CaseFactory(
            member=member,
            opened_by=user,
            opened_on=today - timedelta(days=60),
            lost_since=today - timedelta(days=400),
            status=status,
            closed_on=None if status == CaseStatus.OPEN else today - timedelta(days=30),
        )
        if outcome:
            Disposition.objects.create(
                case=case,
                member=member,
                organization=case.organization,
                outcome=outcome,
                contacted=status == CaseStatus.CONTACTED,
                proposal="x",
                proposed_by=user,
                proposed_on=today - timedelta(days=20),
                status=DispositionStatus.APPROVED,
                approved_on=today - timedelta(days=10),
            )
    rows = builders.statistics_rows(org("committee_a"), today, Member.objects.all())
    assert relation_problems(rows) == []
    total = rows[-1].counts
    assert {c: total[c] for c in "ABCGOPSX"} == {
        "A": 10,
        "B": 5,
        "C": 3,
        "G": 1,
        "O": 4,
        "P": 1,
        "S": 1,
        "X": 1,
    }
    assert sum(r.counts["A"] for r in rows[:-1]) == total["A"]
