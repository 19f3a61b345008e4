"""开除党籍 is recorded once per case. A second record of the same case left before the check
existed is marked revoked as a duplicate (the first stands), so the constraint can be created."""

from django.db import migrations, models


def revoke_duplicates(apps, schema_editor):
    Disposition = apps.get_model("disposition", "Disposition")
    seen = set()
    for row in Disposition.objects.filter(outcome="expel", status="approved").order_by("pk"):
        if row.case_id in seen:
            row.status, row.revoke_reason = "revoked", "重复登记的开除党籍（保留第一次登记）"
            row.save(update_fields=["status", "revoke_reason"])
        seen.add(row.case_id)


class Migration(migrations.Migration):
    dependencies = [("disposition", "0003_list_indexes")]

    operations = [
        migrations.RunPython(revoke_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="disposition",
            constraint=models.UniqueConstraint(
                condition=models.Q(("outcome", "expel"), ("status", "approved")),
                fields=("case",),
                name="one_expulsion_per_case",
            ),
        ),
    ]
