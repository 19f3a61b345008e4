from django.urls import path

from tracing import assistance_views, attachments, contact_views, views

app_name = "tracing"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("census/", views.census_list, name="census_list"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("<int:pk>/attempts/", views.attempt_add, name="attempt_add"),
    path("attempts/<int:pk>/attachment/", attachments.attempt_attachment, name="attempt_attachment"),
    path("<int:pk>/close/", views.case_close, name="case_close"),
    path("<int:pk>/contact/", contact_views.case_contact, name="case_contact"),
    path("<int:pk>/second-search/", views.second_search_done, name="second_search_done"),
    path("<int:pk>/assistance/", assistance_views.assistance_request, name="assistance_request"),
    path("assistance/<int:pk>/answer/", assistance_views.assistance_answer, name="assistance_answer"),
    path("open/<int:member_pk>/", views.case_open, name="case_open"),
    path("open/<int:member_pk>/quick/", views.case_quick_open, name="case_quick_open"),
]
