#!/usr/bin/env bash
# Set up, migrate, seed and serve the demo on http://127.0.0.1:8000/ (SQLite by default),
# with the background worker (long exports, imports, the daily jobs) beside the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --app
export DEBUG=${DEBUG:-1}
PY=.venv/bin/python
$PY manage.py migrate -v0
$PY manage.py seed_demo
$PY manage.py db_worker --no-reload -v0 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo
echo "联心演示：http://127.0.0.1:8000/   （后台任务已启动；Ctrl-C 停止）"
$PY manage.py runserver 127.0.0.1:8000
