from django.apps import AppConfig


class TracingConfig(AppConfig):
    name = "tracing"
    verbose_name = "失联查找"

    def ready(self):
        from members import rollcall, timeline
        from tracing import contact
        from tracing import timeline as case_timeline

        rollcall.register(contact)  # an open case is what members sees as an open search
        timeline.register(case_timeline.entries)  # cases and attempts on the member's timeline
