"""协查 pages: asking another organization to help search (found by typing its name or code,
never by listing the whole tree), and the helper's answer."""

from django.urls import reverse

from lianxin import access, actions
from lianxin.pages import form_page
from tracing import services
from tracing.forms import AssistanceAnswerForm, AssistanceRequestForm
from tracing.models import AssistanceRequest
from tracing.views import _case_or_404


def assistance_request(request, pk):
    case = _case_or_404(request, pk, "tracing:assistance_request")
    if request.method == "POST" and "search" in request.POST:
        # 查找: show the organizations matching the typed text; nothing is validated or sent yet.
        keep = ("q", "text", "to_organization")
        form = AssistanceRequestForm(initial={k: request.POST.get(k, "") for k in keep}, case=case)
    else:
        form = AssistanceRequestForm(request.POST or None, case=case)
    # An unbound form (the 查找 step) is never valid: the page is shown again with the matches.
    return form_page(
        request,
        form,
        save=lambda data: services.assistance_request(
            case=case, to_organization=data["to_organization"], text=data["text"], acting_user=request.user
        ),
        title="请求协查",
        done="协查请求已发出，对方党组织可查看本案件并答复。",
        next_url=reverse("tracing:case_detail", args=[case.pk]),
        template="tracing/assistance_form.html",
        context={"case": case},
    )


def assistance_answer(request, pk):
    item = access.get_or_404(
        request.user, access.VIEW, AssistanceRequest.objects.select_related("case__member"), pk=pk
    )
    actions.require(request.user, "tracing:assistance_answer", item)
    return form_page(
        request,
        AssistanceAnswerForm(request.POST or None),
        save=lambda data: services.assistance_answer(
            request=item, text=data["text"], acting_user=request.user
        ),
        title="答复协查",
        subject=item.request_text,
        done="已答复协查请求。",
        next_url=reverse("tracing:case_detail", args=[item.case_id]),
    )
