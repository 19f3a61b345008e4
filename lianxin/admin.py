from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from lianxin.models import Organization, Post


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
