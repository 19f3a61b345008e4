"""Backup and restore round-trip the demo data (on SQLite and on PostgreSQL)."""

import pytest
from django.core.management import CommandError, call_command

from lianxin.models import Organization, Post


def snapshot():
    return sorted(Organization.objects.values_list("code", "name", "path")), Post.objects.count()


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(tmp_path):
    call_command("seed_demo")
    before = snapshot()
    dump = tmp_path / "lianxin.backup"
    call_command("backup", output=str(dump))
    assert dump.stat().st_size > 0

    branch = Organization.objects.get(code="610581001001")
    branch.name = "改名后的支部"
    branch.save()
    Organization.objects.add_child(branch, create_kwargs={"code": "X1", "name": "新支部", "kind": "branch"})
    assert snapshot() != before

    call_command("restore", str(dump), yes=True)
    assert snapshot() == before


@pytest.mark.django_db
def test_restore_needs_confirmation(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "x"))


@pytest.mark.django_db
def test_restore_missing_file(tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        call_command("restore", str(tmp_path / "missing.backup"), yes=True)
