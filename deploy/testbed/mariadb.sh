#!/usr/bin/env bash
# A private MariaDB server on 127.0.0.1, for tests and `./vigil demo`.
#
#   mariadb.sh start DIR PORT SERVER_ID   write DIR/my.cnf, mariadb-install-db once, start, wait for a real query
#   mariadb.sh stop DIR                   mariadb-admin shutdown, else signal the PID in DIR/mariadbd.pid
#   mariadb.sh status DIR
#
# Extra [mariadbd] lines may be given on stdin (when it is not a terminal), e.g. log_bin=mysql-bin; being
# last in my.cnf they override the defaults. root has no password; a TCP login from 127.0.0.1 is root@localhost.
# Handy: mariadb --defaults-file=DIR/my.cnf   (its [client] section points at this server as root)
# Logs: DIR/error.log (server), DIR/slow.log (slow queries, long_query_time=1), DIR/mariadbd.out (stdout).
set -euo pipefail
TB_SERVICE=mariadb
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

START_TIMEOUT=60

usage() { usage_error "usage: $0 start DIR PORT SERVER_ID | stop DIR | status DIR"; }

pid_file() { echo "$DIR/mariadbd.pid"; }

running_pid() {
  local pid
  pid=$(read_pid "$(pid_file)")
  [[ -n $pid ]] && pid_is_ours "$pid" "$DIR/my.cnf" && echo "$pid"
}

cnf_value() { sed -n "s/^$1=//p" "$DIR/my.cnf" 2>/dev/null | tail -n 1; }

sql_as_root() {
  mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$1" -uroot --connect-timeout=2 -N -B -e "$2"
}

write_cnf() {
  local port=$1 server_id=$2 extra=$3 socket=$DIR/mariadbd.sock
  if ! socket_path_fits "$socket"; then
    socket=${TMPDIR:-/tmp}/vigil-mariadb-$(printf '%s' "$DIR" | cksum | cut -d' ' -f1).sock
    log "path $DIR is too long for a unix socket; using $socket"
  fi
  {
    echo "# written by deploy/testbed/mariadb.sh at every start"
    echo "[mariadbd]"
    ((EUID == 0)) && echo "user=mysql"
    cat <<CNF
datadir=$DIR/data
port=$port
bind-address=127.0.0.1
socket=$socket
pid-file=$DIR/mariadbd.pid
log-error=$DIR/error.log
server_id=$server_id
innodb_buffer_pool_size=128M
performance_schema=ON
slow_query_log=ON
slow_query_log_file=$DIR/slow.log
long_query_time=1
CNF
    [[ -n $extra ]] && printf '%s\n' "$extra"
    cat <<CNF

[client]
host=127.0.0.1
port=$port
socket=$socket
user=root
CNF
  } >"$DIR/my.cnf.tmp"
  mv "$DIR/my.cnf.tmp" "$DIR/my.cnf"
}

running_port() { cnf_value port; }

cmd_start() {
  local port=$1 server_id=$2 pid extra
  [[ $server_id =~ ^[0-9]+$ ]] || usage_error "SERVER_ID must be a number, got '$server_id'"
  if pid=$(running_pid); then
    port=$(cnf_value port)
    log "already running in $DIR (pid $pid, port $port); reusing it"
    echo "READY mariadb 127.0.0.1:$port socket=$(cnf_value socket)"
    return 0
  fi
  require_free_port "$port"
  command -v mariadbd >/dev/null || [[ -x /usr/sbin/mariadbd ]] || die "mariadbd not found (apt-get install mariadb-server)"
  command -v mariadb >/dev/null || die "mariadb client not found (apt-get install mariadb-client)"
  PATH=$PATH:/usr/sbin

  mkdir -p "$DIR"
  extra=$(stdin_config)
  write_cnf "$port" "$server_id" "$extra"
  take_ownership mysql "$DIR"

  if [[ ! -d $DIR/data/mysql ]]; then
    log "mariadb-install-db into $DIR/data"
    # Install next to the target and rename: an interrupted install must not look like a datadir next time.
    rm -rf "$DIR/data.init"
    TB_EXTRA_LOGS=("$DIR/error.log") # install.log holds only generic advice; the cause is in error.log
    mariadb-install-db --defaults-file="$DIR/my.cnf" --datadir="$DIR/data.init" \
      --auth-root-authentication-method=normal --skip-test-db >"$DIR/install.log" 2>&1 ||
      fail_with_log "$DIR/install.log" "mariadb-install-db failed"
    mv "$DIR/data.init" "$DIR/data"
  fi

  log "starting on 127.0.0.1:$port (log $DIR/error.log)"
  nohup mariadbd --defaults-file="$DIR/my.cnf" >"$DIR/mariadbd.out" 2>&1 </dev/null &
  WAIT_PID=$!
  TB_EXTRA_LOGS=("$DIR/mariadbd.out")
  # mariadb-admin ping reports "alive" even when access is denied; only a real query proves we can use it.
  wait_until "$START_TIMEOUT" "$DIR/error.log" "a query as root on 127.0.0.1:$port" sql_as_root "$port" 'select 1'
  echo "READY mariadb 127.0.0.1:$port socket=$(cnf_value socket)"
}

cmd_stop() {
  local pid
  if ! pid=$(running_pid); then
    log "not running in $DIR"
    return 0
  fi
  log "stopping pid $pid"
  if ! timeout 30 mariadb-admin --no-defaults --socket="$(cnf_value socket)" -uroot --connect-timeout=5 \
      shutdown >/dev/null 2>&1; then
    log "mariadb-admin shutdown failed; signalling pid $pid"
  fi
  wait_pid_gone "$pid" mariadbd 30
  log "stopped"
}

tb_main 2 "$@"
