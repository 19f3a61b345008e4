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
        from django.utils.module_loading import autodiscover_modules

        from lianxin.middleware import session_fresh_at_login

        user_logged_in.connect(session_fresh_at_login, dispatch_uid="lianxin_session_fresh_at_login")
        # Django 6.1's documented hook: model choice fields and ModelChoiceField read it when a form is built.
        fields.BLANK_CHOICE_LABEL = BLANK_CHOICE_LABEL
        # Each app registers what its views do (actions.py: lianxin/actions.py) and the named
        # filters its lists share with the 工作台 (listfilters.py: lianxin/listfilters.py).
        autodiscover_modules("actions", "listfilters")
