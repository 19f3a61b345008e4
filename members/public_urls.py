"""The public 归队码 addresses (no login): short, for QR codes (members/public_views.py)."""

from django.urls import path

from members import public_views

app_name = "guidui"
urlpatterns = [
    path("b/<str:token>/", public_views.branch_page, name="branch"),
    path("<str:token>/", public_views.member_page, name="member"),
]
