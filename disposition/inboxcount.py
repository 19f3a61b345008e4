"""The inbox's total on a large scope, from the counters (lianxin/listcounts.py): what waits at
each stage the user may take is that stage's counter over the user's scope for the stage's
permission (disposition/counters.py); less the few separation of duties keeps from the user —
proposed by them, or last stepped by them at another stage (services.inbox_q) — found from the
user's own rows by index, instead of counting the thousands waiting at a province's stage."""

from collections import defaultdict

from django.db.models import Exists

from disposition.chain import STAGES
from disposition.models import Disposition, DispositionStep
from disposition.services import at_stages_q, last_step_elsewhere_by
from lianxin import access, counters
from lianxin.dashboard import counted


def _paths(user, perm):
    """The user's scope for `perm` as access.scope_q draws it: None for the whole tree, () for none."""
    if access.is_unrestricted(user, perm):
        return None
    paths = tuple(access.granted_paths(user, perm))
    return None if paths and access.covers_whole_tree(user, paths) else paths


def _stage_scopes(user):
    """{paths: [the waiting counters of the stages the user takes there]}, as
    services.at_stages_q scopes each stage."""
    keys = defaultdict(list)
    for stage in STAGES:
        paths = _paths(user, stage.perm)
        if paths != ():
            keys[paths].append(f"dispositions.waiting.{stage.key}")
    return keys


def inbox_total(user):
    """The number of rows in Disposition.objects.filter(services.inbox_q(user)), or None when
    the scope is small (the inbox counts its rows)."""
    in_view = counted(user)  # the counters over the user's view, read once per request
    if in_view is None:
        return None
    view = _paths(user, access.VIEW)
    at_stages = 0
    for paths, keys in _stage_scopes(user).items():
        totals = in_view if paths == view else counters.totals(paths, keys)
        at_stages += sum(totals[key] for key in keys)
    mine = Disposition.objects.filter(at_stages_q(user))
    proposed = mine.filter(proposed_by=user.pk).count()
    stepped = (
        mine.filter(pk__in=DispositionStep.objects.filter(acting_user=user.pk).values("disposition"))
        .exclude(proposed_by=user.pk)
        .filter(Exists(last_step_elsewhere_by(user)))
        .count()
    )
    return at_stages - proposed - stepped
