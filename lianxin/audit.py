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
