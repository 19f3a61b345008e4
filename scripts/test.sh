#!/usr/bin/env bash
# Set up and run every test: lint, the whole suite on SQLite (browser tests included),
# then the same suite on a real PostgreSQL 15 server started here and stopped afterwards,
# with a streaming standby of it that tests/reports/test_replica.py reads from.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || exit 1
export LIANXIN_TESTING=1 PYTHONDONTWRITEBYTECODE=1
PY=.venv/bin/python
WORKERS=${TEST_WORKERS:-2}

echo "==> ruff"
.venv/bin/ruff check . && .venv/bin/ruff format --check . >/dev/null || { echo "ruff failed (run: make format)"; exit 1; }
$PY manage.py makemigrations --check --dry-run >/dev/null || { echo "missing migrations (run: manage.py makemigrations)"; exit 1; }

echo "==> tests on SQLite"
start=$SECONDS
env -u DATABASE_URL -u DATABASE_REPLICA_URL $PY -m pytest -n "$WORKERS" -q "$@"
sqlite_rc=$?
sqlite_time=$((SECONDS - start))

echo "==> tests on PostgreSQL (with a streaming standby for the reports' reads)"
source scripts/pg.sh
trap pg_stop EXIT
start=$SECONDS
if pg_start && pg_start_replica; then
  $PY -m pytest -n "$WORKERS" -q -m "not e2e" "$@"
  pg_rc=$?
else
  echo "could not start PostgreSQL and its standby"
  pg_rc=1
fi
pg_stop
pg_time=$((SECONDS - start))

# The times let a slow suite be noticed (the card: the whole `make test` under 20 minutes on 2 cores).
echo "SQLite run: exit $sqlite_rc, ${sqlite_time}s; PostgreSQL run: exit $pg_rc, ${pg_time}s; load: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$sqlite_rc" = 0 ] && [ "$pg_rc" = 0 ]
