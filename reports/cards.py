"""A member's own 联心卡 (PDF): the branch's contacts and the member's 归队码 QR (members/codes.py)."""

from urllib.parse import quote

from django.http import HttpResponse

from lianxin import access, perms
from members import codes
from members.models import Member
from reports import pdf


def member_card_pdf(request, pk):
    """Printed by those who manage the member (the branch hands it over at transfer-out)."""
    member = access.get_or_404(
        request.user, access.VIEW, Member.objects.select_related("organization"), pk=pk
    )
    access.require(request.user, perms.MANAGE_MEMBERS, member)
    url = codes.public_url(request, codes.member_code_path(codes.member_code(member)))
    content = pdf.member_card_pdf(member, codes.card_posts(member.organization), url)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'联心卡-{member.name}.pdf')}"
    return response
