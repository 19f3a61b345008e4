#!/usr/bin/env bash
# Set up everything lianxin needs on a fresh machine: system packages, a Python >= 3.12
# virtualenv, and the Python dependencies of pyproject.toml. Safe to run again.
#   scripts/setup.sh          application + test dependencies
#   scripts/setup.sh --app    application only (the demo)
set -euo pipefail
cd "$(dirname "$0")/.."
WITH_TESTS=1
[ "${1:-}" = "--app" ] && WITH_TESTS=0

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# --- system packages ---------------------------------------------------------------------
need=()
# (no grep -q: with pipefail, fc-list would die of SIGPIPE and the font look missing)
fc-list 2>/dev/null | grep "Noto Serif CJK" >/dev/null || need+=(fonts-noto-cjk)
dpkg -s libharfbuzz-subset0 >/dev/null 2>&1 || need+=(libharfbuzz-subset0)
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ "$WITH_TESTS" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
  [ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "installing system packages: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "missing system packages: ${need[*]} (run as root, or: sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
fi

# --- Python >= 3.12 ----------------------------------------------------------------------
find_python() {
  local candidates=() best="" best_ver=0
  if command -v pyenv >/dev/null 2>&1; then
    for p in "$(pyenv root)"/versions/*/bin/python3; do [ -x "$p" ] && candidates+=("$p"); done
  fi
  for name in python3.14 python3.13 python3.12 python3; do
    command -v "$name" >/dev/null 2>&1 && candidates+=("$(command -v "$name")")
  done
  for p in "${candidates[@]}"; do
    v=$("$p" -c 'import sys; print(sys.version_info[0]*100+sys.version_info[1])' 2>/dev/null) || continue
    if [ "$v" -ge 312 ] && [ "$v" -gt "$best_ver" ]; then best="$p"; best_ver="$v"; fi
  done
  echo "$best"
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
  PY=$(find_python)
  if [ -z "$PY" ]; then
    echo "lianxin needs Python 3.12 or newer (Django 6). Install one, e.g. 'pyenv install 3.13'," >&2
    echo "or 'apt-get install python3.12 python3.12-venv', then run this again." >&2
    exit 1
  fi
  log "creating .venv with $PY ($("$PY" --version))"
  rm -rf .venv
  "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi

# --- Python packages (only when pyproject.toml changed) ------------------------------------
stamp=".venv/.deps-$WITH_TESTS"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  log "installing Python packages"
  .venv/bin/python - "$WITH_TESTS" > .venv/requirements.txt <<'PY'
import sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
deps = list(project["dependencies"])
if sys.argv[1] == "1":
    deps += project["optional-dependencies"]["test"]
print("\n".join(deps))
PY
  .venv/bin/python -m pip install -q -r .venv/requirements.txt 2>&1 | grep -v "is ignored: it is neither a file nor a directory" || true
  .venv/bin/python -c "import django, guardian, simple_history, treebeard, openpyxl, weasyprint, psycopg"
  touch "$stamp"
fi
