"""记录联系 on a case: the member was reached while their case is open (tracing/contact.py)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from lianxin.pages import form_page
from tracing.contact import case_contact_record
from tracing.forms import CaseContactForm
from tracing.views import _case_or_404


def case_contact(request, pk):
    case = _case_or_404(request, pk, "tracing:case_contact")
    back = reverse("tracing:case_detail", args=[case.pk])
    if not case.is_open:
        messages.info(request, "案件已结束，联系情况请在党员页面记录。")
        return redirect(back)
    form = CaseContactForm(request.POST or None, initial={"on": timezone.localdate(), "close": ""})
    return form_page(
        request,
        form,
        save=lambda data: case_contact_record(
            case=case,
            on=data["on"],
            kind=data["kind"],
            note=data["note"],
            close=data["close"],
            acting_user=request.user,
        ),
        title="记录联系",
        subject=f"{case.member.name} · 正在查找（{case.opened_on:%Y-%m-%d} 立案）",
        intro="该党员有正在查找的失联案件：联系情况登记为案件的一次查找（结果：取得联系），"
        "并更新党员的联系状态；也可同时结束查找。",
        submit_label="确认登记",
        done=lambda _: (
            "已登记取得联系，查找已结束（已取得联系）。"
            if form.cleaned_data["close"]
            else "已登记取得联系的查找记录。核实后请结束查找。"
        ),
        next_url=back,
    )
