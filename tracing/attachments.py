"""Evidence attached to a search attempt: downloaded only within scope, and recorded."""

import os

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from lianxin.disclosure import disclosure_record
from lianxin.models import Disclosure
from tracing.models import SearchAttempt
from tracing.queries import cases_visible_to

CONTENT_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf"}


def attempt_attachment(request, pk):
    """The attachment of one attempt of a case the user sees (the case page's list); 404 otherwise."""
    attempt = get_object_or_404(
        SearchAttempt.objects.select_related("case__member", "case__organization")
        .filter(case__in=cases_visible_to(request.user).values("pk"))
        .exclude(attachment=""),
        pk=pk,
    )
    extension = os.path.splitext(attempt.attachment.name)[1].lower()
    try:
        handle = attempt.attachment.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    disclosure_record(
        user=request.user,
        organization=attempt.case.organization,
        kind=Disclosure.Kind.ATTACHMENT,
        subject=f"查找记录附件：{attempt.case.member.name}",
        subject_key=f"tracing.searchattempt:{attempt.pk}",
        fields=["附件"],
    )
    # A name of our own making: the member's name stays out of the browser's download list.
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"查找记录附件-{attempt.case_id}-{attempt.pk}{extension}",
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
