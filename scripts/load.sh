#!/usr/bin/env bash
# `make load`: 50 simultaneous users for 5 minutes against gunicorn + PostgreSQL on loopback.
#   LOAD_USERS=50 LOAD_SECONDS=300 scripts/load.sh
# Starts a throw-away PostgreSQL, migrates, seeds the demo, serves it with gunicorn (production
# settings, DB connection pool), runs scripts/load.py, and stops everything. Exit 0 only with
# zero errors and zero lost writes.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
PY=.venv/bin/python
source scripts/pg.sh
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() { [ -n "${GUNICORN_PID:-}" ] && kill "$GUNICORN_PID" 2>/dev/null; wait 2>/dev/null; pg_stop; }
trap cleanup EXIT
pg_start
export SECRET_KEY=load-test-only-key-not-secret-0123456789abcdef ALLOWED_HOSTS=127.0.0.1 \
  SECURE_SSL_REDIRECT=0 DB_POOL=1 LOG_LEVEL=WARNING
$PY manage.py migrate -v0
$PY manage.py seed_demo >/dev/null
$PY -m gunicorn lianxin.wsgi:application --bind "127.0.0.1:$PORT" --workers "${LOAD_WORKERS:-4}" \
  --threads 4 --worker-class gthread --timeout 120 --access-logfile /dev/null &
GUNICORN_PID=$!
for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null && break; sleep 0.2; done
$PY scripts/load.py --base "http://127.0.0.1:$PORT" --users "${LOAD_USERS:-50}" --seconds "${LOAD_SECONDS:-300}"
