#!/usr/bin/env bash
# Start a throw-away PostgreSQL 15 server in a temporary directory on 127.0.0.1.
#   source scripts/pg.sh; pg_start; …; pg_stop
# PostgreSQL refuses to run as root, so as root the server runs as the 'postgres' user.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

pg_start() {
  PG_DIR=$(mktemp -d /tmp/lianxin-pg.XXXXXX)
  PG_PORT=${PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
  local run=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$PG_DIR" postgres
    chown postgres "$PG_DIR"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  "${run[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w start \
    -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null \
    || { cat "$PG_DIR/server.log" >&2; return 1; }
  "${run[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres lianxin || return 1
  export PG_RUN="${run[*]}"
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/lianxin"
  echo "PostgreSQL 15 on 127.0.0.1:$PG_PORT ($PG_DIR)"
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  ${PG_RUN:-} "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}
