from django.urls import path

from members import numbersearch, talk_views, views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="member_list"),
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
]
