"""Pagination with the page number read safely from the request.

Counting stops at COUNT_CAP rows: the exact number of a province's members is a scan of a
million rows on every page view, and nobody pages through a thousand pages — they search or
filter. Past the cap a list says "50,000 条以上"; the exact totals are in the 统计表.

A large scope's list opened as the counters count it passes their total instead
(lianxin/listcounts.py): the same number, capped the same way, without the count query.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

PAGE_SIZE = 50
COUNT_CAP = 50_000


class CappedPaginator(Paginator):
    capped = False

    def __init__(self, object_list, per_page, known_count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = known_count  # the rows' number from the counters, or None

    @cached_property
    def count(self):
        object_list = self.object_list
        if self.known_count is not None:
            n = self.known_count
        elif not hasattr(object_list, "query"):  # a plain list
            return len(object_list)
        else:
            # A sliced count is one query: SELECT COUNT(*) FROM (… LIMIT cap + 1).
            n = object_list.order_by()[: COUNT_CAP + 1].count()
        self.capped = n > COUNT_CAP
        return min(n, COUNT_CAP)

    @property
    def count_display(self):
        return f"{self.count:,}"

    @property
    def count_label(self):
        return f"{self.count:,} 条以上" if self.capped else f"{self.count:,} 条"


def paginate(request, queryset, per_page=None, count=None):
    """A page of `queryset`; `count`, when given, is its number of rows (a counter's total)."""
    paginator = CappedPaginator(queryset, per_page or PAGE_SIZE, known_count=count)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request):
    """The current query string without `page`, for pagination links that keep the filters."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
