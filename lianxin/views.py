from django.db.models import Count, Q
from django.shortcuts import render

from lianxin import access
from lianxin.dashboard import panels_for
from lianxin.models import Organization, OrgKind, Post
from lianxin.pagination import paginate, query_without_page
from lianxin.queries import active_posts


def home(request):
    """工作台: where the user stands and what needs doing in their scope."""
    posts = active_posts(request.user)
    roots = access.scoped(request.user, access.VIEW, Organization.objects.all())
    counts = roots.aggregate(
        orgs=Count("pk"),
        branches=Count("pk", filter=Q(kind=OrgKind.BRANCH)),
    )
    return render(
        request,
        "lianxin/home.html",
        {"posts": posts, "counts": counts, "panels": panels_for(request.user)},
    )


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
