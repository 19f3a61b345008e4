from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lianxin", "0003_disclosure"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(fields=["depth"], name="organization_depth_idx"),
        ),
    ]
