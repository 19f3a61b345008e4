"""The outcomes of a disposition, and the ONE mapping to the 统计表 columns (附件5).

Both the chain (which outcomes a case may get) and the reports app (which column counts a
member) use `stats_column`; an outcome that has no column for the case is not allowed.
"""

from django.db import models

from members.models import PartyStatus


class Outcome(models.TextChoices):
    RETAIN = "retain", "保留组织关系"
    CORRECTION = "correction", "限期改正"
    SUSPEND_UNREACHABLE = "suspend_unreachable", "停止党籍（确定无法取得联系）"
    SUSPEND_ABROAD = "suspend_abroad", "停止党籍（因出国（境）定居）"
    PERSUADE = "persuade", "劝退"
    PERSUADE_REMOVE = "persuade_remove", "劝而不退除名"
    LAPSED_REMOVE = "lapsed_remove", "自行脱党除名"
    QUIT_REMOVE = "quit_remove", "退党除名"
    NOT_RECOGNIZED = "not_recognized", "不予承认党员资格"
    CANCEL_PROBATION = "cancel_probation", "取消预备党员资格"
    EXPEL = "expel", "开除党籍"
    RESTORE = "restore", "恢复党籍"


# Contact re-established (B: C–N) and still not contacted (O: P–W).
CONTACTED_COLUMNS = {
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
NOT_CONTACTED_COLUMNS = {
    Outcome.LAPSED_REMOVE: "Q",
    Outcome.CANCEL_PROBATION: "R",
    Outcome.SUSPEND_UNREACHABLE: "T",
    Outcome.SUSPEND_ABROAD: "U",
    Outcome.EXPEL: "V",
}


def stats_column(outcome, contacted: bool) -> str:
    """The 统计表 column counting a member with this outcome; ValueError if there is none."""
    table = CONTACTED_COLUMNS if contacted else NOT_CONTACTED_COLUMNS
    try:
        return table[Outcome(outcome)]
    except (KeyError, ValueError):
        state = "已取得联系" if contacted else "仍未取得联系"
        raise ValueError(f"{state}的党员不能作出“{Outcome(outcome).label}”的处置。") from None


def allowed_outcomes(contacted: bool):
    table = CONTACTED_COLUMNS if contacted else NOT_CONTACTED_COLUMNS
    return [o for o in Outcome if o in table and o != Outcome.EXPEL]


# The 党籍 status an approved outcome gives the member.
PARTY_STATUS = {
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

# 劝退 and the 除名 variants go through the organization department twice (预审, 审批).
DEPARTMENT_OUTCOMES = frozenset(
    {Outcome.PERSUADE, Outcome.PERSUADE_REMOVE, Outcome.LAPSED_REMOVE, Outcome.QUIT_REMOVE}
)
# After these the member may only join again, and not within five years.
REJOIN_BARRED = DEPARTMENT_OUTCOMES
