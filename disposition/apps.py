from django.apps import AppConfig


class DispositionConfig(AppConfig):
    name = "disposition"
    verbose_name = "组织处置"

    def ready(self):
        from disposition import timeline as disposition_timeline
        from members import timeline

        timeline.register(disposition_timeline.entries)  # dispositions and steps on the member's timeline
