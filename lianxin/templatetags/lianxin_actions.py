"""Links and buttons to actions, shown only where following them works (see lianxin/actions.py).

    {% action "disposition:disposition_withdraw" d "撤回" %}             a link, or nothing
    {% action "tracing:case_quick_open" m "立案查找" css="small" %}       a POST button for POST actions
    {% action "reports:statistics_xlsx" org "下载 Excel" query=qs %}     extra query string
    {% action "tracing:attempt_attachment" a "下载附件" css="" title="下载会被记录" %}
    {% action "reveal_value.phone" member "查看完整号码" css="link" back=request.path %}  the page to return to
    {% allowed "tracing:attempt_add" case as can_log %}                  the same answer, for a block

Every rendered action carries data-action="<name>", which the tests follow.
"""

from django import template
from django.middleware.csrf import get_token
from django.utils.html import format_html

from lianxin import actions

register = template.Library()


@register.simple_tag(takes_context=True)
def action(context, name, obj, label, css="button", query="", title="", back=""):
    request = context["request"]
    if not actions.allowed(request.user, name, obj):
        return ""
    act = actions.get(name)
    href = act.link(obj) + query
    if act.method == "post":
        return format_html(
            '<form method="post" action="{}" class="inline" data-action="{}">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">{}'
            '<button type="submit" class="{}">{}</button></form>',
            href,
            name,
            get_token(request),
            format_html('<input type="hidden" name="back" value="{}">', back) if back else "",
            css,
            label,
        )
    # href last, so the link reads `href="…">label` like a hand-written one
    tip = format_html(' title="{}"', title) if title else ""
    return format_html('<a class="{}" data-action="{}"{} href="{}">{}</a>', css, name, tip, href, label)


@register.simple_tag(takes_context=True)
def allowed(context, name, obj):
    return actions.allowed(context["request"].user, name, obj)
