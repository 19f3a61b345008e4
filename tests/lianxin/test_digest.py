"""Issue 18 item 3: one digest a day to each person with work — what is new and what is overdue,
nothing when there is nothing — by e-mail and by a group-bot webhook; no member past day 150 is
left out of every digest; a second run the same day sends nothing."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from disposition.models import DispositionStatus
from disposition.outcomes import Outcome
from lianxin import access
from lianxin.clock import add_months
from lianxin.digest import compose, send_digests
from lianxin.logfilters import ID_NUMBER, MOBILE
from lianxin.models import DigestLog
from lianxin.posts import post_end
from members.models import Absence, Member, PartyStatus
from tests.factories import CaseFactory, MemberFactory, branch_officer
from tests.rules.test_overdue_rules import _disposition
from tracing.models import CaseStatus

DAY = timedelta(days=1)
TODAY = timezone.localdate()
ACTIVE = [PartyStatus.NORMAL, PartyStatus.CORRECTION]


def past_day_150(today):
    return Member.objects.filter(party_status__in=ACTIVE, last_contact_on__lte=today - 150 * DAY)


def in_nobodys_digest(today):
    """Members past day 150 that no digest of `today` names (a first digest lists all it has)."""
    named = {line.item.line.member_pk for digest in compose(today) for line in digest.lines}
    return past_day_150(today).exclude(pk__in=named)


def test_each_demo_user_gets_their_digest_and_nobody_past_day_150_is_left_out(db):
    from lianxin.demo import DEMO_LOGINS, seed

    seed()
    digests = {d.user.username: d for d in compose(TODAY)}
    for username in DEMO_LOGINS:
        digest = digests[username]
        text = digest.text()
        assert not digest.empty and text.startswith(f"联心每日提醒（{TODAY:%Y-%m-%d}）")
        assert f"{digest.user.get_full_name()} 同志" in text and "/todo/" in text
        assert len(digest.new) == len(digest.lines)  # a first digest: everything is new
        assert not ID_NUMBER.search(text) and not MOBILE.search(text)
        for line in digest.lines:  # each line is within what the user may see
            assert access.can(digest.user, access.VIEW, line.item.organization)
            assert line.item.line.subject in text
    branch = {line.item.organization.code for line in digests["branch_a1"].lines}
    assert branch == {"610581001001"}
    assert "请督办" in digests["committee_a"].text()  # the branches' overdue work, told to the level above
    assert past_day_150(TODAY).exists()
    assert not in_nobodys_digest(TODAY).exists()


def test_every_shape_of_a_member_past_day_150_is_in_a_digest(world):
    """Not yet lost, 失控, lost with no case, a case under way, waiting for the committee, waiting
    for a proposal, in the chain, returned, rejected — and at a branch nobody holds."""
    a1, a2 = world.orgs["610581001001"], world.orgs["610581001002"]
    user = world.users["branch_a1"]
    old = TODAY - 200 * DAY
    MemberFactory(organization=a1, last_contact_on=TODAY - 160 * DAY)
    away = MemberFactory(organization=a1, last_contact_on=TODAY - 155 * DAY)
    Absence.objects.create(member=away, left_on=TODAY - 60 * DAY, destination="西安")
    MemberFactory(organization=a1, last_contact_on=old)
    CaseFactory(member=MemberFactory(organization=a1, last_contact_on=old), opened_by=user, opened_on=TODAY)
    for second_search in (None, TODAY):
        CaseFactory(
            member=MemberFactory(organization=a1, last_contact_on=old),
            opened_by=user,
            status=CaseStatus.UNREACHABLE,
            closed_on=TODAY,
            second_search_done_on=second_search,
        )
    for status in (DispositionStatus.IN_REVIEW, DispositionStatus.RETURNED, DispositionStatus.REJECTED):
        d = _disposition(world, "committee_pre", TODAY, status=status, outcome=Outcome.LAPSED_REMOVE)
        d.member.last_contact_on = old
        d.member.save()
    MemberFactory(organization=a2, last_contact_on=add_months(TODAY, -6) - DAY)
    for post in a2.posts.filter(ended_on__isnull=True):
        post_end(post=post)
    assert past_day_150(TODAY).count() == 10
    assert not in_nobodys_digest(TODAY).exists()


def test_sent_once_a_day_and_the_next_day_only_what_is_new_or_overdue(world):
    a1 = world.orgs["610581001001"]
    MemberFactory(organization=a1, name="甲", last_contact_on=TODAY - 160 * DAY)
    CaseFactory(
        member=MemberFactory(organization=a1, name="乙"),
        opened_by=world.users["branch_a1"],
        opened_on=TODAY - 20 * DAY,
    )
    summary = send_digests(today=TODAY)
    assert summary["sent"] == summary["recipients"] == len(mail.outbox) > 0
    to_secretary = next(m for m in mail.outbox if m.to == ["branch_a1@huayang.gov.cn"])
    assert "预警：超过150天未联系：甲" in to_secretary.body and "乙" in to_secretary.body
    assert send_digests(today=TODAY) == {"recipients": 0, "sent": 0}  # nothing twice the same day
    mail.outbox.clear()
    MemberFactory(organization=a1, name="丙", last_contact_on=TODAY - 150 * DAY)  # at day 150 tomorrow… today
    send_digests(today=TODAY + DAY)
    body = next(m for m in mail.outbox if m.to == ["branch_a1@huayang.gov.cn"]).body
    new, _, rest = body.partition("仍然超期")
    assert "丙" in new and "甲" not in body  # 甲 was told yesterday and is not overdue
    assert "乙" in rest  # the idle case is overdue: repeated until it is done
    assert DigestLog.objects.filter(user=world.users["branch_a1"]).count() == 2


def test_nothing_to_say_sends_nothing(world):
    assert send_digests(today=TODAY) == {"recipients": 0, "sent": 0}
    assert mail.outbox == [] and not DigestLog.objects.exists()


class Bot(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Bot.received.append((self.headers["Content-Type"], json.loads(body)))
        self.send_response(Bot.status)
        self.end_headers()
        self.wfile.write(b'{"errcode":0}')

    def log_message(self, *args):
        pass


@pytest.fixture
def bot(settings):
    server = HTTPServer(("127.0.0.1", 0), Bot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Bot.received, Bot.status = [], 200
    settings.LIANXIN = {
        **settings.LIANXIN,
        "DIGEST_WEBHOOK_URL": f"http://127.0.0.1:{server.server_port}/send",
    }
    yield Bot
    server.shutdown()
    server.server_close()


def test_the_webhook_gets_one_text_message_per_digest(world, bot):
    MemberFactory(organization=world.orgs["610581001001"], name="甲", last_contact_on=TODAY - 160 * DAY)
    summary = send_digests(today=TODAY)
    assert len(bot.received) == summary["sent"] > 0
    content_type, message = bot.received[0]
    assert content_type.startswith("application/json") and message["msgtype"] == "text"
    assert message["text"]["content"].startswith("联心每日提醒")
    assert set(DigestLog.objects.values_list("channels", flat=True)) == {"email,webhook"}


def test_a_webhook_down_is_retried_by_the_run_not_by_a_storm(world, bot, settings):
    MemberFactory(organization=world.orgs["610581001001"], name="甲", last_contact_on=TODAY - 160 * DAY)
    settings.LIANXIN = {**settings.LIANXIN, "DIGEST_BACKENDS": ["lianxin.digest.WebhookBackend"]}
    bot.status = 500
    with pytest.raises(RuntimeError):
        send_digests(today=TODAY)
    attempts = len(bot.received)
    assert attempts == len(compose(TODAY)) and not DigestLog.objects.exists()  # one try each
    bot.status = 200
    assert send_digests(today=TODAY)["sent"] == attempts


def test_dry_run_prints_every_digest_and_records_nothing(world):
    MemberFactory(organization=world.orgs["610581001001"], name="甲", last_contact_on=TODAY - 160 * DAY)
    out = StringIO()
    call_command("send_digests", "--dry-run", stdout=out)
    text = out.getvalue()
    for digest in compose(TODAY):
        assert f"收件人：{digest.user.get_username()}" in text
    assert "预警：超过150天未联系：甲" in text
    assert mail.outbox == [] and not DigestLog.objects.exists()
    assert branch_officer().username in text  # the branch's other committee member is told too


def test_past_a_provinces_size_the_posts_are_read_at_once_with_the_same_answer(world, monkeypatch):
    from lianxin import addressing

    a1 = world.orgs["610581001001"]
    MemberFactory(organization=a1, last_contact_on=TODAY - 160 * DAY)
    CaseFactory(
        member=MemberFactory(organization=a1), opened_by=world.users["branch_a1"], opened_on=TODAY - 60 * DAY
    )

    def told():
        return {
            (d.user.username, line.item.key, line.address.why) for d in compose(TODAY) for line in d.lines
        }

    by_name = told()
    monkeypatch.setattr(addressing, "WHOLE_TREE", 0)
    assert told() == by_name and by_name
