from django.apps import AppConfig


class LianxinConfig(AppConfig):
    name = "lianxin"
    verbose_name = "组织与权限"
