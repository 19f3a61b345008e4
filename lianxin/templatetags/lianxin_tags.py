from django import template
from django.utils import timezone

from lianxin.masking import mask_id_number, mask_phone

register = template.Library()

register.filter("mask_id", mask_id_number)
register.filter("mask_phone", mask_phone)


@register.filter
def circled(number):
    """A form code as the documents print it: 6 → ⑥ (①–⑳; other values as they are)."""
    try:
        n = int(number)
    except (TypeError, ValueError):
        return number
    return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)


@register.filter
def coded(obj, field):
    """A coded field with its label, as on the 名册: member|coded:"occupation" → ⑥ 街道社区人户分离人员."""
    value = getattr(obj, field)
    label = getattr(obj, f"get_{field}_display")()
    if value in (None, ""):
        return "—"
    mark = circled(value)
    return f"{mark} {label}" if mark != str(value) else label  # 0 "无" has no code to show


@register.filter
def days_since(day):
    """Whole days from `day` to today (how long since a member was last in contact)."""
    return (timezone.localdate() - day).days if day else ""


@register.simple_tag
def on_behalf(actor, post):
    """ "由<actor>代为办理（<organization><title> <holder>）" for a record made by a delegate."""
    from lianxin.delegations import on_behalf_text

    return on_behalf_text(actor, post)
