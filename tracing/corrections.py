"""更正: a recorded attempt is never edited; a correction supersedes it (tracing.services.attempt_log).
The original stays listed, struck through, with a link to its correction."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tracing.models import CaseStatus


def mark_corrections(attempts, case, *, can_log):
    """Set on each attempt its correction (`corrected_by`) and whether the user may correct it
    (`can_correct`): an effective attempt of an open case, or a committee attempt while the
    committee's second search is under way — where attempt_log accepts one."""
    corrected_by = {a.supersedes_id: a for a in attempts if a.supersedes_id}
    second_search = case.status == CaseStatus.UNREACHABLE and not case.second_search_done_on
    for attempt in attempts:
        attempt.corrected_by = corrected_by.get(attempt.pk)
        open_to_it = second_search if attempt.by_committee else case.is_open
        attempt.can_correct = can_log and attempt.corrected_by is None and open_to_it


def attempt_to_correct(request, case):
    """The attempt of `case` a correction supersedes, named by `?supersedes=` or the posted field."""
    raw = request.POST.get("supersedes") or request.GET.get("supersedes") or ""
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) < 19):
        raise Http404
    return get_object_or_404(case.attempts.all(), pk=int(raw))


def correction_initial(original):
    """The correction form starts as the original: the user changes what was wrong."""
    fields = ("channel", "process", "witness", "result", "remark")
    return {
        "searched_at": timezone.localtime(original.searched_at).strftime("%Y-%m-%dT%H:%M"),
        "supersedes": original.pk,
        **{name: getattr(original, name) for name in fields},
    }
