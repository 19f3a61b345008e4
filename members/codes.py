"""归队码 and 报到码: issuing, finding, rotating (models in members/selfreport_models.py).

A token is `secrets.token_urlsafe(16)`: 128 random bits in 22 URL-safe characters, so the public
address `/r/<token>/` stays short enough for a small QR code. Rotating a code stops the old one
at once (its page answers 404) and issues a new one; each code's life is kept in history.
"""

import re
import secrets

import segno
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from lianxin import perms
from lianxin.models import Post
from lianxin.service import service
from members.models import BranchCode, MemberCode, PartyStatus

MANAGE = perms.MANAGE_MEMBERS
TOKEN_BYTES = 16  # 128 bits
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{22,64}")
# Members who may still report to the branch: not those who left the party or the branch.
REPORTING = (PartyStatus.NORMAL, PartyStatus.CORRECTION, PartyStatus.SUSPENDED)


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


def _issue(model, owner_field, owner):
    """The owner's live code, created if it has none (two at once: the second reads the first).
    Read on the primary: the branch's 联心卡 is printed by a report view reading from a replica."""
    codes = model.objects.db_manager(DEFAULT_DB_ALIAS)
    live = codes.filter(**{owner_field: owner, "revoked_at__isnull": True}).first()
    if live is not None:
        return live
    try:
        with transaction.atomic():
            return codes.create(**{owner_field: owner, "token": new_token()})
    except IntegrityError:  # one_live_code_per_member / _per_branch: another request issued it
        return codes.get(**{owner_field: owner, "revoked_at__isnull": True})


def member_code(member):
    """The member's live 归队码, issued on first use (the code page, the 联心卡)."""
    return _issue(MemberCode, "member", member)


def branch_code(branch):
    """The branch's live 报到码, issued on first use."""
    return _issue(BranchCode, "organization", branch)


def _replace(model, owner_field, owner, reason):
    live = model.objects.select_for_update().filter(**{owner_field: owner, "revoked_at__isnull": True})
    for code in live:
        code.revoked_at, code.revoke_reason = timezone.now(), reason[:100]
        code.save(update_fields=["revoked_at", "revoke_reason"])
    return model.objects.create(**{owner_field: owner, "token": new_token()})


def member_code_replace(member, reason):
    """Inside a service: stop the member's live code and issue a new one."""
    return _replace(MemberCode, "member", member, reason)


@service(perm=MANAGE, on="member")
@transaction.atomic
def member_code_rotate(*, member, acting_user):
    """重新生成: the code sent or printed before stops working now."""
    return member_code_replace(member, "重新生成")


@service(perm=MANAGE, on="organization")
@transaction.atomic
def branch_code_rotate(*, organization, acting_user):
    return _replace(BranchCode, "organization", organization, "重新生成")


def rotate_at_transfer(member, talk_on):
    """组织关系转出: the 联心卡 handed over at the talk carries a fresh code. A code issued on or after
    the talk's day is the one printed for this handover and is kept; an older one is replaced."""
    live = MemberCode.objects.filter(member=member, revoked_at__isnull=True).first()
    if live is not None and timezone.localdate(live.created_at) >= talk_on:
        return live
    return member_code_replace(member, "组织关系转出")


def _live(model, token, related):
    if not token or not TOKEN_SHAPE.fullmatch(token):
        return None
    return model.objects.select_related(*related).filter(token=token, revoked_at__isnull=True).first()


def find_member_code(token):
    """The live code of a member who may still report, or None (the page then answers 404)."""
    code = _live(MemberCode, token, ("member__organization",))
    if code is None or code.member.party_status not in REPORTING:
        return None
    return code


def find_branch_code(token):
    code = _live(BranchCode, token, ("organization",))
    if code is None or not code.organization.is_active:
        return None
    return code


def public_url(request, path):
    """The address a phone opens: LIANXIN_PUBLIC_BASE_URL when set (the site's public name behind
    a proxy), else the address of the request."""
    base = settings.LIANXIN.get("PUBLIC_BASE_URL", "")
    if base:
        return base.rstrip("/") + path
    return request.build_absolute_uri(path)


def member_code_path(code):
    return reverse("guidui:member", args=[code.token])


def branch_code_path(code):
    return reverse("guidui:branch", args=[code.token])


def card_posts(branch):
    """The 书记 and 组织委员 whose contacts the 联心卡 and the public page give (Shaanxi measure 六)."""
    return list(
        Post.objects.filter(organization=branch, ended_on__isnull=True, title__in=["书记", "组织委员"])
        .select_related("user")
        .order_by("title")
    )


def qr_data_uri(text):
    """An SVG QR code as a data: URI (the pages' CSP allows images from data:)."""
    return segno.make(text, error="m").svg_data_uri(scale=4)
