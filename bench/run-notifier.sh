#!/usr/bin/env bash
# Notifier benchmark (NotifierBench), on a private Kafka and PostgreSQL started by the test-bed scripts:
#  1. dispatch latency: an alert event produced to Kafka until its notification's HTTP request reaches a
#     local webhook receiver, group_wait 0s, a new alert group per probe: p50/p95/p99;
#  2. alert storm: 5,000 alerts in 10 s across 50 clusters with the default grouping (group_wait 30s):
#     notifications sent, time until every alert was notified, heap held.
#
#   bench/run-notifier.sh              # 200 probes
#   PROBES=500 bench/run-notifier.sh
#   SKIP_BUILD=1                       # reuse bench/target/benchmarks.jar
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WORK="$ROOT/bench/target/notifier"
PG_PORT=${PG_PORT:-25452}
KAFKA_PORT=${KAFKA_PORT:-29112}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-29113}
PROBES=${PROBES:-200}

rm -rf "$WORK"
mkdir -p "$WORK"
cleanup() {
  "$TESTBED/kafka.sh" stop "$WORK/kafka" || true
  "$TESTBED/postgres.sh" stop "$WORK/pg" || true
}
trap cleanup EXIT

print_machine
echo
echo "== services"
"$TESTBED/postgres.sh" start "$WORK/pg" "$PG_PORT" </dev/null | tail -n 1
"$TESTBED/kafka.sh" start "$WORK/kafka" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" </dev/null | tail -n 1
psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE notifier_bench"
echo
echo "== notifier: $PROBES latency probes, then the storm"
"$JAVA" -Xms512m -Xmx512m -Dorg.jboss.logging.provider=jdk -cp "$JAR" io.vigil.bench.NotifierBench "127.0.0.1:$KAFKA_PORT" \
  "jdbc:postgresql://127.0.0.1:$PG_PORT/notifier_bench" postgres "$PROBES" 2>"$WORK/notifier.log" | tee "$WORK/notifier.txt"
echo
echo "== outbox after the run"
psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d notifier_bench -c \
  "SELECT status, count(*), pg_size_pretty(sum(pg_column_size(payload))::bigint) AS payload FROM notification_outbox GROUP BY status"
uptime
