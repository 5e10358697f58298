#!/usr/bin/env bash
# Rule engine benchmarks.
#  1. RuleEvaluationBench (JMH): samples/s through 1,000 rules over 100,000 series, one Kafka poll's worth
#     (50,000 samples) per operation, without and with the one-second timer evaluation (all rules + health);
#     CPU per million samples = 1e6 / score (one engine thread).
#  2. AlertLatencyBench: produce-to-alert-event latency through the real rules role loop (Kafka → window →
#     evaluation → PostgreSQL → Kafka), p50/p95/p99 over PROBES flips, under RATE samples/s of background load.
#
#   bench/run-rules.sh                       # JMH defaults below, then 100 probes at 50,000 samples/s
#   PROBES=200 RATE=50000 RULES=1000 bench/run-rules.sh   # RULES background rules, 10 per metric (100 → 10,000 series)
#   JMH_OPTS="-f 1 -wi 2 -w 5s -i 3 -r 5s" bench/run-rules.sh
#   SKIP_JMH=1 / SKIP_LATENCY=1              # one part only
#   SKIP_BUILD=1                             # reuse bench/target/benchmarks.jar
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WORK="$ROOT/bench/target/rules"
PG_PORT=${PG_PORT:-25442}
KAFKA_PORT=${KAFKA_PORT:-29102}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-29103}
PROBES=${PROBES:-100}
RATE=${RATE:-50000}
RULES=${RULES:-100}
JMH_OPTS="${JMH_OPTS:--f 1 -wi 3 -w 5s -i 5 -r 5s -jvmArgsAppend -Xms2g -jvmArgsAppend -Xmx2g}"
JVM_OPTS=(-Xms1g -Xmx1g -Dorg.jboss.logging.provider=jdk)

rm -rf "$WORK"
mkdir -p "$WORK"
cleanup() {
  "$TESTBED/kafka.sh" stop "$WORK/kafka" || true
  "$TESTBED/postgres.sh" stop "$WORK/pg" || true
}
trap cleanup EXIT

print_machine

if [[ "${SKIP_JMH:-0}" != 1 ]]; then
  echo
  echo "== JMH: java -jar bench/target/benchmarks.jar RuleEvaluationBench $JMH_OPTS $*"
  # shellcheck disable=SC2086 # JMH_OPTS is a word list on purpose
  "$JAVA" -jar "$JAR" RuleEvaluationBench $JMH_OPTS -rf csv -rff "$WORK/jmh.csv" "$@" | tee "$WORK/jmh.txt"
  echo
  echo "== CPU per million samples (one engine thread: 1e6 / score)"
  tr -d '"\r' < "$WORK/jmh.csv" | awk -F, 'NR > 1 { printf "tick=%s  %.0f samples/s  %.2f s CPU per million samples\n", $8, $5, 1e6 / $5 }'
  uptime
fi

if [[ "${SKIP_LATENCY:-0}" != 1 ]]; then
  echo
  echo "== services"
  "$TESTBED/postgres.sh" start "$WORK/pg" "$PG_PORT" </dev/null | tail -n 1
  "$TESTBED/kafka.sh" start "$WORK/kafka" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" </dev/null | tail -n 1
  psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE rules_bench"
  echo
  echo "== alert latency: $PROBES probes under $RATE samples/s, $RULES background rules"
  uptime
  "$JAVA" "${JVM_OPTS[@]}" -cp "$JAR" io.vigil.bench.AlertLatencyBench "127.0.0.1:$KAFKA_PORT" \
    "jdbc:postgresql://127.0.0.1:$PG_PORT/rules_bench" postgres "$PROBES" "$RATE" "$RULES" 2>"$WORK/latency.log" | tee "$WORK/latency.txt"
  uptime
fi
