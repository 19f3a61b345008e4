"""Open searches, as seen from members: a hook another app (tracing) registers into.

A member marked 参加 at a roll call, or contacted, while a search for them is open must not be
silently returned to 正常: the secretary confirms, and the app holding the search records the
contact on its side (an attempt on the case). members may not import that app (layers:
lianxin ← members ← tracing), so the app registers a provider here when it is ready.

A provider is any object (tracing registers a module) with:
- `open_for(member_ids) -> {member_id: OpenSearch}` — one query for all the ids;
- `record_presence(*, member, activity, acting_user)` — inside the roll call's transaction; does
  nothing when it holds no open search for the member.
- `record_contact(*, member, on, kind, note, close, acting_user)` — a confirmed contact (a 成员自报)
  recorded on the open search: an attempt that reached the member and the 联系记录, the search
  closed if `close`; returns the 联系记录, or None when it holds no open search for the member.
"""

from dataclasses import dataclass

from lianxin import perms
from lianxin.service import service

_providers = []


@dataclass(frozen=True)
class OpenSearch:
    label: str  # what the secretary reads: "2026-06-01 立案查找"
    url: str  # the search's page
    contact_url: str  # where a contact with the member is recorded against the search
    # The provider's object holding the search and its action recording a contact
    # (lianxin/actions.py), so a page shows that link only to those who may follow it.
    subject: object = None
    contact_action: str = ""


def register(provider):
    if provider not in _providers:
        _providers.append(provider)


def open_searches(member_ids):
    """{member_id: OpenSearch} for the members with an open search."""
    ids = list(member_ids)
    found = {}
    if not ids:
        return found
    for provider in _providers:
        found.update(provider.open_for(ids))
    return found


@service(perm=perms.MANAGE_MEMBERS, on="member")
def record_presence(*, member, activity, acting_user):
    """The confirmed presence of a searched-for member, recorded by the provider holding the search."""
    for provider in _providers:
        provider.record_presence(member=member, activity=activity, acting_user=acting_user)


@service(perm=(perms.MANAGE_MEMBERS, perms.LOG_SEARCH), on="member")
def record_contact(*, member, on, kind, note, close, acting_user):
    """A confirmed contact with a member whose search is open, recorded by the provider holding the
    search. Returns the 联系记录, or None when no search is open (the caller records it itself)."""
    for provider in _providers:
        record = provider.record_contact(
            member=member, on=on, kind=kind, note=note, close=close, acting_user=acting_user
        )
        if record is not None:
            return record
    return None
