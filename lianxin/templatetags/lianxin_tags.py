from django import template

from lianxin.masking import mask_id_number, mask_phone

register = template.Library()

register.filter("mask_id", mask_id_number)
register.filter("mask_phone", mask_phone)


@register.simple_tag
def on_behalf(actor, post):
    """ "由<actor>代为办理（<organization><title> <holder>）" for a record made by a delegate."""
    from lianxin.delegations import on_behalf_text

    return on_behalf_text(actor, post)
