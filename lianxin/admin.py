from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from lianxin.models import DailyRun, Delegation, DigestLog, Organization, Post


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin, SimpleHistoryAdmin):
    form = movenodeform_factory(Organization)
    list_display = ["name", "code", "kind", "category", "approves_probationary", "is_active"]
    list_filter = ["kind", "category", "is_active"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None):
        return False  # organizations are closed (is_active), never deleted


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "title", "user", "role", "started_on", "ended_on"]
    list_filter = ["role", "ended_on"]
    search_fields = ["organization__name", "user__username", "title"]
    raw_id_fields = ["organization", "user"]

    def has_delete_permission(self, request, obj=None):
        return False  # a post ends (ended_on), it is not deleted

    def save_model(self, request, obj, form, change):
        # Grants follow posts, also when an administrator edits a post here.
        from lianxin.posts import sync_grants

        super().save_model(request, obj, form, change)
        sync_grants(obj.user)


@admin.register(Delegation)
class DelegationAdmin(SimpleHistoryAdmin):
    list_display = ["post", "delegate", "starts_on", "ends_on", "reason"]
    list_filter = ["reason"]
    raw_id_fields = ["post", "delegate", "created_by"]

    def has_delete_permission(self, request, obj=None):
        return False  # a delegation is ended (ends_on), not deleted

    def save_model(self, request, obj, form, change):
        from lianxin.posts import sync_grants

        if not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        sync_grants(obj.delegate)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DailyRun)
class DailyRunAdmin(ReadOnlyAdmin):
    list_display = ["day", "name", "status", "attempts", "finished_at"]
    list_filter = ["status", "name"]


@admin.register(DigestLog)
class DigestLogAdmin(ReadOnlyAdmin):
    list_display = ["day", "user", "new", "overdue", "channels", "sent_at"]
    list_filter = ["day"]


class ResetLockoutPasswordForm(AdminPasswordChangeForm):
    """An administrator who sets a new password also lifts the login lockout it was set for."""

    def save(self, commit=True):
        user = super().save(commit)
        axes_reset(username=user.get_username())
        return user


admin.site.unregister(User)


@admin.register(User)
class LianxinUserAdmin(UserAdmin):
    """Django's user admin (重置密码 under each user), plus unlocking a locked-out login."""

    change_password_form = ResetLockoutPasswordForm
    actions = ["unlock"]
    list_display = [*UserAdmin.list_display, "locked_out"]

    def get_queryset(self, request):
        locked = AccessAttempt.objects.filter(
            username=OuterRef("username"),
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
        )
        return super().get_queryset(request).annotate(locked_out=Exists(locked))

    @admin.display(boolean=True, description="登录已锁定")
    def locked_out(self, user):
        return user.locked_out

    @admin.action(description="解除所选用户的登录锁定")
    def unlock(self, request, queryset):
        cleared = sum(axes_reset(username=user.get_username()) for user in queryset)
        self.message_user(
            request, f"已解除 {queryset.count()} 个账号的登录锁定（清除 {cleared} 条登录失败记录）。"
        )

    def has_delete_permission(self, request, obj=None):
        return False  # an account is deactivated (is_active), never deleted: history points to it
