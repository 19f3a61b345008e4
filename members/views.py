"""Member pages: a member's record, and the branch secretary's daily entries (the list: list_views.py)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from lianxin import access, actions, perms
from lianxin.models import Organization, OrgKind
from lianxin.pages import form_page
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
from members.models import Absence, AttendanceStatus, Member, PartyStatus, Transfer

MANAGE = perms.MANAGE_MEMBERS


def _require(request, perm, obj):
    """An action ("members:member_edit") asks lianxin.actions — as the page did before linking
    to it; a bare permission asks access."""
    if ":" in perm:
        actions.require(request.user, perm, obj)
    else:
        access.require(request.user, perm, obj)


def _member_or_404(request, pk, perm=access.VIEW):
    member = access.get_or_404(
        request.user, access.VIEW, Member.objects.select_related("organization"), pk=pk
    )
    _require(request, perm, member)
    return member


def _branch_or_404(request, pk, perm=MANAGE):
    branch = access.get_or_404(
        request.user, access.VIEW, Organization.objects.filter(kind=OrgKind.BRANCH), pk=pk
    )
    _require(request, perm, branch)
    return branch


def member_detail(request, pk):
    member = _member_or_404(request, pk)
    can_manage = access.can(request.user, MANAGE, member)
    history = member.history.select_related("history_user").order_by("-history_date")[:30]
    search = rollcall.open_searches([member.pk]).get(member.pk)
    # A contact with a member searched for is recorded on the search (its app's action).
    if search is not None:
        contact_action, contact_subject = search.contact_action, search.subject
    else:
        contact_action, contact_subject = "members:contact_record", member
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "can_manage": can_manage,
            "open_search": search,
            "contact_action": contact_action,
            "contact_subject": contact_subject,
            "can_contact": actions.allowed(request.user, contact_action, contact_subject),
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


def member_add(request, org_pk):
    branch = _branch_or_404(request, org_pk, "members:member_add")
    form = MemberForm(request.POST or None, branch=branch)

    def save(data):
        member = form.save(commit=False)
        member.organization = branch
        services.member_save(member=member, acting_user=request.user)
        return member

    return form_page(
        request,
        form,
        save=save,
        title="登记党员",
        subject=branch.name,
        done=lambda member: f"已登记党员 {member.name}。",
        next_url=lambda member: reverse("members:member_detail", args=[member.pk]),
        cancel_url=reverse("members:member_list"),
    )


def member_edit(request, pk):
    member = _member_or_404(request, pk, "members:member_edit")
    form = MemberForm(request.POST or None, instance=member)
    return form_page(
        request,
        form,
        save=lambda data: services.member_save(member=form.save(commit=False), acting_user=request.user),
        title=f"修改党员信息：{member.name}",
        done="已保存。",
        next_url=reverse("members:member_detail", args=[member.pk]),
    )


def contact_record(request, pk):
    """记录联系. A member with an open search is sent to the case: the contact is recorded there."""
    member = _member_or_404(request, pk, "members:contact_record")
    search = rollcall.open_searches([member.pk]).get(member.pk)
    if search is not None:
        messages.info(request, f"{member.name}有正在查找的失联案件，联系情况请在案件中登记。")
        return redirect(search.contact_url)

    def done(_):
        member.refresh_from_db()
        return f"已记录联系，{member.name}目前联系状态：{member.get_contact_status_display()}。"

    return form_page(
        request,
        ContactRecordForm(request.POST or None, initial={"on": timezone.localdate()}),
        save=lambda data: services.contact_record(member=member, acting_user=request.user, **data),
        title="记录联系",
        subject=member.name,
        done=done,
        next_url=reverse("members:member_detail", args=[member.pk]),
    )


def activity_add(request, org_pk):
    branch = _branch_or_404(request, org_pk, "members:activity_add")
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

    def save(data):
        return services.activity_record(
            organization=branch,
            kind=data["kind"],
            title=data["title"],
            held_on=data["held_on"],
            attendance=form.attendance(),
            acting_user=request.user,
            confirmed=form.confirmed(),
        )

    def done(activity):
        flagged = activity.attendance.filter(status=AttendanceStatus.UNREACHABLE).count()
        note = f"，{flagged} 名党员联系不上，已列入立即查找" if flagged else ""
        if form.confirmed():
            note += f"；{len(form.confirmed())} 名正在查找的党员已在其案件中记录取得联系，请到案件中结束查找"
        return f"已记录组织生活及 {activity.attendance.count()} 名党员的出席情况{note}。"

    return form_page(
        request,
        form,
        save=save,
        title="记录组织生活",
        done=done,
        next_url=reverse("members:member_list") + f"?org={branch.pk}",
        template="members/activity_form.html",
        context={"branch": branch},
    )


def dues_add(request, pk):
    def save(member, form):
        services.dues_record(member=member, acting_user=request.user, **form.cleaned_data)

    return _member_form_action(
        request, pk, DuesForm, save, "登记党费", "已登记党费。", member_kwarg=True, action="members:dues_add"
    )


def _attached(service, field, user):
    """save() for a ModelForm whose object belongs to the member: attach it, then call the service."""

    def save(member, form):
        obj = form.save(commit=False)
        obj.member = member
        service(**{field: obj}, acting_user=user)

    return save


def absence_add(request, pk):
    save = _attached(services.absence_record, "absence", request.user)
    return _member_form_action(
        request, pk, AbsenceForm, save, "外出登记", "已登记外出。", action="members:absence_add"
    )


def absence_return(request, pk):
    absence = get_object_or_404(
        access.scoped(request.user, access.VIEW, Absence.objects.select_related("member__organization")),
        pk=pk,
        returned_on__isnull=True,
    )
    actions.require(request.user, "members:absence_return", absence)
    return form_page(
        request,
        ReturnForm(request.POST or None, absence=absence),
        save=lambda data: services.absence_close(
            absence=absence, returned_on=data["returned_on"], acting_user=request.user
        ),
        title="外出返回",
        subject=f"{absence.member.name}：{absence}",
        done="已登记返回。",
        next_url=reverse("members:member_detail", args=[absence.member.pk]),
    )


def contact_add(request, pk):
    save = _attached(services.contact_add, "contact", request.user)
    return _member_form_action(
        request, pk, ContactForm, save, "添加联系人", "已添加联系人。", action="members:contact_add"
    )


def _transfer_or_404(request, pk, perm=MANAGE):
    transfer = get_object_or_404(
        access.scoped(request.user, access.VIEW, Transfer.objects.select_related("member__organization")),
        pk=pk,
    )
    _require(request, perm, transfer)
    return transfer


def _member_form_action(request, pk, form_class, save, title, success, *, member_kwarg=False, action=MANAGE):
    """A member-scoped form whose valid data goes to one service (`save(member, form)`)."""
    member = _member_or_404(request, pk, action)
    form = form_class(request.POST or None, **({"member": member} if member_kwarg else {}))
    return form_page(
        request,
        form,
        save=lambda data: save(member, form),
        title=title,
        subject=member.name,
        done=success,
        next_url=reverse("members:member_detail", args=[member.pk]),
    )


def transfer_out(request, pk):
    save = _attached(services.transfer_out, "transfer", request.user)
    return _member_form_action(
        request,
        pk,
        TransferOutForm,
        save,
        "组织关系转出",
        "已登记转出，回执收回前将持续跟踪。",
        action="members:transfer_out",
    )


def transfer_in(request, pk):
    save = _attached(services.transfer_in, "transfer", request.user)
    return _member_form_action(
        request, pk, TransferInForm, save, "组织关系转入", "已登记转入谈话。", action="members:transfer_in"
    )


def transfer_receipt(request, pk):
    transfer = _transfer_or_404(request, pk, "members:transfer_receipt")
    return form_page(
        request,
        ReceiptForm(request.POST or None),
        save=lambda data: services.receipt_record(
            transfer=transfer, received_on=data["received_on"], acting_user=request.user
        ),
        title="登记介绍信回执",
        subject=str(transfer),
        done="已登记回执。",
        next_url=reverse("members:member_detail", args=[transfer.member.pk]),
    )


def transfer_follow_up(request, pk):
    transfer = _transfer_or_404(request, pk, "members:transfer_follow_up")
    return form_page(
        request,
        FollowUpForm(request.POST or None),
        save=lambda data: services.follow_up_add(transfer=transfer, acting_user=request.user, **data),
        title="回执跟踪",
        subject=str(transfer),
        done="已记录回执跟踪情况。",
        next_url=reverse("members:member_detail", args=[transfer.member.pk]),
    )
