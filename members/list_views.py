"""The member list: scoped, filtered by name (never by a number: members/numbersearch.py), by
organization and status, or by a 工作台 card's named filter (?due=, members/listfilters.py)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from lianxin import access, listcounts, listfilters, perms
from lianxin.models import Organization, OrgKind
from lianxin.pagination import paginate, query_without_page
from lianxin.queries import filter_choices
from members.models import ContactStatus, KeyGroup, Occupation, PartyStatus

MANAGE = perms.MANAGE_MEMBERS
LIST = "members:member_list"
# The counters (members/counters.py) whose conditions are exactly the list's rows: opened as it
# is (党籍正常、限期改正、停止党籍), or with a named filter a counter follows.
LISTED = ["members.active", "members.suspended"]
COUNTED_DUES = {"unreachable": ["members.unreachable"], "out_of_control": ["members.out_of_control"]}


def member_list(request):
    members = listfilters.base(LIST, request.user).select_related("organization")
    # ?due= a named filter: exactly the rows the 工作台's panel counts (members/listfilters.py)
    due = listfilters.get(LIST, request.GET.get(listfilters.PARAM, ""))
    if due:
        members = members.filter(due.q(request.user, timezone.localdate()))
    q = request.GET.get("q", "").strip()
    if any(ch.isdigit() for ch in q):  # a number belongs in the recorded POST search, not in a URL
        return _drop_number_from_query(request)
    narrowed = bool(q)  # by a search or a filter the counters do not follow
    if q:
        members = members.filter(name__contains=q)
    filters = {
        "org": request.GET.get("org", ""),
        "status": request.GET.get("status", ""),
        "occupation": request.GET.get("occupation", ""),
        "key_group": request.GET.get("key_group", ""),
        "party": request.GET.get("party", ""),
    }
    branch = None
    if filters["org"].isdigit():
        branch = access.get_or_404(request.user, access.VIEW, Organization.objects.all(), pk=filters["org"])
        members = members.filter(organization__path__startswith=branch.path)
    if filters["status"] in ContactStatus.values:
        members, narrowed = members.filter(contact_status=filters["status"]), True
    if filters["occupation"].isdigit():
        members, narrowed = members.filter(occupation=int(filters["occupation"])), True
    if filters["key_group"].isdigit():
        members, narrowed = members.filter(key_group=int(filters["key_group"])), True
    if filters["party"] in PartyStatus.values:
        members, narrowed = members.filter(party_status=filters["party"]), True
    elif request.GET.get("all") == "1" and not due:
        narrowed = True  # every party status: no counter holds them all
    elif not due:  # a named filter says which party statuses it covers
        members = members.filter(
            party_status__in=[PartyStatus.NORMAL, PartyStatus.CORRECTION, PartyStatus.SUSPENDED]
        )
    keys = None if narrowed else (COUNTED_DUES.get(due.key) if due else LISTED)
    count = listcounts.total(request.user, keys, branch) if keys else None
    page = paginate(request, members.order_by("organization__path", "name", "pk"), count=count)
    for member in page.object_list:
        member.next_step, member.next_step_urgent = next_step(member)
    branches = filter_choices(request.user)
    # The branches the user registers members in (a secretary's own; never a province's 60,000).
    manageable = list(
        access.scoped(request.user, MANAGE, Organization.objects.filter(kind=OrgKind.BRANCH)).order_by(
            "path"
        )[:20]
    )
    return render(
        request,
        "members/member_list.html",
        {
            "page": page,
            "q": q,
            "filters": filters,
            "due": due,
            "dues": listfilters.choices(LIST),
            "branches": branches,
            "manageable": manageable,
            "statuses": ContactStatus.choices,
            "party_statuses": PartyStatus.choices,
            "occupations": Occupation.choices,
            "key_groups": KeyGroup.choices[1:],
            "query": query_without_page(request),
        },
    )


def _drop_number_from_query(request):
    params = request.GET.copy()
    params.pop("q", None)
    params.pop("page", None)
    messages.warning(
        request, "姓名查询中不含号码。按身份证号或电话查找请用“按号码查找”：只按完整号码查找，并会记录。"
    )
    return redirect(reverse("members:member_list") + (f"?{params.urlencode()}" if params else ""))


# What the secretary does next for a member, by what the list knows of them (the page of the
# member has the actions themselves).
NEXT_STEPS = {
    ContactStatus.LOST: ("去查找", True),
    ContactStatus.OUT_OF_CONTROL: ("立即联系", True),
    ContactStatus.WARNING: ("尽快联系", False),
}


def next_step(member):
    if member.unreachable_since and member.contact_status != ContactStatus.LOST:
        return "立即查找", True
    return NEXT_STEPS.get(member.contact_status, ("", False))
