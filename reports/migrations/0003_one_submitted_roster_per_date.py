"""One standing 名册 per unit and census date. Rows left by simultaneous submissions before the
constraint existed are returned (all but the first), so the constraint can be created."""

from django.db import migrations, models


def return_duplicates(apps, schema_editor):
    Submission = apps.get_model("reports", "Submission")
    seen = set()
    for row in Submission.objects.filter(status="submitted").order_by("submitted_at", "pk"):
        key = (row.organization_id, row.as_of)
        if key in seen:
            row.status, row.return_reason = "returned", "重复上报（同时提交的多份名册只保留第一份）"
            row.save(update_fields=["status", "return_reason"])
        seen.add(key)


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_submission_private_storage")]

    operations = [
        migrations.RunPython(return_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="submission",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "submitted")),
                fields=("organization", "as_of"),
                name="one_submitted_roster_per_date",
            ),
        ),
    ]
