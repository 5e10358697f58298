#!/usr/bin/env bash
# A private PostgreSQL cluster on 127.0.0.1, for tests and `./vigil demo`.
#
#   postgres.sh start DIR PORT    initdb DIR/data once (trust auth, superuser "postgres"), start, wait for pg_isready
#   postgres.sh stop DIR          fast shutdown of the postmaster in DIR/data/postmaster.pid
#   postgres.sh status DIR
#
# Extra postgresql.conf lines may be given on stdin (when it is not a terminal); they replace those of the
# previous start. pg_stat_statements is preloaded when installed, since Vigil's collector reads it.
# Log: DIR/postgres.log. Unix socket in DIR. Binaries: $PG_BIN, else `pg_config --bindir`, else the highest
# /usr/lib/postgresql/*/bin. As root, DIR is handed to the postgres user (initdb/pg_ctl refuse to run as root).
set -euo pipefail
TB_SERVICE=postgres
TB_ABORT_SIGNAL=INT # fast shutdown
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

START_TIMEOUT=60

usage() { usage_error "usage: $0 start DIR PORT | stop DIR | status DIR"; }

find_bindir() {
  local dir
  for dir in "${PG_BIN:-}" "$(pg_config --bindir 2>/dev/null || true)"; do
    [[ -n $dir && -x $dir/initdb && -x $dir/pg_ctl ]] && { echo "$dir"; return; }
  done
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -n $dir && -x $dir/initdb ]] && { echo "$dir"; return; }
  die "PostgreSQL server binaries not found (set PG_BIN, or install postgresql)"
}

postmaster_pid() { read_pid "$DIR/data/postmaster.pid"; }

running_pid() {
  local pid
  pid=$(postmaster_pid)
  [[ -n $pid ]] && pid_is_ours "$pid" "$DIR/data" && echo "$pid"
}

# The port the running instance listens on: line 4 of postmaster.pid.
running_port() { sed -n 4p "$DIR/data/postmaster.pid" 2>/dev/null; }

cmd_start() {
  local port=$1 bindir pid
  bindir=$(find_bindir)
  if pid=$(running_pid); then
    port=$(running_port)
    log "already running in $DIR (pid $pid, port $port); reusing it"
    echo "READY postgres 127.0.0.1:$port bindir=$bindir"
    return 0
  fi
  require_free_port "$port"
  mkdir -p "$DIR"

  local extra
  extra=$(stdin_config)
  take_ownership postgres "$DIR"

  if [[ ! -f $DIR/data/PG_VERSION ]]; then
    log "initdb $DIR/data"
    # Initialise next to the target and rename, so an interrupted initdb never leaves a half-made cluster
    # that the next start would take for a real one.
    rm -rf "$DIR/data.init"
    as_service_user postgres "$bindir/initdb" -D "$DIR/data.init" -U postgres --auth=trust -E UTF8 \
      --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || fail_with_log "$DIR/initdb.log" "initdb failed"
    as_service_user postgres sh -c 'printf "\n%s\n" "include_if_exists = '\''vigil-extra.conf'\''" >> "$1/postgresql.conf"' \
      sh "$DIR/data.init"
    mv "$DIR/data.init" "$DIR/data"
  fi

  local preload=""
  [[ -f $("$bindir/pg_config" --pkglibdir 2>/dev/null || echo /nonexistent)/pg_stat_statements.so ]] &&
    preload="shared_preload_libraries = 'pg_stat_statements'"
  printf '# written by deploy/testbed/postgres.sh at every start\n%s\n%s\n' "$preload" "$extra" |
    as_service_user postgres sh -c 'cat > "$1"' sh "$DIR/data/vigil-extra.conf"

  local socket_dir=$DIR
  if ! socket_path_fits "$DIR/.s.PGSQL.$port"; then
    log "path $DIR is too long for a unix socket; TCP only"
    socket_dir=""
  fi

  log "starting on 127.0.0.1:$port (log $DIR/postgres.log)"
  as_service_user postgres "$bindir/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -w -t "$START_TIMEOUT" \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$socket_dir'" start >"$DIR/pg_ctl.log" 2>&1 ||
    fail_with_log "$DIR/postgres.log" "pg_ctl start failed: $(tail -n 3 "$DIR/pg_ctl.log" | tr '\n' ' ')"

  WAIT_PID=$(postmaster_pid)
  wait_until "$START_TIMEOUT" "$DIR/postgres.log" "pg_isready on 127.0.0.1:$port" \
    "$bindir/pg_isready" -h 127.0.0.1 -p "$port" -q
  echo "READY postgres 127.0.0.1:$port bindir=$bindir"
}

cmd_stop() {
  local pid
  if ! pid=$(running_pid); then
    log "not running in $DIR"
    return 0
  fi
  log "stopping pid $pid"
  # SIGINT is PostgreSQL's "fast" shutdown; if it hangs, SIGQUIT ("immediate") lets the postmaster take
  # its children down, which a bare SIGKILL of the postmaster would not.
  stop_pid "$pid" postgres 30 INT QUIT
  rm -f "$DIR/data/postmaster.pid" 2>/dev/null || true
  log "stopped"
}

tb_main 1 "$@"
