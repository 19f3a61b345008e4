"""Counting the counters again from the rows (lianxin/counters.py): `manage.py recount [--repair]`,
the daily job, and the tests after every service.

One aggregate per counted model (its rows grouped by organization, one conditional count per
counter), rolled up the tree in Python, compared with what is stored. On PostgreSQL the counter
table is locked against writers meanwhile (a transaction that has changed counted rows and not
yet written its counters has not committed either: the recount does not see its rows, and its
counters are added on top afterwards), so a difference is a real one, never a race.
"""

import logging
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache, reduce

from django.db import connection, transaction
from django.db.models import Count

from lianxin.daily import register_daily
from lianxin.models import Organization, OrgCounter

logger = logging.getLogger(__name__)


@dataclass
class Recount:
    # (organization path, key, stored, counted) for every counter that was wrong
    differences: list = field(default_factory=list)
    written: int = 0  # counter rows written or removed by the repair
    rows: int = 0  # counter rows there should be (zeros are not stored)


def counted():
    """{(organization id, key): the count in its subtree}, zeros left out."""
    from lianxin.counters import _BY_MODEL

    by_org = defaultdict(int)  # (organization id, key): rows of the organization itself
    for model, counters in _BY_MODEL.items():
        with connection.cursor() as cursor:
            cursor.execute(*_aggregate_sql(connection.vendor, model, tuple(counters)))
            while rows := cursor.fetchmany(20000):
                for org_id, *counts in rows:
                    for counter, n in zip(counters, counts, strict=True):
                        if n:
                            by_org[org_id, counter.key] += n
    if not by_org:
        return {}
    ids_by_path = {}
    paths = {}
    for pk, path in Organization.objects.values_list("pk", "path").iterator(chunk_size=20000):
        ids_by_path[path] = pk
        paths[pk] = path
    step = Organization.steplen
    out = defaultdict(int)
    for (org_id, key), n in by_org.items():
        path = paths[org_id]
        for end in range(step, len(path) + 1, step):
            out[ids_by_path[path[:end]], key] += n
    return out


@lru_cache(maxsize=64)
def _aggregate_sql(vendor, model, counters):
    """The (sql, params) counting a model's rows per organization, one column per counter.
    Compiled once per process: building it through the ORM cost more than running it on a
    small database, and the tests recount after every service."""
    org = counters[0].organization
    matches = {f"_c{i}": Count("pk", filter=c.q) for i, c in enumerate(counters)}
    rows = (
        model._base_manager.filter(reduce(operator.or_, (c.q for c in counters)))
        .values(org)
        .annotate(**matches)
        .order_by()
        .values_list(org, *matches)
    )
    sql, params = rows.query.get_compiler(connection=connection).as_sql()
    return sql, tuple(params)


def recount(*, repair=False, log=None):
    """Compare every stored counter with a fresh count; with `repair`, store the fresh count."""
    result = Recount()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(OrgCounter._meta.db_table)
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        fresh = counted()
        result.rows = len(fresh)
        stored = {
            (org, key): (pk, value)
            for pk, org, key, value in OrgCounter.objects.values_list(
                "pk", "organization_id", "key", "value"
            ).iterator(chunk_size=20000)
        }
        wrong = {k: n for k, n in fresh.items() if stored.get(k, (None, 0))[1] != n}
        stale = {k: stored_row for k, stored_row in stored.items() if k not in fresh}
        differences = [(k, stored.get(k, (None, 0))[1], n) for k, n in wrong.items()]
        differences += [(k, value, 0) for k, (_pk, value) in stale.items() if value]
        ids = {org for (org, _key), _s, _n in differences[:1000]}
        paths = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "path"))
        result.differences = sorted(
            (paths.get(org, str(org)), key, was, n) for (org, key), was, n in differences
        )
        if repair:
            result.written = _repair(wrong, [pk for pk, _v in stale.values()], log)
    return result


def _repair(wrong, gone, log):
    rows = [OrgCounter(organization_id=org, key=key, value=n) for (org, key), n in wrong.items()]
    for start in range(0, len(rows), 5000):
        OrgCounter.objects.bulk_create(
            rows[start : start + 5000],
            update_conflicts=True,
            unique_fields=["organization", "key"],
            update_fields=["value"],
        )
        if log and start and start % 100000 == 0:
            log(f"  计数已写入 {start} 行")
    for start in range(0, len(gone), 5000):
        OrgCounter.objects.filter(pk__in=gone[start : start + 5000]).delete()
    return len(rows) + len(gone)


def recount_daily(*, today):
    """The daily job: recount and repair. A difference means some write bypassed the counters
    (a QuerySet.update(), a bulk_create not announced): it is logged for the developers."""
    result = recount(repair=True)
    if result.differences:
        logger.error("counters differed from the rows and were repaired: %s", result.differences[:20])
    return {"differences": len(result.differences), "written": result.written}


register_daily("recount", recount_daily, after=("refresh_statuses",))
