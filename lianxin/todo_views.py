"""The 待办 page, 代办委托 (delegating a post for a while), and the daily jobs for administrators."""

from datetime import timedelta

from django import forms
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lianxin import access, dates, overdue, todo
from lianxin.delegations import delegate_choices, delegation_create, delegation_end, may_arrange
from lianxin.jobs.views import jobs_since
from lianxin.models import DailyRun, Delegation, Post
from lianxin.pages import form_page

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def todo_page(request):
    """待办 / 超期 / 即将到期 for the signed-in person; units below ranked by overdue work."""
    today = timezone.localdate()
    entries = todo.entries_for(request.user, today)
    tab = request.GET.get("tab", overdue.OVERDUE)
    if tab not in overdue.TABS:
        tab = overdue.OVERDUE
    counts = todo.counts(entries)
    tabs = [(key, label, counts[key]) for key, label in overdue.TABS.items()]
    return render(
        request,
        "lianxin/todo.html",
        {
            "tab": tab,
            "tabs": tabs,
            "entries": [e for e in entries if e.tab == tab],
            "ranking": todo.ranking(request.user, today),
            "own_posts": [p for p in todo.seats(request.user, today) if p.user_id == request.user.pk],
            "delegations": _delegations_of(request.user, today),
            "today": today,
        },
    )


def _delegations_of(user, today):
    """Delegations of the user's posts, and to the user, not ended."""
    return list(
        Delegation.objects.filter(Q(post__user=user) | Q(delegate=user), ends_on__gte=today)
        .filter(post__ended_on__isnull=True)
        .select_related("post__organization", "post__user", "delegate")
        .order_by("starts_on", "pk")
    )


class DelegationForm(forms.Form):
    delegate = forms.ModelChoiceField(label="代办人", queryset=Post.objects.none())
    starts_on = dates.DateField(label="开始日期", widget=DATE)
    ends_on = dates.DateField(label="结束日期（含当日）", widget=DATE)
    reason = forms.ChoiceField(label="原因", choices=Delegation.Reason.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = delegate_choices(post)
        self.fields["delegate"].label_from_instance = lambda u: f"{u.get_full_name() or u.get_username()}"


def _post_to_arrange(request, pk):
    post = access.get_or_404(
        request.user,
        access.VIEW,
        Post.objects.filter(ended_on__isnull=True).select_related("organization"),
        pk=pk,
    )
    if not may_arrange(request.user, post):
        raise Http404  # another's post, and not one the user is above
    return post


def delegation_add(request, pk):
    post = _post_to_arrange(request, pk)
    today = timezone.localdate()
    form = DelegationForm(
        request.POST or None, post=post, initial={"starts_on": today, "ends_on": today + timedelta(days=7)}
    )
    return form_page(
        request,
        form,
        save=lambda data: delegation_create(post=post, acting_user=request.user, **data),
        title="委托代办",
        subject=f"{post.organization.name} {post.title} {post.user.get_full_name() or post.user}",
        intro="出差、病假期间，由代办人承接本职务的待办事项和权限；代办人办理的事项记为“由…代为办理”。"
        "超过半年不能履职的，请办理职务交接。",
        done="已委托代办。",
        next_url=reverse("todo"),
        submit_label="委托",
    )


@require_POST
def delegation_stop(request, pk):
    delegation = access.get_or_404(
        request.user, access.VIEW, Delegation.objects.select_related("post__organization"), pk=pk
    )
    if not may_arrange(request.user, delegation.post):
        raise Http404
    return form_page(
        request,
        forms.Form(request.POST),
        save=lambda data: delegation_end(delegation=delegation, acting_user=request.user),
        title="结束委托",
        done="委托已结束。",
        next_url=reverse("todo"),
    )


def daily_runs(request):
    """后台任务: the daily jobs and the long work users asked for, the last two weeks
    (administrators only): everything the one worker ran, on one page."""
    if not request.user.is_superuser or not access.is_unrestricted(request.user):
        raise Http404
    since = timezone.localdate() - timedelta(days=14)
    runs = DailyRun.objects.filter(day__gte=since).order_by("-day", "name")
    return render(
        request,
        "lianxin/daily_runs.html",
        {"runs": runs, "RunStatus": DailyRun.Status, "jobs": jobs_since(since)},
    )
