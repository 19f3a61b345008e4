import hashlib

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from lianxin import access
from lianxin.dashboard import cached_panels_for
from lianxin.dates import QueryDateError
from lianxin.disclosure import resolve, reveal, revealable_fields
from lianxin.middleware import wrote_at
from lianxin.models import Disclosure, Organization, OrgKind, Post
from lianxin.pagination import paginate, query_without_page
from lianxin.queries import active_posts


def organization_counts(user):
    """How many units and branches the user's scope holds. A province's count reads all 62,000
    units; the tree only grows (units are deactivated, never deleted), so the counts are kept
    under the scope and the newest unit's id, and a new unit starts a fresh count."""
    newest = Organization.objects.aggregate(newest=Max("pk"))["newest"]
    scope = "*" if access.is_unrestricted(user) else "|".join(access.granted_paths(user, access.VIEW))
    key = "organization-counts:" + hashlib.sha256(f"{newest}:{scope}".encode()).hexdigest()
    counts = cache.get(key)
    if counts is None:
        counts = access.scoped(user, access.VIEW, Organization.objects.all()).aggregate(
            orgs=Count("pk"), branches=Count("pk", filter=Q(kind=OrgKind.BRANCH))
        )
        cache.set(key, counts, 3600)
    return counts


def home(request):
    """工作台: where the user stands and what needs doing in their scope."""
    posts = active_posts(request.user)
    counts = organization_counts(request.user)
    # most urgent first; a minute's copy unless the user wrote since or asks for 刷新
    panels, taken_at = cached_panels_for(request.user, wrote_at(request), request.GET.get("fresh") == "1")
    return render(
        request,
        "lianxin/home.html",
        {
            "posts": posts,
            "counts": counts,
            "panels": panels,
            "taken_at": taken_at,
            "urgent": [p for p in panels if p.urgent],
            "others": [p for p in panels if p.count and not p.urgent],
            "empty": [p for p in panels if not p.count and not p.pending],
            "pending": [p for p in panels if p.pending],
        },
    )


def bad_request(request, exception):
    """400 (handler400): a bad date in a query string says what was wrong; other causes stay unnamed."""
    message = str(exception) if isinstance(exception, QueryDateError) else ""
    return render(request, "400.html", {"message": message}, status=400)


def organization_list(request):
    orgs = access.scoped(request.user, access.VIEW, Organization.objects.all()).order_by("path")
    q = request.GET.get("q", "").strip()
    if q:
        orgs = orgs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    kind = request.GET.get("kind", "")
    if kind in OrgKind.values:
        orgs = orgs.filter(kind=kind)
    page = paginate(request, orgs)
    return render(
        request,
        "lianxin/organization_list.html",
        {"page": page, "q": q, "kind": kind, "kinds": OrgKind.choices, "query": query_without_page(request)},
    )


def organization_detail(request, pk):
    org = access.get_or_404(request.user, access.VIEW, Organization.objects.all(), pk=pk)
    visible = access.scoped(request.user, access.VIEW, Organization.objects.all())
    breadcrumbs = [o for o in org.chain() if access.can(request.user, access.VIEW, o)]
    children = visible.filter(path__startswith=org.path, depth=org.depth + 1).order_by("path")
    posts = Post.objects.filter(organization=org, ended_on__isnull=True).select_related("user")
    return render(
        request,
        "lianxin/organization_detail.html",
        {"org": org, "breadcrumbs": breadcrumbs, "children": children, "posts": posts},
    )


@require_POST
def reveal_value(request, model, pk, field):
    """Show one full personal number (身份证号, 电话) after recording who looked at it."""
    if field not in revealable_fields(model):
        raise Http404
    try:
        obj = resolve(model, pk)
    except (LookupError, ObjectDoesNotExist, ValueError):
        raise Http404 from None
    access.require(request.user, access.VIEW, obj)
    value = reveal(user=request.user, obj=obj, field=field)
    return render(
        request,
        "lianxin/revealed.html",
        {
            "obj": obj,
            "label": revealable_fields(model)[field],
            "value": value,
            "back": safe_back(request, request.POST.get("back", "")),
        },
    )


def safe_back(request, url):
    """A 返回 link from the request: only a page of this site, never //other.host or javascript:."""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and allowed else ""


def disclosure_list(request):
    """Who saw or exported full personal numbers in the user's scope (the level above sees below)."""
    rows = access.scoped(request.user, access.VIEW, Disclosure.objects.select_related("user", "organization"))
    page = paginate(request, rows.order_by("-at"))
    return render(
        request, "lianxin/disclosure_list.html", {"page": page, "query": query_without_page(request)}
    )


class PasswordChange(auth_views.PasswordChangeView):
    """修改密码, for every user; the session stays logged in (Django updates its hash)."""

    template_name = "lianxin/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        messages.success(self.request, "密码已修改，下次登录请使用新密码。")
        return super().form_valid(form)
