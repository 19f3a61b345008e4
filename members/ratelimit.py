"""Rate limits of the public 归队码 pages, counted in the database.

The project's cache is each process's own memory (no CACHES setting), and a limit kept there
would be multiplied by the number of gunicorn workers and servers. A small table is shared by
all of them and needs nothing to deploy: each count is one row per key and fixed window, bumped
with an UPDATE … SET count = count + 1 (atomic on every database), created on the first hit.

Keys are keyed hashes (HMAC-SHA256 with the SECRET_KEY) of what is counted ("addr:" + the
client's address, "token:" + a token, "member:" + a member id), so the table keeps no address
or code, and the few billion addresses cannot be tried against it. Old windows are
deleted as new ones start.
"""

import time

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.crypto import salted_hmac

from members.models import PublicRateCounter

KEEP_SECONDS = 2 * 24 * 3600  # windows older than this are dropped


def _key(name):
    return salted_hmac("lianxin.ratelimit", name, algorithm="sha256").hexdigest()


def _window(seconds, now=None):
    now = time.time() if now is None else now
    return int(now // seconds) * seconds


def count(name, seconds):
    """How many hits `name` has in the current window of `seconds`."""
    row = PublicRateCounter.objects.filter(key=_key(name), window=_window(seconds)).values("count").first()
    return row["count"] if row else 0


def over(name, limit, seconds):
    return count(name, seconds) >= limit


def hit(name, seconds):
    """Count one hit for `name` in the current window."""
    key, window = _key(name), _window(seconds)
    with transaction.atomic():
        if PublicRateCounter.objects.filter(key=key, window=window).update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                PublicRateCounter.objects.create(key=key, window=window, count=1)
        except IntegrityError:  # created by another request in between
            PublicRateCounter.objects.filter(key=key, window=window).update(count=F("count") + 1)
            return
        PublicRateCounter.objects.filter(window__lt=window - KEEP_SECONDS).delete()
