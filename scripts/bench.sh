#!/usr/bin/env bash
# Build (or reuse) the province-sized data set on a PostgreSQL 15 server kept in .bench/pg,
# one database per size (lianxin_bench_<members>), then run the benchmark: prints the table
# and writes docs/bench.json and docs/bench-growth.json.
#   scripts/bench.sh [--members N] [--rebuild] [--pages-only] [--no-worker] [--no-import]
#   (make bench MEMBERS=5000000)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
MEMBERS=1000000
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [ "${args[i]}" = --members ]; then MEMBERS=${args[i + 1]}; fi
done
DB=lianxin_bench_$MEMBERS
PG_BIN=/usr/lib/postgresql/15/bin
DATA=$PWD/.bench/pg
mkdir -p .bench
run=()
if [ "$(id -u)" = 0 ]; then run=(runuser -u postgres --); chown -R postgres .bench 2>/dev/null || true; fi
if [ ! -d "$DATA" ]; then
  mkdir -p "$DATA"; [ "$(id -u)" = 0 ] && chown postgres "$DATA"
  "${run[@]}" "$PG_BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
PORT=${BENCH_PG_PORT:-55432}
"${run[@]}" "$PG_BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w start \
  -o "-h 127.0.0.1 -p $PORT -k /tmp -c shared_buffers=2GB -c work_mem=64MB -c maintenance_work_mem=1GB -c max_wal_size=8GB -c synchronous_commit=off -c random_page_cost=1.1 -c effective_cache_size=8GB" >/dev/null
trap '"${run[@]}" "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null' EXIT
"${run[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 \
  || "${run[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/$DB" SECRET_KEY=bench-only-key-not-secret-0123456789 \
  SECURE_SSL_REDIRECT=0 DB_POOL=1
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py bench --members "$MEMBERS" "$@"
