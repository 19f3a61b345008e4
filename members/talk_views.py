"""三必谈: recording the talk before a member leaves, or after they come back (one form page)."""

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import reverse

from lianxin import access, dates, perms
from lianxin.pages import form_page
from members import services
from members.forms import DATE
from members.models import Absence
from members.talks import Talk

MANAGE = perms.MANAGE_MEMBERS


class TalkForm(forms.Form):
    kind = forms.ChoiceField(label="谈话类别", choices=Talk.Kind.choices)
    on = dates.DateField(label="谈话日期", widget=DATE)
    talker = forms.CharField(label="谈话人", max_length=50)
    record = forms.CharField(label="谈话记录", widget=forms.Textarea(attrs={"rows": 4}))


def talk_add(request, pk):
    absence = get_object_or_404(
        access.scoped(request.user, access.VIEW, Absence.objects.select_related("member__organization")),
        pk=pk,
    )
    access.require(request.user, MANAGE, absence)
    initial = {"kind": request.GET.get("kind", Talk.Kind.DEPARTURE), "talker": request.user.get_full_name()}
    form = TalkForm(request.POST or None, initial=initial)
    back = reverse("members:member_detail", args=[absence.member_id])
    return form_page(
        request,
        form,
        save=lambda data: services.talk_record(absence=absence, acting_user=request.user, **data),
        title="记录谈心谈话（三必谈）",
        subject=f"{absence.member.name}：{absence.get_kind_display()} {absence.destination}",
        done="已记录谈话。",
        next_url=back,
        intro="外出前必谈、返回后必谈：了解思想状况，提出保持联系的要求。",
    )
