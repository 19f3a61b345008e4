from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "党员管理"

    def ready(self):
        from lianxin.disclosure import register_revealable

        register_revealable("members.member", {"id_number": "身份证号", "phone": "联系电话"})
        register_revealable("members.contact", {"phone": "联系电话"})
        register_revealable("members.selfreport", {"phone": "联系电话"})  # the number a member reported
