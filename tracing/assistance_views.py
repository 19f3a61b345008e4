"""协查 pages: asking another organization to help search (found by typing its name or code,
never by listing the whole tree), and the helper's answer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from lianxin import access
from lianxin.formerrors import apply_validation_error as _apply
from tracing import services
from tracing.forms import AssistanceAnswerForm, AssistanceRequestForm
from tracing.models import AssistanceRequest
from tracing.views import LOG, _case_or_404


def assistance_request(request, pk):
    case = _case_or_404(request, pk, LOG)
    if request.method == "POST" and "search" in request.POST:
        # 查找: show the organizations matching the typed text; nothing is validated or sent yet.
        keep = ("q", "text", "to_organization")
        form = AssistanceRequestForm(initial={k: request.POST.get(k, "") for k in keep}, case=case)
    else:
        form = AssistanceRequestForm(request.POST or None, case=case)
    if request.method == "POST" and "search" not in request.POST and form.is_valid():
        try:
            services.assistance_request(
                case=case,
                to_organization=form.cleaned_data["to_organization"],
                text=form.cleaned_data["text"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "协查请求已发出，对方党组织可查看本案件并答复。")
            return redirect("tracing:case_detail", pk=case.pk)
    return render(
        request,
        "tracing/assistance_form.html",
        {"form": form, "case": case, "cancel_url": reverse("tracing:case_detail", args=[case.pk])},
    )


def assistance_answer(request, pk):
    item = access.get_or_404(
        request.user, access.VIEW, AssistanceRequest.objects.select_related("case__member"), pk=pk
    )
    access.require(request.user, LOG, item)
    form = AssistanceAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assistance_answer(request=item, text=form.cleaned_data["text"], acting_user=request.user)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "已答复协查请求。")
            return redirect("tracing:case_detail", pk=item.case_id)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "答复协查",
            "subject": item.request_text,
            "cancel_url": reverse("tracing:case_detail", args=[item.case_id]),
        },
    )
