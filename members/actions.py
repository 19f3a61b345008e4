"""What the members pages link to, with the right each view requires (lianxin/actions.py)."""

from lianxin import perms
from lianxin.actions import register

MANAGE = perms.MANAGE_MEMBERS

# On a member: the branch's own entries.
for name in (
    "members:member_edit",
    "members:dues_add",
    "members:absence_add",
    "members:contact_add",
    "members:transfer_out",
    "members:transfer_in",
):
    register(name, perm=MANAGE)
# 记录联系 (a member searched for is recorded on the search instead: members/rollcall.py).
register("members:contact_record", perm=MANAGE)

register("members:absence_return", perm=MANAGE, when=lambda absence: absence.returned_on is None)
for name in ("members:transfer_receipt", "members:transfer_follow_up"):
    register(
        name,
        perm=MANAGE,
        when=lambda t: t.receipt_outstanding,
    )

# On a branch.
register("members:member_add", perm=MANAGE)
register("members:activity_add", perm=MANAGE)
# Anywhere the user manages members.
register("member_import:upload", perm=MANAGE)
