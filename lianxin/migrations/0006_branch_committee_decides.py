"""支部委员 (Role.BRANCH_COMMITTEE) now hold decide_branch (lianxin/posts.py): give the holders of
active posts the grant their post gives. On a new database there are no posts yet."""

from django.db import migrations


def grant(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Post = apps.get_model("lianxin", "Post")
    Grant = apps.get_model("lianxin", "OrganizationUserPermission")
    perm = Permission.objects.filter(
        codename="decide_branch", content_type__app_label="lianxin", content_type__model="organization"
    ).first()
    if perm is None:
        return
    held = set(Grant.objects.filter(permission=perm).values_list("user_id", "content_object_id"))
    wanted = {
        (user_id, org_id)
        for user_id, org_id in Post.objects.filter(role="branch_committee", ended_on__isnull=True).values_list(
            "user_id", "organization_id"
        )
    }
    Grant.objects.bulk_create(
        [Grant(user_id=u, content_object_id=o, permission=perm) for u, o in sorted(wanted - held)]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("lianxin", "0005_disclosure_search_and_attachment_kinds"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
