from django.apps import AppConfig


class DispositionConfig(AppConfig):
    name = "disposition"
    verbose_name = "组织处置"
