"""Per-organization counters: how many rows of a kind each organization's whole subtree holds
(members by contact status, open cases, dispositions waiting at each stage …), so that the
工作台 of a county or a province reads a handful of rows instead of counting millions.

An app registers its counters in its `counters.py` (discovered at start-up like admin.py, so
the core names no app):

    register("members.lost", label="失联", model=Member,
             q=Q(contact_status="lost", party_status__in=ACTIVE))

`q` may read only the model's own columns, and `organization` names the row's own foreign key
to Organization: a counter then changes exactly when a row of its model is saved or deleted.
(A condition on today's date cannot be a counter: rows cross it without being saved.)

Kept in the writer's transaction: saving or deleting a counted row records the row's state
before; the change to each counter (−1 where it was, +1 where it is now) is applied to the
row's organization and every ancestor by one upsert with `value = value + delta`, so concurrent
transactions add up instead of overwriting. Inside `deferred()` — every declared service runs in
one (lianxin/service.py), as do the daily status refresh and the importer — the changes wait for
the end of the transaction and go in as one statement, the rows locked in one order (root first)
so that two writers never deadlock. Rows written with bulk_create are announced with `created()`.

`recount()` counts everything again from the rows (`manage.py recount [--repair]`, the daily job,
and the tests after every service): it reports, and repairs, any difference.
"""

import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from lianxin.models import Organization, OrgCounter

BATCH = 500  # (path, key) rows per upsert statement


@dataclass(frozen=True)
class Counter:
    key: str
    label: str
    model: type
    q: Q
    organization: str  # attname of the row's own foreign key to Organization


COUNTERS: dict[str, Counter] = {}
_BY_MODEL: dict[type, list[Counter]] = {}
_FIELDS: dict[type, set] = {}  # the columns the model's counters read
_local = threading.local()


def _condition_fields(model, q):
    for child in q.children:
        if isinstance(child, Q):
            yield from _condition_fields(model, child)
            continue
        name, *lookup = child[0].split("__")
        field = model._meta.get_field(name)
        if len(lookup) > 1 or (lookup and lookup[0] not in field.get_lookups()):
            raise ValueError(f"a counter reads its model's own columns only: {child[0]}")
        yield field.attname


def register(key, *, label, model, q, organization="organization"):
    """Count the rows of `model` matching `q` in each organization's subtree."""
    fk = model._meta.get_field(organization)
    if fk.related_model is not Organization:
        raise ValueError(f"{model.__name__}.{organization} is not a foreign key to Organization")
    fields = set(_condition_fields(model, q)) | {fk.attname}
    counter = Counter(key, label, model, q, fk.attname)
    if key in COUNTERS and COUNTERS[key] != counter:
        raise ValueError(f"counter registered twice: {key}")
    COUNTERS[key] = counter
    if model not in _BY_MODEL:
        uid = f"lianxin_counters_{model._meta.label}"
        pre_save.connect(_before_write, sender=model, dispatch_uid=uid)
        pre_delete.connect(_before_write, sender=model, dispatch_uid=uid)
        post_save.connect(_after_write, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_write, sender=model, dispatch_uid=uid)
        _BY_MODEL[model], _FIELDS[model] = [], set()
    if counter not in _BY_MODEL[model]:
        _BY_MODEL[model].append(counter)
    _FIELDS[model] |= fields
    return counter


# Keeping them ---------------------------------------------------------------------------------


def _pending():
    """{model: {pk: state before the transaction's first write}}, for this thread's connection."""
    if not hasattr(_local, "pending"):
        _local.pending, _local.depth = {}, 0
    return _local.pending


def _states(model, pks):
    """{pk: (organization id, frozenset of matching keys)} of the rows as stored now."""
    counters = _BY_MODEL[model]
    flags = {f"_c{i}": ExpressionWrapper(c.q, output_field=BooleanField()) for i, c in enumerate(counters)}
    org = counters[0].organization  # one foreign key per model
    rows = model._base_manager.filter(pk__in=pks).annotate(**flags).values_list("pk", org, *flags)
    return {
        pk: (org_id, frozenset(c.key for c, hit in zip(counters, hits, strict=True) if hit))
        for pk, org_id, *hits in rows
    }


def _touches(model, update_fields):
    return update_fields is None or bool(
        _FIELDS[model] & {model._meta.get_field(f).attname for f in update_fields}
    )


