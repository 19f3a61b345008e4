"""The one shape of a form page.

A form view does three things of its own — find the object within scope (`access.get_or_404`),
check the right (`access.require`), build the form — and hands the rest to `form_page`:
show the form; on a valid POST call one service; put the service's ValidationError on the form,
field by field; otherwise say what was done and redirect. For example:

    def disposition_withdraw(request, pk):
        d = _disposition_or_404(request, pk, DECIDE_BRANCH)
        return form_page(
            request,
            ReasonForm(request.POST or None),
            save=lambda data: services.disposition_withdraw(disposition=d, acting_user=request.user, **data),
            title="撤回处置意见",
            subject=str(d),
            done="已撤回。",
            next_url=d.get_absolute_url(),
        )
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from lianxin.formerrors import apply_validation_error


def form_page(
    request,
    form,
    *,
    save,
    title,
    done,
    next_url,
    subject="",
    cancel_url=None,
    intro="",
    submit_label="保存",
    template="form_page.html",
    context=None,
):
    """`save(cleaned_data)` calls the service and returns its result; `done` (the success message)
    and `next_url` may be callables of that result, e.g. `lambda case: case.get_absolute_url()`.
    `context` (extra template context) may be a callable, so what only the page shows is
    computed only when the page is shown, after a failed save."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, done(result) if callable(done) else done)
            return redirect(next_url(result) if callable(next_url) else next_url)
    return render(
        request,
        template,
        {
            "form": form,
            "title": title,
            "subject": subject,
            "intro": intro,
            "submit_label": submit_label,
            "cancel_url": cancel_url or (next_url if isinstance(next_url, str) else "/"),
            **((context() if callable(context) else context) or {}),
        },
    )
