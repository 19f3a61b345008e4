"""与党组织失去联系时间: the one rule every form and page prints.

The seeds define it as the time from the member's last 组织生活 or 党费 to the end of the search
(联系查找结束时). A form dated D cannot know of a search that ends after D: while the search is
open on D (or has no case yet), the period runs to D.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Q
from django.utils import timezone

from members.status import duration_text
from tracing.models import CaseStatus, LostContactCase


@dataclass(frozen=True)
class LostPeriod:
    start: date
    end: date

    @property
    def text(self) -> str:
        return duration_text(self.start, self.end)

    def __str__(self):
        return self.text


def lost_period(*, lost_since: date, closed_on: date | None, as_of: date) -> LostPeriod:
    """From the last 组织生活 or 党费 (`lost_since`) to the search's end, as known on `as_of`."""
    end = closed_on if closed_on is not None and closed_on <= as_of else as_of
    return LostPeriod(lost_since, max(end, lost_since))


def case_lost_period(case: LostContactCase, as_of: date | None = None) -> LostPeriod:
    """A case's period on a form dated `as_of` (pages and the 全程纪实表: today)."""
    return lost_period(
        lost_since=case.lost_since, closed_on=case.closed_on, as_of=as_of or timezone.localdate()
    )


def loss_cases_of_outer_member(as_of: date):
    """For a Subquery over members: the cases describing the member's current loss on `as_of`,
    newest first. A search that found the member by `as_of`, or a contact recorded after a
    search ended, starts a new loss that the old case does not describe."""
    return (
        LostContactCase.objects.filter(member=OuterRef("pk"))
        .exclude(status=CaseStatus.CONTACTED, closed_on__lte=as_of)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=OuterRef("last_contact_on")))
        .order_by("-opened_on", "-pk")
    )
