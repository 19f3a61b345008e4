"""Daily job of the members app: contact status depends on today's date."""

from lianxin.daily import register_daily
from members.services import refresh_all


def refresh_statuses(*, today):
    return {"changed": refresh_all(today=today)}


register_daily("refresh_statuses", refresh_statuses)
