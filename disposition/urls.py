from django.urls import path

from disposition import views

app_name = "disposition"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("batch/", views.batch_decide, name="batch_decide"),
    path("<int:pk>/", views.disposition_detail, name="disposition_detail"),
    path("<int:pk>/decide/", views.step_decide, name="step_decide"),
    path("<int:pk>/resubmit/", views.disposition_resubmit, name="disposition_resubmit"),
    path("<int:pk>/withdraw/", views.disposition_withdraw, name="disposition_withdraw"),
    path("<int:pk>/revoke/", views.disposition_revoke, name="disposition_revoke"),
    path("case/<int:case_pk>/propose/", views.disposition_propose, name="disposition_propose"),
    path("case/<int:case_pk>/expulsion/", views.expulsion_record, name="expulsion_record"),
]
