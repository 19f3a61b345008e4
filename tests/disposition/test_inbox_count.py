"""The inbox's total on a large scope comes from the stage counters less what separation of
duties keeps from the user (disposition/inboxcount.py): the same number as counting the inbox's
rows, per tier, and no count over the waiting rows."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disposition.models import Disposition
from disposition.services import inbox_q
from lianxin import dashboard
from tests.disposition.test_approval_page import _agree, _propose, _unreachable_case
from tests.factories import branch_officer


@pytest.fixture
def chain(world, org):
    """Dispositions at several stages: two just proposed by the branch's 组织委员 (waiting for the
    branch committee, kept from him), two at the committee's review, one back at the branch (支部党员大会)."""
    made = []
    for i in range(5):
        d = _propose(world, _unreachable_case(world, org, name=f"韩{i}"))
        if i >= 2:
            _agree(world, d, "branch_a1", "branch_committee")
        if i == 4:
            _agree(world, d, "committee_a", "committee_pre")
        made.append(d)
    return made


def inbox(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("disposition:inbox"))
    counts = [q["sql"] for q in ctx.captured_queries if q["sql"].upper().startswith("SELECT COUNT(*) FROM (")]
    return response.context["page"], counts


@pytest.mark.parametrize("username", ["branch_a1", "officer", "committee_a", "county", "admin"])
def test_the_inbox_total_is_its_rows_with_counters_or_without(
    world, chain, client_for, monkeypatch, username
):
    if username == "officer":
        user = branch_officer()
        client = Client()
        client.force_login(user)
    else:
        user, client = (world.admin if username == "admin" else world.users[username]), client_for(username)
    rows = Disposition.objects.filter(inbox_q(user)).count()
    small, small_counts = inbox(client)
    monkeypatch.setattr(dashboard, "LARGE_SCOPE", 0)
    large, large_counts = inbox(client)
    assert small.paginator.count == large.paginator.count == rows == len(large.object_list)
    # the capped count only on a small scope (the admin takes no stage: nothing to count)
    assert len(small_counts) == (0 if username == "admin" else 1) and not large_counts
    expected = {"branch_a1": 3, "officer": 0, "committee_a": 2, "county": 0, "admin": 0}[username]
    assert rows == expected


def test_the_waiting_panel_counts_as_the_inbox_past_a_committee_size(world, org, client_for, monkeypatch):
    """待我审批 on the 工作台 of a large scope takes the inbox's counter total, not a count of the
    waiting rows; the number is the inbox's rows all the same."""
    from disposition.dashboard import panels

    user = world.users["committee_a"]  # the 基层党委 reviews what the branch passed on
    for i in range(7):  # more than the panel shows: its number is counted, not its rows
        d = _propose(world, _unreachable_case(world, org, name=f"卫{i}"))
        _agree(world, d, "branch_a1", "branch_committee")
    rows = Disposition.objects.filter(inbox_q(user)).count()
    assert rows > 5
    small = panels(user)[0]
    monkeypatch.setattr(dashboard, "LARGE_SCOPE", 0)
    with CaptureQueriesContext(connection) as ctx:
        large = panels(user)[0]
    assert small.title == large.title == "待我审批"
    assert small.count == large.count == rows and len(large.items) == 5
    counts = [q["sql"] for q in ctx.captured_queries if q["sql"].upper().startswith("SELECT COUNT(")]
    # only the few rows kept from the user are counted (inboxcount), never "the waiting rows
    # not kept from them" — the inbox's own filter, with its NOT EXISTS over the steps
    assert counts and not any("NOT (EXISTS(" in sql for sql in counts)
