from django.urls import path

from members.importing import views

app_name = "member_import"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("confirm/", views.confirm, name="confirm"),
    path("rejected/<str:token>.xlsx", views.rejected, name="rejected"),
    path("<int:pk>/rollback/", views.rollback, name="rollback"),
]
