from django.urls import path

from members import list_views, numbersearch, selfreport_views, talk_views, timeline_views, views

app_name = "members"
urlpatterns = [
    path("", list_views.member_list, name="member_list"),
    path("search/", numbersearch.member_number_search, name="member_number_search"),
    path("<int:pk>/", views.member_detail, name="member_detail"),
    path("<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("<int:pk>/dues/", views.dues_add, name="dues_add"),
    path("<int:pk>/absences/", views.absence_add, name="absence_add"),
    path("<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("<int:pk>/record-contact/", views.contact_record, name="contact_record"),
    path("absences/<int:pk>/return/", views.absence_return, name="absence_return"),
    path("absences/<int:pk>/talk/", talk_views.talk_add, name="talk_add"),
    path("<int:pk>/transfer-out/", views.transfer_out, name="transfer_out"),
    path("<int:pk>/transfer-in/", views.transfer_in, name="transfer_in"),
    path("transfers/<int:pk>/receipt/", views.transfer_receipt, name="transfer_receipt"),
    path("transfers/<int:pk>/follow-up/", views.transfer_follow_up, name="transfer_follow_up"),
    path("branch/<int:org_pk>/add/", views.member_add, name="member_add"),
    path("branch/<int:org_pk>/activity/", views.activity_add, name="activity_add"),
    # 归队码 / 报到码 and 成员自报 (members/selfreport_views.py); the timeline (members/timeline.py)
    path("<int:pk>/timeline/", timeline_views.member_timeline, name="member_timeline"),
    path("<int:pk>/code/", selfreport_views.member_code, name="member_code"),
    path("<int:pk>/code/rotate/", selfreport_views.member_code_rotate, name="member_code_rotate"),
    path("branch/<int:org_pk>/checkin-code/", selfreport_views.branch_code, name="branch_code"),
    path(
        "branch/<int:org_pk>/checkin-code/rotate/",
        selfreport_views.branch_code_rotate,
        name="branch_code_rotate",
    ),
    path("self-reports/", selfreport_views.selfreport_list, name="selfreport_list"),
    path("self-reports/<int:pk>/", selfreport_views.selfreport_detail, name="selfreport_detail"),
    path("self-reports/<int:pk>/confirm/", selfreport_views.selfreport_confirm, name="selfreport_confirm"),
    path("self-reports/<int:pk>/reject/", selfreport_views.selfreport_reject, name="selfreport_reject"),
]
