"""On PostgreSQL, `path LIKE 'prefix%'` (every subtree filter) can use a btree index only with
varchar_pattern_ops (or the C collation); the unique index treebeard creates does not serve it."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS lianxin_org_path_pattern ON lianxin_organization (path varchar_pattern_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS lianxin_org_path_pattern")


class Migration(migrations.Migration):
    dependencies = [("lianxin", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