def _before_write(sender, instance, update_fields=None, **kwargs):
    if not _touches(sender, update_fields):
        return
    pending = _pending().setdefault(sender, {})
    if instance.pk is None or instance.pk in pending:
        return
    pending[instance.pk] = None if instance._state.adding else _states(sender, [instance.pk]).get(instance.pk)


def _after_write(sender, instance, update_fields=None, created=False, **kwargs):
    if not _touches(sender, update_fields):
        return
    _pending().setdefault(sender, {}).setdefault(instance.pk, None)
    if not _local.depth:
        flush()


def created(model, objs):
    """Rows just written by bulk_create (no signals): count them."""
    if model not in _BY_MODEL:
        return
    pending = _pending().setdefault(model, {})
    for obj in objs:
        pending.setdefault(obj.pk, None)
    if not _local.depth:
        flush()


@contextmanager
def deferred():
    """A transaction whose counter changes are written once, at its end."""
    _pending()
    if _local.depth:  # inside another: its end writes for both
        _local.depth += 1
        try:
            yield
        finally:
            _local.depth -= 1
        return
    _local.depth = 1
    try:
        with transaction.atomic():
            yield
            flush()
    finally:
        _local.depth, _local.pending = 0, {}


def flush():
    """Apply the changes of the rows written since the last flush (re-read as stored now: a
    write undone by a rolled-back savepoint changes nothing)."""
    pending, _local.pending = _pending(), {}
    deltas = defaultdict(int)
    for model, before in pending.items():
        after = _states(model, list(before)) if before else {}
        for pk, was in before.items():
            now = after.get(pk)
            if was == now:
                continue
            for state, sign in ((was, -1), (now, 1)):
                if state:
                    for key in state[1]:
                        deltas[state[0], key] += sign
    apply({k: v for k, v in deltas.items() if v})


def apply(deltas):
    """Add {(organization id, key): delta} to the organization and each of its ancestors."""
    if not deltas:
        return
    paths = dict(Organization.objects.filter(pk__in={org for org, _ in deltas}).values_list("pk", "path"))
    step = Organization.steplen
    rolled = defaultdict(int)
    for (org, key), delta in deltas.items():
        path = paths[org]
        for end in range(step, len(path) + 1, step):
            rolled[path[:end], key] += delta
    rows = sorted((path, key, delta) for (path, key), delta in rolled.items() if delta)
    for start in range(0, len(rows), BATCH):
        _upsert(rows[start : start + BATCH])


def _upsert(rows):
    # Only table and column names (quoted by the backend) are formatted in; values are parameters.
    q = connection.ops.quote_name
    table, orgs = q(OrgCounter._meta.db_table), q(Organization._meta.db_table)
    org_id, key, value = q("organization_id"), q("key"), q("value")
    values = " UNION ALL ".join(["SELECT %s AS path, %s AS name, CAST(%s AS integer) AS delta"] * len(rows))
    sql = (
        f"INSERT INTO {table} ({org_id}, {key}, {value}) "  # noqa: S608
        f"SELECT o.id, d.name, d.delta FROM ({values}) d JOIN {orgs} o ON o.path = d.path "
        f"WHERE true ORDER BY o.path, d.name "
        f"ON CONFLICT ({org_id}, {key}) DO UPDATE SET {value} = {table}.{value} + excluded.{value}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [v for row in rows for v in row])


# Reading them ---------------------------------------------------------------------------------


def totals(paths, keys=None):
    """{key: the sum over the subtrees at `paths`} (the paths must not overlap): one query.
    `paths=None` sums the roots of the tree (the whole of it)."""
    keys = list(COUNTERS) if keys is None else list(keys)
    out = dict.fromkeys(keys, 0)
    rows = OrgCounter.objects.filter(key__in=keys)
    if paths is None:
        rows = rows.filter(organization__depth=1)
    else:
        rows = rows.filter(organization__path__in=list(paths))
    for key, value in rows.values_list("key", "value"):
        out[key] += value
    return out


def for_scope(user, perm=None):
    """{key: total} over the user's scope for `perm`, every counter: one query, read once per
    request (lianxin/request_state.py, like the grants)."""
    from lianxin import access, request_state

    perm = perm or access.VIEW

    def compute():
        whole = access.is_unrestricted(user, perm)
        return totals(None if whole else access.granted_paths(user, perm))

    return request_state.cached(user, ("counters", perm), compute)


from lianxin.recount import Recount, recount  # noqa: E402,F401  (counting again lives beside this)
