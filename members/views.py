"""Member pages: the list, a member's record, and the branch secretary's daily entries."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from lianxin import access
from lianxin.formerrors import apply_validation_error as _apply
from lianxin.models import Organization, OrgKind
from lianxin.pagination import paginate, query_without_page
from lianxin.queries import filter_choices
from members import rollcall, services
from members.forms import (
    AbsenceForm,
    ActivityForm,
    ContactForm,
    ContactRecordForm,
    DuesForm,
    FollowUpForm,
    MemberForm,
    ReceiptForm,
    ReturnForm,
    TransferInForm,
    TransferOutForm,
)
from members.models import Absence, ContactStatus, KeyGroup, Member, Occupation, PartyStatus, Transfer

MANAGE = "manage_members"


def _member_or_404(request, pk, perm=access.VIEW):
    member = access.get_or_404(
        request.user, access.VIEW, Member.objects.select_related("organization"), pk=pk
    )
    access.require(request.user, perm, member)
    return member


def _branch_or_404(request, pk, perm=MANAGE):
    branch = access.get_or_404(
        request.user, access.VIEW, Organization.objects.filter(kind=OrgKind.BRANCH), pk=pk
    )
    access.require(request.user, perm, branch)
    return branch


def member_list(request):
    members = access.scoped(request.user, access.VIEW, Member.objects.select_related("organization"))
    q = request.GET.get("q", "").strip()
    if any(ch.isdigit() for ch in q):  # a number belongs in the recorded POST search, not in a URL
        return _drop_number_from_query(request)
    if q:
        members = members.filter(name__contains=q)
    filters = {
        "org": request.GET.get("org", ""),
        "status": request.GET.get("status", ""),
        "occupation": request.GET.get("occupation", ""),
        "key_group": request.GET.get("key_group", ""),
    }
    if filters["org"].isdigit():
        branch = access.get_or_404(request.user, access.VIEW, Organization.objects.all(), pk=filters["org"])
        members = members.filter(organization__path__startswith=branch.path)
    if filters["status"] in ContactStatus.values:
        members = members.filter(contact_status=filters["status"])
    if filters["occupation"].isdigit():
        members = members.filter(occupation=int(filters["occupation"]))
    if filters["key_group"].isdigit():
        members = members.filter(key_group=int(filters["key_group"]))
    if request.GET.get("all") != "1":
        members = members.filter(
            party_status__in=[PartyStatus.NORMAL, PartyStatus.CORRECTION, PartyStatus.SUSPENDED]
        )
    page = paginate(request, members.order_by("organization__path", "name", "pk"))
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
            "branches": branches,
            "manageable": manageable,
            "statuses": ContactStatus.choices,
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


# 党籍 statuses a search may be opened for (tracing.services.case_open decides; this only hides the link).
SEARCHABLE = (PartyStatus.NORMAL, PartyStatus.CORRECTION, PartyStatus.SUSPENDED)


def member_detail(request, pk):
    member = _member_or_404(request, pk)
    can_manage = access.can(request.user, MANAGE, member)
    history = member.history.select_related("history_user").order_by("-history_date")[:30]
    search = rollcall.open_searches([member.pk]).get(member.pk)
    can_search = access.can(request.user, "log_search", member)
    if search is not None:  # a contact with a member searched for is recorded on the case
        contact_url = search.contact_url if can_search else ""
    else:
        contact_url = reverse("members:contact_record", args=[member.pk]) if can_manage else ""
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "can_manage": can_manage,
            "open_search": search,
            "contact_url": contact_url,
            "can_open_case": search is None and member.party_status in SEARCHABLE and can_search,
            "contact_records": member.contact_records.select_related("recorded_by")[:12],
            "contacts": member.contacts.all(),
            "attendance": member.attendance.select_related("activity").order_by("-activity__held_on")[:12],
            "dues": member.dues.all()[:12],
            "absences": member.absences.all(),
            "transfers": member.transfers.prefetch_related("follow_ups"),
            "cases": member.cases.all().order_by("-opened_on"),
            "history": history,
            "breadcrumbs": [
                o for o in member.organization.chain() if access.can(request.user, access.VIEW, o)
            ],
        },
    )


def _form_page(request, form, title, *, subject="", cancel_url="/", submit_label="保存"):
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "subject": subject,
            "cancel_url": cancel_url,
            "submit_label": submit_label,
        },
    )


def member_add(request, org_pk):
    branch = _branch_or_404(request, org_pk)
    form = MemberForm(request.POST or None, branch=branch)
    if request.method == "POST" and form.is_valid():
        member = form.save(commit=False)
        member.organization = branch
        try:
            services.member_save(member=member, acting_user=request.user)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, f"已登记党员 {member.name}。")
            return redirect("members:member_detail", pk=member.pk)
    return _form_page(
        request, form, "登记党员", subject=branch.name, cancel_url=reverse("members:member_list")
    )


def member_edit(request, pk):
    member = _member_or_404(request, pk, MANAGE)
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_save(member=form.save(commit=False), acting_user=request.user)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("members:member_detail", pk=member.pk)
    url = reverse("members:member_detail", args=[member.pk])
    return _form_page(request, form, f"修改党员信息：{member.name}", cancel_url=url)


def contact_record(request, pk):
    """记录联系. A member with an open search is sent to the case: the contact is recorded there."""
    member = _member_or_404(request, pk, MANAGE)
    search = rollcall.open_searches([member.pk]).get(member.pk)
    if search is not None:
        messages.info(request, f"{member.name}有正在查找的失联案件，联系情况请在案件中登记。")
        return redirect(search.contact_url)
    form = ContactRecordForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_record(member=member, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            member.refresh_from_db()
            messages.success(
                request, f"已记录联系，{member.name}目前联系状态：{member.get_contact_status_display()}。"
            )
            return redirect("members:member_detail", pk=member.pk)
    url = reverse("members:member_detail", args=[member.pk])
    return _form_page(request, form, "记录联系", subject=member.name, cancel_url=url)


def activity_add(request, org_pk):
    branch = _branch_or_404(request, org_pk)
    members = list(
        Member.objects.filter(
            organization=branch, party_status__in=[PartyStatus.NORMAL, PartyStatus.CORRECTION]
        ).order_by("name", "pk")
    )
    on_leave = Absence.objects.filter(member__organization=branch, returned_on__isnull=True)
    kwargs = {
        "members": members,
        "on_leave": set(on_leave.values_list("member_id", flat=True)),
        "searched": rollcall.open_searches([m.pk for m in members]),
    }
    if request.method == "POST" and "fill_present" in request.POST:
        initial, filled = ActivityForm(**kwargs).presence_filled(request.POST)
        messages.info(
            request,
            f"已将 {filled} 名党员设为“参加”（失联、联系不上和正在查找的党员除外），请逐一核对后保存。",
        )
        form = ActivityForm(initial=initial, **kwargs)
        return render(request, "members/activity_form.html", {"form": form, "branch": branch})
    form = ActivityForm(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_record(
                organization=branch,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                held_on=form.cleaned_data["held_on"],
                attendance=form.attendance(),
                acting_user=request.user,
                confirmed=form.confirmed(),
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            flagged = activity.attendance.filter(status="unreachable").count()
            note = f"，{flagged} 名党员联系不上，已列入立即查找" if flagged else ""
            if form.confirmed():
                note += (
                    f"；{len(form.confirmed())} 名正在查找的党员已在其案件中记录取得联系，请到案件中结束查找"
                )
            messages.success(
                request, f"已记录组织生活及 {activity.attendance.count()} 名党员的出席情况{note}。"
            )
            return redirect(reverse("members:member_list") + f"?org={branch.pk}")
    return render(request, "members/activity_form.html", {"form": form, "branch": branch})


def dues_add(request, pk):
    def save(member, form):
        services.dues_record(member=member, acting_user=request.user, **form.cleaned_data)

    return _member_form_action(request, pk, DuesForm, save, "登记党费", "已登记党费。", member_kwarg=True)


def _attached(service, field, user):
    """save() for a ModelForm whose object belongs to the member: attach it, then call the service."""

    def save(member, form):
        obj = form.save(commit=False)
        obj.member = member
        service(**{field: obj}, acting_user=user)

    return save


def absence_add(request, pk):
    save = _attached(services.absence_record, "absence", request.user)
    return _member_form_action(request, pk, AbsenceForm, save, "外出登记", "已登记外出。")


def absence_return(request, pk):
    absence = get_object_or_404(
        access.scoped(request.user, access.VIEW, Absence.objects.select_related("member__organization")),
        pk=pk,
        returned_on__isnull=True,
    )
    access.require(request.user, MANAGE, absence)
    form = ReturnForm(request.POST or None, absence=absence)
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_close(
                absence=absence, returned_on=form.cleaned_data["returned_on"], acting_user=request.user
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "已登记返回。")
            return redirect("members:member_detail", pk=absence.member.pk)
    url = reverse("members:member_detail", args=[absence.member.pk])
    return _form_page(request, form, "外出返回", subject=f"{absence.member.name}：{absence}", cancel_url=url)


def contact_add(request, pk):
    save = _attached(services.contact_add, "contact", request.user)
    return _member_form_action(request, pk, ContactForm, save, "添加联系人", "已添加联系人。")


def _transfer_or_404(request, pk):
    transfer = get_object_or_404(
        access.scoped(request.user, access.VIEW, Transfer.objects.select_related("member__organization")),
        pk=pk,
    )
    access.require(request.user, MANAGE, transfer)
    return transfer


def _member_form_action(request, pk, form_class, save, title, success, *, member_kwarg=False):
    """A member-scoped form whose valid data goes to one service; errors stay on the form."""
    member = _member_or_404(request, pk, MANAGE)
    form = form_class(request.POST or None, **({"member": member} if member_kwarg else {}))
    if request.method == "POST" and form.is_valid():
        try:
            save(member, form)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, success)
            return redirect("members:member_detail", pk=member.pk)
    return _form_page(
        request,
        form,
        title,
        subject=member.name,
        cancel_url=reverse("members:member_detail", args=[member.pk]),
    )


def transfer_out(request, pk):
    save = _attached(services.transfer_out, "transfer", request.user)
    return _member_form_action(
        request, pk, TransferOutForm, save, "组织关系转出", "已登记转出，回执收回前将持续跟踪。"
    )


def transfer_in(request, pk):
    save = _attached(services.transfer_in, "transfer", request.user)
    return _member_form_action(request, pk, TransferInForm, save, "组织关系转入", "已登记转入谈话。")


def transfer_receipt(request, pk):
    transfer = _transfer_or_404(request, pk)
    form = ReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.receipt_record(
                transfer=transfer, received_on=form.cleaned_data["received_on"], acting_user=request.user
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "已登记回执。")
            return redirect("members:member_detail", pk=transfer.member.pk)
    return _form_page(
        request,
        form,
        "登记介绍信回执",
        subject=str(transfer),
        cancel_url=reverse("members:member_detail", args=[transfer.member.pk]),
    )


def transfer_follow_up(request, pk):
    transfer = _transfer_or_404(request, pk)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_add(transfer=transfer, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "已记录回执跟踪情况。")
            return redirect("members:member_detail", pk=transfer.member.pk)
    return _form_page(
        request,
        form,
        "回执跟踪",
        subject=str(transfer),
        cancel_url=reverse("members:member_detail", args=[transfer.member.pk]),
    )
