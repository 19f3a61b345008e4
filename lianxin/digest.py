"""The daily digest: one message a day to each person with work, saying what is new since their
last digest and what is overdue — nothing when there is nothing.

The items and who answers for them are the 待办 page's (lianxin/overdue.py, addressing.py).
A digest names members and organizations, never a personal number (and is passed through the
log filter's redaction as a second line). It goes out through each backend of
LIANXIN["DIGEST_BACKENDS"]: Django's e-mail (the console in the demo) and a group-bot webhook
(企业微信 / 钉钉 accept {"msgtype": "text", "text": {"content": …}}). A DigestLog per person and
day keeps a second run the same day from sending again, and says what was already told.
"""

import json
import logging
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.module_loading import import_string

from lianxin import overdue
from lianxin.addressing import ESCALATED, UNSTAFFED, address_all
from lianxin.logfilters import redact
from lianxin.models import DigestLog, Post

logger = logging.getLogger(__name__)
LOOK_BACK_DAYS = 60  # a digest older than this no longer counts: everything is new again


@dataclass
class Line:
    item: overdue.Item
    address: object
    tab: str
    day: object


@dataclass
class Digest:
    user: object
    day: object
    lines: list = field(default_factory=list)  # everything addressed to the user today
    told: frozenset = frozenset()  # item keys listed by their previous digest

    @property
    def new(self):
        return [line for line in self.lines if line.item.key not in self.told]

    @property
    def overdue(self):
        return [line for line in self.lines if line.tab == overdue.OVERDUE]

    @property
    def still_overdue(self):
        """Overdue and already told before (the new ones are listed once, under 新增)."""
        return [line for line in self.overdue if line.item.key in self.told]

    @property
    def empty(self):
        return not self.new and not self.overdue

    @property
    def keys(self):
        return sorted({line.item.key for line in self.lines})

    def counts(self):
        out = dict.fromkeys(overdue.TABS, 0)
        for line in self.lines:
            out[line.tab] += 1
        return out

    @property
    def subject(self):
        return f"联心每日提醒（{self.day:%Y-%m-%d}）：新增 {len(self.new)} 项，超期 {len(self.overdue)} 项"

    def text(self):
        name = self.user.get_full_name() or self.user.get_username()
        out = [self.subject, f"{name} 同志："]
        for title, lines in (("今日新增", self.new), ("仍然超期", self.still_overdue)):
            if lines:
                out.append(f"{title} {len(lines)} 项：")
                out.extend(f"{i}. {describe(line)}" for i, line in enumerate(lines, 1))
        c = self.counts()
        out.append(
            f"目前共有待办 {c[overdue.TODO]} 项、超期 {c[overdue.OVERDUE]} 项、即将到期 {c[overdue.SOON]} 项。"
            f"请登录联心办理：{settings.LIANXIN['SITE_URL']}{reverse('todo')}"
        )
        return redact("\n".join(out))


def describe(line):
    item, address = line.item, line.address
    marks = []
    if line.tab == overdue.OVERDUE:
        marks.append(f"已超期 {(line.day - item.due_on).days} 天")
    else:
        marks.append(f"应于 {item.due_on:%Y-%m-%d} 前办理")
    if address.why == ESCALATED:
        marks.append("下级逾期未办，请督办")
    elif address.why == UNSTAFFED:
        marks.append("该组织无人在岗，请安排")
    if address.delegated:
        holder = address.post.user.get_full_name() or address.post.user.get_username()
        marks.append(f"代{holder}（{address.post.organization.name}{address.post.title}）办理")
    return f"{item.label}：{item.line.subject}（{item.organization.name}），{item.line.detail}；{'；'.join(marks)}"


