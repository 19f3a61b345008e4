"""The 统计表 (附件5) as rules: which columns count a member, and the relations between them.

Pure functions; reports/builders.py reads the cases and checks every table it builds.
Remark 1 of the form: A=B+O+X; B=C+G+M+N; G=H+I+J+K+L; O=P+S+V+W; P=Q+R; S=T+U. The
columns D, E, F break down C (纳入组织管理), so D+E+F ≤ C.
"""

from disposition.outcomes import Outcome, stats_column
from lianxin.fixtures import load
from tracing.models import CaseStatus

# The columns and relations are data: fixtures/statistics.json.
_TABLE = load("statistics.json")
COLUMNS = "".join(column["letter"] for column in _TABLE["columns"])
RELATIONS = tuple((rule["total"], rule["parts"]) for rule in _TABLE["relations"])
AT_MOST = tuple((rule["total"], rule["parts"]) for rule in _TABLE["at_most"])  # D+E+F ≤ C


def classify(case_status, approved_outcome, approved_contacted, has_active):
    """The leaf columns (and parents) counting one member, from their latest case as of the date."""
    if case_status == CaseStatus.DECEASED:
        return ["A", "X"]
    contacted = case_status == CaseStatus.CONTACTED
    column = None
    if approved_outcome and approved_outcome != Outcome.RESTORE:  # 恢复党籍: back under management (C)
        column = stats_column(approved_outcome, approved_contacted)
    cols = []
    if contacted:
        cols.append("B")
        if column in ("D", "E", "F"):
            cols += ["C", column]
        elif column in ("H", "I", "J", "K", "L"):
            cols += ["G", column]
        elif column == "M":
            cols.append("M")
        elif has_active:
            cols.append("N")
        else:
            cols.append("C")  # 纳入组织管理 without a disposition
    else:
        cols.append("O")
        if column in ("Q", "R"):
            cols += ["P", column]
        elif column in ("T", "U"):
            cols += ["S", column]
        elif column == "V":
            cols.append("V")
        else:
            cols.append("W")
    return ["A", *cols]


def relation_problems(rows):
    """Each relation that does not hold, as (row label, relation, ids of the members involved)."""
    problems = []
    for row in rows:
        c = row.counts
        for parent, parts in RELATIONS:
            if c[parent] != sum(c[p] for p in parts):
                involved = set(row.members[parent]) ^ {m for p in parts for m in row.members[p]}
                problems.append((row.label, f"{parent}≠{'+'.join(parts)}", involved))
        for total, parts in AT_MOST:
            if sum(c[p] for p in parts) > c[total]:
                problems.append(
                    (row.label, f"{'+'.join(parts)}>{total}", {m for p in parts for m in row.members[p]})
                )
    return problems
