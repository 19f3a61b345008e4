"""Reports read from a streaming replica, when there is one (DATABASE_REPLICA_URL).

The choice is made by context, not by model: the reports' reading views and commands wrap
their work in `reads_from_replica()` (or decorate a view with `report_reads`), and
`ReportReadsRouter` sends the reads made inside it to the `replica` alias. Every other read,
and every write anywhere, goes to `default`.

- Read your writes: a request that wrote (any successful non-GET request) sets a short-lived
  signed cookie; while it is valid that browser's report pages read from the primary, so a
  page never shows data older than what its user just saved (replication lag is far shorter).
- Degrade: an unreachable replica is logged once as a warning and the reports read from the
  primary; the replica is not tried again for REPLICA_RETRY_SECONDS (a circuit breaker).
- Access: who may see what is read from the primary before the reads move to the replica.
"""

import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, Error, connections

from lianxin import access

REPLICA = "replica"
PIN_COOKIE = "lianxin_primary"
PIN_SALT = "lianxin.replica.pin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

logger = logging.getLogger("lianxin.replica")
_report_reads = ContextVar("lianxin_report_reads", default=False)
_replica_down_until = 0.0  # monotonic time before which the replica is not tried (per process)


def configured():
    """Is there a replica, and do reports read from it? (Off in tests unless a test turns it on.)"""
    return REPLICA in settings.DATABASES and getattr(settings, "REPORTS_FROM_REPLICA", False)


def pin_seconds():
    return getattr(settings, "REPLICA_PIN_SECONDS", 10)


def retry_seconds():
    return getattr(settings, "REPLICA_RETRY_SECONDS", 30)


def breaker_close():
    """Try the replica again on the next report read (after it is known to be back)."""
    global _replica_down_until
    _replica_down_until = 0.0


def _breaker_open(error):
    global _replica_down_until
    _replica_down_until = time.monotonic() + retry_seconds()
    # The error's class only: a driver message may quote connection details or SQL values.
    logger.warning(
        "Read replica unreachable (%s); reports read from the primary for the next %d s.",
        type(error).__name__,
        retry_seconds(),
    )


def _reachable():
    """Connect to the replica (or find its open connection usable); open the breaker if not."""
    connection = connections[REPLICA]
    try:
        connection.close_if_unusable_or_obsolete()
        connection.ensure_connection()
    except Error as error:
        connection.close()
        _breaker_open(error)
        return False
    return True


@contextmanager
def reads_from_replica():
    """Inside, reads go to the replica when one is configured and reachable.

    Yields whether they do. Also usable as a decorator of a plain function.
    """
    if not configured() or time.monotonic() < _replica_down_until or not _reachable():
        yield False
        return
    token = _report_reads.set(True)
    try:
        yield True
    finally:
        _report_reads.reset(token)


@contextmanager
def reads_from_primary():
    """Inside, reads go to the primary again: work that writes and reads back what it wrote (a
    background job queued from a report view) must not read a replica that is a moment behind."""
    token = _report_reads.set(False)
    try:
        yield
    finally:
        _report_reads.reset(token)


def pinned_to_primary(request):
    """Did this browser write within the last few seconds?"""
    value = request.get_signed_cookie(PIN_COOKIE, default=None, salt=PIN_SALT, max_age=pin_seconds())
    return value is not None


def report_reads(view):
    """A reports view whose reads go to the replica, unless the user just wrote.

    Report views read, then at most record the export: a replica failing mid-view fails before
    anything is written, so the view is run again on the primary instead of answering 500.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not configured() or pinned_to_primary(request):
            return view(request, *args, **kwargs)
        access.granted_paths(request.user, access.VIEW)  # the user's rights, from the primary
        with reads_from_replica() as on_replica:
            try:
                return view(request, *args, **kwargs)
            except Error:
                if not on_replica or _reachable():
                    raise  # not the replica's fault
        return view(request, *args, **kwargs)

    return wrapped


class ReadYourWritesMiddleware:
    """After a request that wrote, the same browser's report pages read from the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and response.status_code < 400 and configured():
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=pin_seconds(),
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response


class ReportReadsRouter:
    """Reads inside reads_from_replica() go to the replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if _report_reads.get() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the standby replays the primary's migrations
