from django.apps import AppConfig


class LianxinConfig(AppConfig):
    name = "lianxin"
    verbose_name = "组织与权限"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import pre_save

        from lianxin.middleware import session_fresh_at_login
        from lianxin.textlimits import refuse_overlong_text

        user_logged_in.connect(session_fresh_at_login, dispatch_uid="lianxin_session_fresh_at_login")
        pre_save.connect(refuse_overlong_text, dispatch_uid="lianxin_refuse_overlong_text")

        # Each app's overdue rules (overdue.py), daily jobs (daily.py) and kinds of long work
        # (jobs.py: exports, imports), like admin.py.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("overdue", "daily", "jobs")
