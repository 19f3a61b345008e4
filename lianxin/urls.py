from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from lianxin import todo_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("orgs/", views.organization_list, name="organization_list"),
    path("orgs/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("reveal/<str:model>/<int:pk>/<str:field>/", views.reveal_value, name="reveal_value"),
    path("audit/disclosures/", views.disclosure_list, name="disclosure_list"),
    path("todo/", todo_views.todo_page, name="todo"),
    path("posts/<int:pk>/delegate/", todo_views.delegation_add, name="delegation_add"),
    path("delegations/<int:pk>/end/", todo_views.delegation_stop, name="delegation_end"),
    path("tasks/", todo_views.daily_runs, name="daily_runs"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChange.as_view(), name="password_change"),
    path("members/import/", include("members.importing.urls")),
    path("members/", include("members.urls")),
    path("cases/", include("tracing.urls")),
    path("dispositions/", include("disposition.urls")),
    path("reports/", include("reports.urls")),
    path("r/", include("members.public_urls")),  # 归队码 / 报到码: the only pages without a login
    path("jobs/", include("lianxin.jobs.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "lianxin.views.bad_request"
