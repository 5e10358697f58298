#!/usr/bin/env bash
# A private Redis Sentinel on 127.0.0.1 monitoring one master as "mymaster" (testbed.md section 3).
#
#   sentinel.sh start DIR PORT MASTER_PORT   write a fresh DIR/sentinel.conf, start, READY once the
#                                            sentinel has discovered the master's replicas
#   sentinel.sh stop DIR                     SIGTERM to the PID in DIR/sentinel.pid
#   sentinel.sh status DIR
#
# Quorum 1, down-after-milliseconds 1000, failover-timeout 5000: a killed master is replaced in about
# 2 s. Sentinel rewrites its config (failover results, discovered replicas), so every start writes a new
# one. Extra sentinel.conf lines may be given on stdin, e.g. "sentinel auth-pass mymaster pw".
# Logs: DIR/sentinel.log.
set -euo pipefail
TB_SERVICE=sentinel
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

START_TIMEOUT=30
MASTER_NAME=mymaster

usage() { usage_error "usage: $0 start DIR PORT MASTER_PORT | stop DIR | status DIR"; }

running_pid() {
  local pid
  pid=$(read_pid "$DIR/sentinel.pid")
  [[ -n $pid ]] && pid_runs_in "$pid" "$DIR" && echo "$pid"
}

running_port() { sed -n 's/^port //p' "$DIR/sentinel.conf" 2>/dev/null | head -n 1; }

# The replicas the sentinel knows of; it fails over only to those (testbed.md 3, gotchas).
sentinel_sees_replicas() {
  local replicas master_port=$2
  replicas=$(redis-cli -h 127.0.0.1 -p "$1" sentinel master "$MASTER_NAME" | tr -d '\r' | paste - - |
    awk -F'\t' '$1 == "num-slaves" { print $2 }')
  # A master without replicas has nothing to wait for.
  [[ -n $replicas ]] && { ((replicas > 0)) || [[ $(redis-cli -h 127.0.0.1 -p "$master_port" info replication |
    tr -d '\r' | sed -n 's/^connected_slaves://p') == 0 ]]; }
}

cmd_start() {
  local port=$1 master_port=$2 pid extra
  [[ $master_port =~ ^[0-9]+$ ]] || usage_error "MASTER_PORT must be a port, got '$master_port'"
  if pid=$(running_pid); then
    log "already running in $DIR (pid $pid, port $(running_port)); reusing it"
    echo "READY sentinel 127.0.0.1:$(running_port) pid=$pid master=$MASTER_NAME"
    return 0
  fi
  require_free_port "$port"
  command -v redis-sentinel >/dev/null || die "redis-sentinel not found (apt-get install redis-sentinel)"
  command -v redis-cli >/dev/null || die "redis-cli not found (apt-get install redis-tools)"
  mkdir -p "$DIR"
  extra=$(stdin_config)
  {
    cat <<CONF
port $port
bind 127.0.0.1
dir $DIR
logfile $DIR/sentinel.log
sentinel monitor $MASTER_NAME 127.0.0.1 $master_port 1
sentinel down-after-milliseconds $MASTER_NAME 1000
sentinel failover-timeout $MASTER_NAME 5000
sentinel parallel-syncs $MASTER_NAME 1
CONF
    if [[ -n $extra ]]; then printf '%s\n' "$extra"; fi
  } >"$DIR/sentinel.conf"
  chmod 600 "$DIR/sentinel.conf"

  log "starting on 127.0.0.1:$port monitoring 127.0.0.1:$master_port (log $DIR/sentinel.log)"
  nohup redis-sentinel "$DIR/sentinel.conf" >"$DIR/sentinel.out" 2>&1 </dev/null &
  WAIT_PID=$!
  echo "$WAIT_PID" >"$DIR/sentinel.pid"
  TB_EXTRA_LOGS=("$DIR/sentinel.out")
  wait_until "$START_TIMEOUT" "$DIR/sentinel.log" "PING on 127.0.0.1:$port" redis-cli -h 127.0.0.1 -p "$port" ping
  wait_until "$START_TIMEOUT" "$DIR/sentinel.log" "the sentinel to discover the replicas of 127.0.0.1:$master_port" \
    sentinel_sees_replicas "$port" "$master_port"
  echo "READY sentinel 127.0.0.1:$port pid=$WAIT_PID master=$MASTER_NAME"
}

cmd_stop() {
  local pid
  if ! pid=$(running_pid); then
    log "not running in $DIR"
    return 0
  fi
  log "stopping pid $pid"
  stop_pid "$pid" redis-sentinel 10 TERM
  log "stopped"
}

tb_main 2 "$@"
