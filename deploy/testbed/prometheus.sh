#!/usr/bin/env bash
# A Prometheus server on 127.0.0.1 with no scrape jobs: a reference PromQL engine for tests (golden
# answers) and a place to load recorded data into.
#
#   prometheus.sh start DIR PORT   backfill stdin's OpenMetrics text (if any) into DIR/data, start, wait for /-/ready
#   prometheus.sh stop DIR         SIGTERM to the PID in DIR/prometheus.pid
#   prometheus.sh status DIR
#
# OpenMetrics text on stdin (when it is not a terminal; it must end with "# EOF") is loaded with
# `promtool tsdb create-blocks-from openmetrics` before the server starts: a running Prometheus only
# picks up new blocks at its next reload, so backfilling into a running one is refused.
#   prometheus.sh start /tmp/vigil/prom 19090 <recorded.om
# Data: DIR/data (--storage.tsdb.path, kept 10 years so old recorded data is not dropped).
# Config: DIR/prometheus.yml (rewritten at every start). Logs: DIR/prometheus.log, DIR/backfill.log.
# Binaries: $PROMETHEUS_BIN (a directory), else prometheus and promtool on the PATH.
set -euo pipefail
TB_SERVICE=prometheus
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

START_TIMEOUT=60

usage() { usage_error "usage: $0 start DIR PORT | stop DIR | status DIR"; }

find_bin() {
  local name=$1 bin
  if [[ -n ${PROMETHEUS_BIN:-} ]]; then
    bin=$PROMETHEUS_BIN/$name
  else
    bin=$(command -v "$name" || true)
  fi
  [[ -n $bin && -x $bin ]] || die "$name not found (install the prometheus package, or set PROMETHEUS_BIN)"
  echo "$bin"
}

pid_file() { echo "$DIR/prometheus.pid"; }

running_pid() {
  local pid
  pid=$(read_pid "$(pid_file)")
  [[ -n $pid ]] && pid_is_ours "$pid" "$DIR/prometheus.yml" && echo "$pid"
}

running_port() { cat "$DIR/port" 2>/dev/null; }

ready() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$1/-/ready"; }

write_config() {
  cat >"$DIR/prometheus.yml" <<'YML'
# written by deploy/testbed/prometheus.sh at every start: no scrape jobs, data only comes from backfills
global:
  evaluation_interval: 1m
scrape_configs: []
YML
}

# backfill FILE: promtool writes blocks next to whatever DIR/data already holds; Prometheus merges
# overlapping blocks when it reads them, so loading the same data twice does no harm.
backfill() {
  local file=$1
  log "backfilling $(grep -vc '^#' "$file") samples into $DIR/data"
  "$(find_bin promtool)" tsdb create-blocks-from openmetrics "$file" "$DIR/data" >"$DIR/backfill.log" 2>&1 ||
    fail_with_log "$DIR/backfill.log" "promtool could not backfill the OpenMetrics text given on stdin"
}

cmd_start() {
  local port=$1 pid prometheus
  mkdir -p "$DIR/data"
  stdin_config >"$DIR/backfill.om"
  if pid=$(running_pid); then
    if [[ -s $DIR/backfill.om ]]; then
      rm -f "$DIR/backfill.om"
      die "Prometheus is already running in $DIR (pid $pid); stop it before backfilling"
    fi
    rm -f "$DIR/backfill.om"
    port=$(running_port)
    log "already running in $DIR (pid $pid, port $port); reusing it"
    echo "READY prometheus 127.0.0.1:$port"
    return 0
  fi
  require_free_port "$port"
  prometheus=$(find_bin prometheus)
  [[ ! -s $DIR/backfill.om ]] || backfill "$DIR/backfill.om" # on failure the file stays, next to backfill.log
  rm -f "$DIR/backfill.om"
  write_config
  echo "$port" >"$DIR/port"

  log "starting on 127.0.0.1:$port (log $DIR/prometheus.log)"
  [[ -f $DIR/prometheus.log ]] && mv "$DIR/prometheus.log" "$DIR/prometheus.log.previous"
  nohup "$prometheus" --config.file="$DIR/prometheus.yml" --storage.tsdb.path="$DIR/data" \
    --storage.tsdb.retention.time=10y --web.listen-address="127.0.0.1:$port" \
    >"$DIR/prometheus.log" 2>&1 </dev/null &
  WAIT_PID=$!
  echo "$WAIT_PID" >"$(pid_file)"
  # Go says "address already in use" in lower case, which lib.sh's check does not catch.
  if ! (wait_until "$START_TIMEOUT" "$DIR/prometheus.log" "http://127.0.0.1:$port/-/ready answering 200" ready "$port"); then
    if grep -qi 'address already in use' "$DIR/prometheus.log" 2>/dev/null; then
      exit "$TB_EXIT_PORT_IN_USE"
    fi
    exit 1
  fi
  echo "READY prometheus 127.0.0.1:$port"
}

cmd_stop() {
  local pid
  if ! pid=$(running_pid); then
    log "not running in $DIR"
    return 0
  fi
  log "stopping pid $pid"
  stop_pid "$pid" prometheus 30 TERM
  rm -f "$(pid_file)"
  log "stopped"
}

tb_main 1 "$@"
