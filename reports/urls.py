from django.urls import path

from reports import cards, jobviews, trend_views, views

app_name = "reports"
urlpatterns = [
    path("", views.reports_index, name="index"),
    path("roster.xlsx", views.roster_xlsx, name="roster_xlsx"),
    path("register.xlsx", views.register_xlsx, name="register_xlsx"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
    path("statistics/members/", views.statistics_members, name="statistics_members"),
    path("statistics/members.xlsx", views.statistics_members_xlsx, name="statistics_members_xlsx"),
    path("record/<int:case_pk>.pdf", views.record_pdf, name="record_pdf"),
    path("card/<int:org_pk>.pdf", views.card_pdf, name="card_pdf"),
    path("card/member/<int:pk>.pdf", cards.member_card_pdf, name="member_card_pdf"),
    path("records/batch/", jobviews.records_batch, name="records_batch"),
    path("submissions/", views.submission_status, name="submission_status"),
    path("submissions/submit/", views.submission_submit, name="submission_submit"),
    path("submissions/<int:pk>/return/", views.submission_return, name="submission_return"),
    path("submissions/<int:pk>.xlsx", views.submission_file, name="submission_file"),
    path("trends/", trend_views.trends, name="trends"),
    path("trends.xlsx", trend_views.trends_xlsx, name="trends_xlsx"),
]
