#!/usr/bin/env bash
# Start a throw-away PostgreSQL 15 server in a temporary directory on 127.0.0.1.
#   source scripts/pg.sh; pg_start; …; pg_stop
# pg_start_replica (after pg_start) adds a streaming standby of it on another port and exports
# DATABASE_REPLICA_URL; pg_replica_ctl stop|start stops and restarts that standby.
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
    -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c wal_level=replica -c max_wal_senders=5" >/dev/null \
    || { cat "$PG_DIR/server.log" >&2; return 1; }
  "${run[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres lianxin || return 1
  export PG_RUN="${run[*]}"
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/lianxin"
  echo "PostgreSQL 15 on 127.0.0.1:$PG_PORT ($PG_DIR)"
}

pg_start_replica() {
  [ -n "${PG_DIR:-}" ] || { echo "pg_start_replica: start the primary first (pg_start)" >&2; return 1; }
  local run=()
  [ -n "${PG_RUN:-}" ] && read -ra run <<<"$PG_RUN"
  # The standby connects for replication from 127.0.0.1 (initdb's trust entries have it; make sure).
  if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$PG_DIR/data/pg_hba.conf"; then
    echo "host replication all 127.0.0.1/32 trust" >>"$PG_DIR/data/pg_hba.conf"
    "${run[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" reload >/dev/null || return 1
  fi
  PG_REPLICA_DIR=$(mktemp -d /tmp/lianxin-pg-replica.XXXXXX)
  PG_REPLICA_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  [ "$(id -u)" = 0 ] && chown postgres "$PG_REPLICA_DIR"
  export PG_REPLICA_DIR PG_REPLICA_PORT
  # -R: standby.signal + primary_conninfo; -C -S: a replication slot, so the primary keeps the
  # WAL a stopped standby has not received yet.
  "${run[@]}" "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$PG_REPLICA_DIR/data" \
    -R -X stream -C -S lianxin_replica --checkpoint=fast --no-sync >"$PG_REPLICA_DIR/basebackup.log" 2>&1 \
    || { cat "$PG_REPLICA_DIR/basebackup.log" >&2; return 1; }
  pg_replica_ctl start || { cat "$PG_REPLICA_DIR/server.log" >&2; return 1; }
  export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$PG_REPLICA_PORT/lianxin"
  echo "PostgreSQL 15 standby on 127.0.0.1:$PG_REPLICA_PORT ($PG_REPLICA_DIR)"
}

pg_replica_ctl() {
  local run=()
  [ -n "${PG_RUN:-}" ] && read -ra run <<<"$PG_RUN"
  case "$1" in
    start)
      # max_connections may not be below the primary's on a hot standby.
      "${run[@]}" "$PG_BIN/pg_ctl" -D "$PG_REPLICA_DIR/data" -l "$PG_REPLICA_DIR/server.log" -w start \
        -o "-h 127.0.0.1 -p $PG_REPLICA_PORT -k $PG_REPLICA_DIR -c fsync=off -c max_connections=200" >/dev/null ;;
    stop)
      "${run[@]}" "$PG_BIN/pg_ctl" -D "$PG_REPLICA_DIR/data" -m fast -w stop >/dev/null ;;
    *)
      echo "usage: pg_replica_ctl start|stop" >&2
      return 2 ;;
  esac
}

pg_stop() {
  if [ -n "${PG_REPLICA_DIR:-}" ]; then
    pg_replica_ctl stop 2>/dev/null || true
    rm -rf "$PG_REPLICA_DIR"
    PG_REPLICA_DIR=""
    unset DATABASE_REPLICA_URL
  fi
  [ -n "${PG_DIR:-}" ] || return 0
  ${PG_RUN:-} "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}