def compose(today, *, include_sent=False):
    """Every person's digest for `today` (those already sent today are left out, unless asked)."""
    items = address_all(overdue.all_items(today), today)
    lines = defaultdict(list)
    users = {}
    for item in items:
        tab = item.tab(today)
        for address in item.addressees:
            users[address.user.pk] = address.user
            lines[address.user.pk].append(Line(item, address, tab, today))
    sent = set(DigestLog.objects.filter(day=today, user__in=users).values_list("user", flat=True))
    told = {}
    earlier = DigestLog.objects.filter(
        user__in=users, day__lt=today, day__gte=today - timedelta(days=LOOK_BACK_DAYS)
    ).order_by("user", "-day")
    for user_id, keys in earlier.values_list("user", "item_keys"):
        told.setdefault(user_id, frozenset(keys))
    order = {overdue.OVERDUE: 0, overdue.SOON: 1, overdue.TODO: 2}
    digests = []
    for user_id, user in sorted(users.items(), key=lambda pair: pair[1].get_username()):
        if user_id in sent and not include_sent:
            continue
        mine = sorted(lines[user_id], key=lambda li: (order[li.tab], li.item.due_on, li.item.key))
        digests.append(Digest(user, today, mine, told.get(user_id, frozenset())))
    return digests


class EmailBackend:
    """Django's e-mail framework (EMAIL_BACKEND: the console in the demo, SMTP in production)."""

    name = "email"

    def send(self, digest):
        address = digest.user.email or (
            Post.objects.filter(user=digest.user, ended_on__isnull=True)
            .exclude(email="")
            .values_list("email", flat=True)
            .first()
        )
        if not address:
            return False
        send_mail(digest.subject, digest.text(), None, [address])
        return True


class WebhookBackend:
    """A group bot's webhook (企业微信 / 钉钉): one POST per digest, five seconds at most, no retry
    here (a failed daily run is retried as a whole, and people already sent are skipped)."""

    name = "webhook"
    timeout = 5

    def send(self, digest):
        url = settings.LIANXIN["DIGEST_WEBHOOK_URL"]
        if not url:
            return False
        if not url.startswith(("https://", "http://")):
            raise ValueError("LIANXIN_DIGEST_WEBHOOK_URL must be an http(s) URL")
        body = json.dumps({"msgtype": "text", "text": {"content": digest.text()}}, ensure_ascii=False)
        request = urllib.request.Request(  # noqa: S310  (the scheme is checked above)
            url, data=body.encode(), headers={"Content-Type": "application/json; charset=utf-8"}
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            if not 200 <= response.status < 300:
                raise OSError(f"webhook answered {response.status}")
        return True


def backends():
    return [import_string(path)() for path in settings.LIANXIN["DIGEST_BACKENDS"]]


def send_digests(*, today, dry_run=False, out=None):
    """Send today's digests; with dry_run, print each one (sent today or not) and record nothing."""
    digests = [d for d in compose(today, include_sent=dry_run) if not d.empty]
    if dry_run:
        for digest in digests:
            out(f"—— 收件人：{digest.user.get_username()} ——\n{digest.text()}\n")
        return {"recipients": len(digests), "sent": 0}
    sent, failures = 0, []
    for digest in digests:
        channels = []
        for backend in backends():
            try:
                if backend.send(digest):
                    channels.append(backend.name)
            except Exception as exc:  # one channel down must not stop the others
                logger.warning("digest to user %s through %s failed: %s", digest.user.pk, backend.name, exc)
                failures.append((digest.user.pk, backend.name))
        if not channels and any(user == digest.user.pk for user, _b in failures):
            continue  # not delivered anywhere: the retried run sends it
        try:
            with transaction.atomic():
                DigestLog.objects.create(
                    user=digest.user,
                    day=today,
                    item_keys=digest.keys,
                    overdue=len(digest.overdue),
                    new=len(digest.new),
                    channels=",".join(channels),
                )
        except IntegrityError:  # another run logged it at the same moment
            continue
        sent += 1
    if failures and sent < len(digests):
        raise RuntimeError(f"{len(digests) - sent} 份提醒未能送达（{len(failures)} 次发送失败），将重试")
    return {"recipients": len(digests), "sent": sent}
