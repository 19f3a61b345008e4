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
# The worker's output (the daily digests go to the console e-mail backend) goes to worker.log.
$PY manage.py db_worker --no-reload -v1 >worker.log 2>&1 &
WORKER=$!
# The daily jobs (statuses, overdue rules, digests …): queued now, then looked at every hour —
# a day's jobs run once, so the loop starts the next day's soon after midnight (cron in production).
( while true; do $PY manage.py run_daily -v0 >/dev/null 2>>worker.log; sleep 3600; done ) &
DAILY=$!
trap 'kill $WORKER $DAILY 2>/dev/null || true' EXIT INT TERM
echo
echo "联心演示：http://127.0.0.1:8000/   （后台任务已启动，日志与每日提醒见 worker.log；Ctrl-C 停止）"
$PY manage.py runserver 127.0.0.1:8000
