from django.apps import AppConfig

# The first option of every select whose value is not chosen yet (Django's own label,
# "- Select an option -", has no zh-hans translation).
BLANK_CHOICE_LABEL = "请选择"


class LianxinConfig(AppConfig):
    name = "lianxin"
    verbose_name = "组织与权限"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models import fields
        from django.db.models.signals import post_migrate, pre_save
        from django.utils.module_loading import autodiscover_modules

        from lianxin import request_state
        from lianxin.middleware import session_fresh_at_login
        from lianxin.textlimits import refuse_overlong_text

        user_logged_in.connect(session_fresh_at_login, dispatch_uid="lianxin_session_fresh_at_login")
        request_state.connect()
        pre_save.connect(refuse_overlong_text, dispatch_uid="lianxin_refuse_overlong_text")
        # Django 6.1's documented hook: model choice fields and ModelChoiceField read it when a form is built.
        fields.BLANK_CHOICE_LABEL = BLANK_CHOICE_LABEL
        # Each app registers what its views do (actions.py: lianxin/actions.py), the named filters
        # its lists share with the 工作台 (listfilters.py: lianxin/listfilters.py), its counters
        # (counters.py), its overdue rules (overdue.py), its daily jobs (daily.py) and its kinds of
        # long work (jobs.py: exports, imports), like admin.py.
        autodiscover_modules("actions", "listfilters", "counters", "overdue", "daily", "jobs")
        post_migrate.connect(fill_counters, sender=self, dispatch_uid="lianxin_fill_counters")


def fill_counters(using="default", **kwargs):
    """A database migrated to the counters with members in it gets them counted once."""
    from lianxin.counters import recount
    from lianxin.models import Organization, OrgCounter

    if using == "default" and Organization.objects.exists() and not OrgCounter.objects.exists():
        recount(repair=True)
