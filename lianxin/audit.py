"""Who is acting, for simple-history outside a request (commands, services called from scripts)."""

from contextlib import contextmanager
from types import SimpleNamespace

from simple_history.models import HistoricalRecords


@contextmanager
def acting_as(user):
    """Record `user` as the history user of every change made inside the block.

    Inside a request the HistoryRequestMiddleware already does this; management commands
    and background jobs use this context manager so history never loses its author.
    """
    previous = getattr(HistoricalRecords.context, "request", None)
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del HistoricalRecords.context.request
        else:
            HistoricalRecords.context.request = previous


def audited(service):
    """Record the service's `acting_user` as the history user, also outside a request (commands, demo, tests)."""
    from functools import wraps

    @wraps(service)
    def wrapper(*args, **kwargs):
        user = kwargs.get("acting_user")
        if user is None:
            return service(*args, **kwargs)
        with acting_as(user):
            return service(*args, **kwargs)

    return wrapper
