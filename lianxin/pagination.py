"""Pagination with the page number read safely from the request.

Counting stops at COUNT_CAP rows: the exact number of a province's members is a scan of a
million rows on every page view, and nobody pages through a thousand pages — they search or
filter. Past the cap a list says "50,000 条以上"; the exact totals are in the 统计表.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

PAGE_SIZE = 50
COUNT_CAP = 50_000


class CappedPaginator(Paginator):
    capped = False

    @cached_property
    def count(self):
        object_list = self.object_list
        if not hasattr(object_list, "query"):  # a plain list
            return len(object_list)
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


def paginate(request, queryset, per_page=None):
    paginator = CappedPaginator(queryset, per_page or PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request):
    """The current query string without `page`, for pagination links that keep the filters."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
