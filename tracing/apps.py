from django.apps import AppConfig


class TracingConfig(AppConfig):
    name = "tracing"
    verbose_name = "失联查找"

    def ready(self):
        from members import rollcall
        from tracing import contact

        rollcall.register(contact)  # an open case is what members sees as an open search
