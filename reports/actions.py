"""What the pages link to for reports, with the right each view requires (lianxin/actions.py)."""

from django.urls import reverse

from lianxin import perms
from lianxin.actions import register
from lianxin.models import Organization

EXPORT = perms.EXPORT_REPORTS


def _parent(submission):
    path = submission.organization.path[: -Organization.steplen]
    return Organization.objects.filter(path=path).first() if path else None


register("reports:record_pdf", perm=EXPORT)  # on a case
register("reports:card_pdf", perm=EXPORT)  # on a branch
register("reports:submission_file", perm=EXPORT)
# The unit above returns a submitted 名册 (submissions.submission_return asks the same).
register(
    "reports:submission_return",
    perm=(perms.REVIEW_COMMITTEE, perms.APPROVE_DEPARTMENT),
    on=_parent,
    when=lambda s: s.status == s.Status.SUBMITTED,
    method="post",
)
# Reports of an organization, driven by ?org= (the page adds &as_of=…); without an object, anywhere.
for name in (
    "reports:statistics",
    "reports:statistics_xlsx",
    "reports:statistics_members",
    "reports:statistics_members_xlsx",
    "reports:roster_xlsx",
    "reports:register_xlsx",
    "reports:submission_status",
    "reports:submission_submit",
):
    register(name, perm=EXPORT, url=lambda org, name=name: reverse(name) + (f"?org={org.pk}" if org else ""))
# 月度趋势: numbers only, for whoever sees the organization; its Excel with the export right.
register(
    "reports:trends", perm=perms.VIEW_SCOPE, url=lambda org: reverse("reports:trends") + f"?org={org.pk}"
)
register(
    "reports:trends_xlsx", perm=EXPORT, url=lambda org: reverse("reports:trends_xlsx") + f"?org={org.pk}"
)
