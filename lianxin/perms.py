"""The permission codenames, the one place they are spelled (tests/test_names.py keeps it so).

Every right in lianxin is a guardian object permission on an Organization node; a grant on a
node covers its whole subtree. The codenames all belong to lianxin (the Organization model
declares them), so every app above names them from here and none spells them again.
"""

APP_LABEL = "lianxin"

VIEW_SCOPE = "view_scope"
MANAGE_MEMBERS = "manage_members"
LOG_SEARCH = "log_search"
DECIDE_BRANCH = "decide_branch"
REVIEW_COMMITTEE = "review_committee"
APPROVE_DEPARTMENT = "approve_department"
EXPORT_REPORTS = "export_reports"

# Organization.Meta.permissions: codename and the label an administrator reads.
SCOPE_PERMISSIONS = [
    (VIEW_SCOPE, "查看本组织及下级"),
    (MANAGE_MEMBERS, "管理党员信息"),
    (LOG_SEARCH, "记录查找情况"),
    (DECIDE_BRANCH, "党支部处置环节"),
    (REVIEW_COMMITTEE, "党委预审与审核"),
    (APPROVE_DEPARTMENT, "组织部门预审与审批"),
    (EXPORT_REPORTS, "导出报表"),
]


def qualified(codename):
    """The name Django's `user.has_perm` and guardian's shortcuts take: "lianxin.view_scope"."""
    return f"{APP_LABEL}.{codename}"
