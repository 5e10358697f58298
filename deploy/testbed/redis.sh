#!/usr/bin/env bash
# A private Redis server on 127.0.0.1, for tests and `./vigil demo` (testbed.md section 3).
#
#   redis.sh start DIR PORT [MASTER_PORT]   write DIR/redis.conf, start; with MASTER_PORT a replica of
#                                           127.0.0.1:MASTER_PORT, READY once its master link is up
#   redis.sh stop DIR                       SIGTERM to the PID in DIR/redis.pid
#   redis.sh status DIR
#
# No persistence (save "", appendonly no) and repl-diskless-sync-delay 0, so a replica syncs in about
# 0.1 s instead of 5 s. Extra redis.conf lines may be given on stdin (when it is not a terminal), e.g.
# "requirepass pw" and "masterauth pw"; being last they override the defaults.
# Logs: DIR/redis.log.
set -euo pipefail
TB_SERVICE=redis
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

START_TIMEOUT=30

usage() { usage_error "usage: $0 start DIR PORT [MASTER_PORT] | stop DIR | status DIR"; }

running_pid() {
  local pid
  pid=$(read_pid "$DIR/redis.pid")
  [[ -n $pid ]] && pid_runs_in "$pid" "$DIR" && echo "$pid"
}

conf_value() { sed -n "s/^$1 //p" "$DIR/redis.conf" 2>/dev/null | tail -n 1; }

running_port() { conf_value port; }

# redis-cli reads the password from the environment, never from its command line (visible in ps).
cli() { REDISCLI_AUTH=$(conf_value requirepass) redis-cli --no-auth-warning -h 127.0.0.1 -p "$1" "${@:2}"; }

link_up() { cli "$1" info replication | tr -d '\r' | grep -qx 'master_link_status:up'; }

cmd_start() {
  local port=$1 master_port=${2:-} pid extra
  if pid=$(running_pid); then
    log "already running in $DIR (pid $pid, port $(running_port)); reusing it"
    echo "READY redis 127.0.0.1:$(running_port) pid=$pid"
    return 0
  fi
  require_free_port "$port"
  [[ -z $master_port || $master_port =~ ^[0-9]+$ ]] || usage_error "MASTER_PORT must be a port, got '$master_port'"
  command -v redis-server >/dev/null || die "redis-server not found (apt-get install redis-server)"
  command -v redis-cli >/dev/null || die "redis-cli not found (apt-get install redis-tools)"
  mkdir -p "$DIR"
  extra=$(stdin_config)
  {
    echo "# written by deploy/testbed/redis.sh at every start"
    cat <<CONF
port $port
bind 127.0.0.1
dir $DIR
logfile $DIR/redis.log
daemonize no
save ""
appendonly no
repl-diskless-sync-delay 0
CONF
    if [[ -n $master_port ]]; then echo "replicaof 127.0.0.1 $master_port"; fi
    if [[ -n $extra ]]; then printf '%s\n' "$extra"; fi
  } >"$DIR/redis.conf"
  chmod 600 "$DIR/redis.conf" # it may hold requirepass

  log "starting on 127.0.0.1:$port (log $DIR/redis.log)"
  # Started directly (no eval, no subshell), so $! is the server's own PID.
  nohup redis-server "$DIR/redis.conf" >"$DIR/redis.out" 2>&1 </dev/null &
  WAIT_PID=$!
  echo "$WAIT_PID" >"$DIR/redis.pid"
  TB_EXTRA_LOGS=("$DIR/redis.out")
  wait_until "$START_TIMEOUT" "$DIR/redis.log" "PING on 127.0.0.1:$port" cli "$port" ping
  if [[ -n $master_port ]]; then
    wait_until "$START_TIMEOUT" "$DIR/redis.log" "master_link_status:up on 127.0.0.1:$port" link_up "$port"
  fi
  echo "READY redis 127.0.0.1:$port pid=$WAIT_PID"
}

cmd_stop() {
  local pid
  if ! pid=$(running_pid); then
    log "not running in $DIR"
    return 0
  fi
  log "stopping pid $pid"
  stop_pid "$pid" redis-server 10 TERM
  log "stopped"
}

# START takes PORT and an optional MASTER_PORT.
tb_main $(($# == 4 ? 2 : 1)) "$@"
