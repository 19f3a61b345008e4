"""A URLconf with a view that fails while holding personal data (for test_logs_and_errors)."""

from django.urls import include, path


def boom(request):
    raise ValueError("身份证号 110101199003077777 联系电话 13912345678 无法保存")


urlpatterns = [path("boom/", boom), path("", include("lianxin.urls"))]
