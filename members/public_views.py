"""The public 归队码 pages: a member, on a phone and without an account, names themself and reports.

`/r/<token>/` (a member's 归队码) and `/r/b/<token>/` (a branch's 报到码). The only pages of
lianxin without a login. What they promise:
- nothing about anyone before the person names themself (name + last four characters of the
  身份证号); after that only the masked name and the branch's contacts;
- one answer for every wrong name or number, never which half was wrong;
- an unknown, rotated or revoked code answers 404;
- failed identifications are limited per code and per client address, reports per member and
  day (429 with a Chinese page); the counts live in the database (members/ratelimit.py);
- CSRF as everywhere (the cookie works without a login), no-store (lianxin.middleware), nothing
  personal in the URL: the identification travels signed in the form, never in the address.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from lianxin.clientip import client_ip
from members import codes, ratelimit
from members.codes import REPORTING
from members.models import Member, SelfReportVia
from members.public_forms import IdentifyForm, ReportForm
from members.selfreports import identify, masked_name, selfreport_receive

HOUR, DAY = 3600, 86400
SIGNED_FOR = 30 * 60  # seconds a page with an identification stays valid
SALT = "lianxin.guidui.identified"
WRONG = "姓名或身份证号后四位不正确，请核对后重新填写。"
EXPIRED = "页面停留时间过长，请重新确认身份。"


def _limits():
    return settings.LIANXIN


def _address(request):
    return "addr:" + client_ip(request)


def _too_many(request, message="尝试次数过多，请一小时后再试。"):
    response = render(request, "guidui/limited.html", {"message": message}, status=429)
    response["Retry-After"] = str(HOUR)
    return response


def _not_found(request):
    ratelimit.hit(_address(request), HOUR)  # guessing codes costs the address its tries
    return render(request, "guidui/not_found.html", status=404)


@login_not_required
@require_http_methods(["GET", "POST"])
def member_page(request, token):
    if ratelimit.over(_address(request), _limits()["PUBLIC_FAILURES_PER_ADDRESS"], HOUR):
        return _too_many(request)
    code = codes.find_member_code(token)
    if code is None:
        return _not_found(request)
    page = Page(f"m{code.pk}", SelfReportVia.MEMBER_CODE, code.member.organization, member=code.member)
    return page.respond(request)


@login_not_required
@require_http_methods(["GET", "POST"])
def branch_page(request, token):
    if ratelimit.over(_address(request), _limits()["PUBLIC_FAILURES_PER_ADDRESS"], HOUR):
        return _too_many(request)
    code = codes.find_branch_code(token)
    if code is None:
        return _not_found(request)
    return Page(f"b{code.pk}", SelfReportVia.BRANCH_CODE, code.organization).respond(request)


class Page:
    """One code's page: identify, then report. `member` is the code's member (归队码), or None when
    the person is looked for among the branch's members (报到码)."""

    def __init__(self, key, via, branch, member=None):
        self.key, self.via, self.branch, self.member = key, via, branch, member

    def respond(self, request):
        if request.method == "POST" and "ident" in request.POST:
            return self.report(request)
        if request.method == "POST":
            return self.identify(request)
        return self.render_identify(request, IdentifyForm())

    def render_identify(self, request, form, notice=""):
        # Before identification: the branch's name only on its own poster code, nothing on a member's.
        context = {
            "form": form,
            "notice": notice,
            "branch_name": self.branch.name if self.member is None else "",
        }
        return render(request, "guidui/identify.html", context)

    def identify(self, request):
        limit = _limits()["PUBLIC_FAILURES_PER_CODE"]
        if ratelimit.over(f"code:{self.key}", limit, HOUR):
            return _too_many(request)
        form = IdentifyForm(request.POST)
        if not form.is_valid():
            return self.render_identify(request, form)
        found = identify(
            name=form.cleaned_data["name"],
            last4=form.cleaned_data["last4"],
            member=self.member,
            branch=self.branch if self.member is None else None,
        )
        if found is None:
            ratelimit.hit(f"code:{self.key}", HOUR)
            ratelimit.hit(_address(request), HOUR)
            form.add_error(None, WRONG)
            return self.render_identify(request, form)
        signed = signing.dumps({"c": self.key, "m": found.pk}, salt=SALT)
        return self.render_report(request, ReportForm(initial={"ident": signed}), found)

    def identified(self, signed):
        """The member a signed identification names, if it is fresh and still fits this code."""
        try:
            data = signing.loads(signed, salt=SALT, max_age=SIGNED_FOR)
        except signing.BadSignature:  # expired, altered, or not ours
            return None
        if not isinstance(data, dict) or data.get("c") != self.key:
            return None
        if self.member is not None:
            return self.member if data.get("m") == self.member.pk else None
        return (
            Member.objects.select_related("organization")
            .filter(pk=data.get("m"), organization=self.branch, party_status__in=REPORTING)
            .first()
        )

    def report(self, request):
        member = self.identified(request.POST.get("ident", ""))
        if member is None:
            return self.render_identify(request, IdentifyForm(), notice=EXPIRED)
        form = ReportForm(request.POST)
        if not form.is_valid():
            return self.render_report(request, form, member)
        per_day = f"reports:{member.pk}"
        if ratelimit.over(per_day, _limits()["PUBLIC_REPORTS_PER_DAY"], DAY):
            return _too_many(request, "今天已报送多次，党支部会尽快与您联系；如有急事请直接拨打支部电话。")
        data = form.cleaned_data
        selfreport_receive(
            member=member,
            via=self.via,
            residence=data["residence"],
            workplace=data["workplace"],
            phone=data["phone"],
            attending=data["attending"],
            message=data["message"],
        )
        ratelimit.hit(per_day, DAY)
        return render(request, "guidui/sent.html", self.contacts(member))

    def render_report(self, request, form, member):
        return render(request, "guidui/report.html", {"form": form, **self.contacts(member)})

    def contacts(self, member):
        """After identification: the masked name and the branch's contacts, nothing else."""
        branch = member.organization
        return {"masked_name": masked_name(member.name), "branch": branch, "posts": codes.card_posts(branch)}
