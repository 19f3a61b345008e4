#!/usr/bin/env bash
# Set up, migrate, seed and serve the demo on http://127.0.0.1:8000/ (SQLite by default).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --app
export DEBUG=${DEBUG:-1}
PY=.venv/bin/python
$PY manage.py migrate -v0
$PY manage.py seed_demo
echo
echo "联心演示：http://127.0.0.1:8000/   （Ctrl-C 停止）"
exec $PY manage.py runserver 127.0.0.1:8000
