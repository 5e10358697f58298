#!/usr/bin/env bash
# Log pipeline benchmark: a real MariaDB slow log through Vigil's shipper → Kafka (vigil.logs) → logs consumer →
# Elasticsearch, against a plain `curl` _bulk of the same documents into the same Elasticsearch, in the same run.
#
#   bench/run-logs.sh                       sysbench (15,000 transactions ≈ 300,000 slow-log entries), then time both
#   SB_EVENTS=5000 bench/run-logs.sh        smaller log
#   SLOWLOG=FILE bench/run-logs.sh          reuse a slow log (no MariaDB, no sysbench)
#   SKIP_BUILD=1 bench/run-logs.sh          reuse bench/target/benchmarks.jar
#   KEEP=1 bench/run-logs.sh                leave bench/target/logs (data, bulk files, logs) and the indices
#   JFR=1 bench/run-logs.sh                 profile every timed Vigil phase on its own (JFR "profile" settings):
#                                           bench/target/logs/jfr/{shipper,vigil,indexer}{_cold,}.jfr
#   WARMUP=10 bench/run-logs.sh             warm Elasticsearch up with the first 10 requests only (0: none; default:
#                                           every request once)
#   WARMUP_PASSES=1 bench/run-logs.sh       whole loads each Vigil JVM does before its warm one (default 2: the cold
#                                           one and one more)
#
# Warm-up. Elasticsearch: every bulk request once (all N documents; WARMUP=K: the first K) into a throwaway prefix,
# not timed, so that it is as warm for curl (1) as for the loads after it. Vigil: a collector and a server run for
# weeks, so each Vigil JVM below first does its whole load WARMUP_PASSES times (2), each time into a topic
# (TOPIC.cold, TOPIC.warmup1, …), index prefix (PREFIX-cold, …; counted, then dropped) and checkpoint directory of
# its own: the first of these is the cold run (reported as *_cold), the others are timed too (*_warmupK); the JIT
# still compiles the hottest methods anew during the second (each phase reports its compile time). Then the same
# load once more in the same JVM with new shippers, consumers, Kafka clients and Elasticsearch connections, into
# fresh ones: that warm run is the headline figure. What it inherits is the JVM's state only: loaded classes,
# JIT-compiled code, a sized heap. As the logs role of a running server, the warm end-to-end run's consumer has
# joined its group (templates in place, partitions assigned) before the clock starts with the shipper; in the other
# runs, and in the indexer-alone runs, both start inside the timed span. The ratio is taken against the mean of
# curl (1) and curl (2), and against each.
#
# Order: slow log (not timed) → the documents Vigil would send, as bulk request files (not timed) → warm-up of
# Elasticsearch with every request into a throwaway prefix (not timed) → curl (1) →
# the shipper alone (file → Kafka acknowledged; cold, warm-up, warm) → Vigil end to end (cold, warm-up, warm) → the indexer
# alone (the shipper's warm topic → Elasticsearch; cold, warm-up, warm) → curl (2), so that drift in the machine's
# load shows up in the two baseline figures. Each load goes into a fresh index prefix with Vigil's templates
# and its indices are deleted once counted. CPU seconds of the Vigil JVM, Elasticsearch and Kafka are taken for
# every timed phase on its own. Services come from deploy/testbed in bench/target/logs and are stopped by PID on exit.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WORK="$ROOT/bench/target/logs"
DB_PORT=${DB_PORT:-23316}
ES_PORT=${ES_PORT:-29200}
ES_TRANSPORT_PORT=${ES_TRANSPORT_PORT:-29300}
KAFKA_PORT=${KAFKA_PORT:-29192}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-29193}
SB_EVENTS=${SB_EVENTS:-15000}
WARMUP=${WARMUP:-all}
WARMUP_PASSES=${WARMUP_PASSES:-2}
# JBoss Logging to java.util.logging (see run-ingest.sh).
JVM_OPTS=(-Xms1g -Xmx1g -Dorg.jboss.logging.provider=jdk)

rm -rf "$WORK"
mkdir -p "$WORK"
cleanup() {
  "$TESTBED/mariadb.sh" stop "$WORK/mariadb" >/dev/null 2>&1 || true
  "$TESTBED/kafka.sh" stop "$WORK/kafka" || true
  "$TESTBED/elasticsearch.sh" stop "$WORK/es" || true
  [[ "${KEEP:-0}" == 1 ]] || rm -rf "$WORK/bulk" "$WORK/kafka/data" "$WORK/es/data" "$WORK/mariadb"
}
trap cleanup EXIT

print_machine

if [[ -z "${SLOWLOG:-}" ]]; then
  echo
  echo "== slow log (sysbench oltp_read_write, $SB_EVENTS transactions, long_query_time=0; not timed)"
  # As bench/run-digest.sh makes it; the log lives in the server's directory (user mysql writes it).
  DB="$WORK/mariadb"
  SLOWLOG="$DB/slow-sysbench.log"
  printf 'innodb_buffer_pool_size=256M\nlong_query_time=0\nlog_slow_verbosity=query_plan,explain\n' |
    "$TESTBED/mariadb.sh" start "$DB" "$DB_PORT" 1 | tail -n 1
  M=(mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$DB_PORT" -uroot)
  "${M[@]}" -e "CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'apppw'; GRANT ALL ON *.* TO 'app'@'%';
    DROP DATABASE IF EXISTS sbtest; CREATE DATABASE sbtest; SET GLOBAL slow_query_log=OFF"
  SB=(sysbench oltp_read_write --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$DB_PORT" --mysql-user=app
    --mysql-password=apppw --mysql-db=sbtest --tables=4 --table-size=100000)
  "${SB[@]}" --threads=2 prepare > "$WORK/sysbench-prepare.log"
  rm -f "$SLOWLOG"
  "${M[@]}" -e "SET GLOBAL slow_query_log_file='$SLOWLOG'; SET GLOBAL slow_query_log=ON"
  "${SB[@]}" --threads=4 --time=0 --events="$SB_EVENTS" --report-interval=0 run > "$WORK/sysbench-run.log"
  "${M[@]}" -e "SET GLOBAL slow_query_log=OFF"
  # Stopped before anything is timed: the file no longer changes and the server takes no CPU.
  "$TESTBED/mariadb.sh" stop "$DB" >/dev/null
  grep -E 'transactions:|queries:' "$WORK/sysbench-run.log" | sed 's/^ */sysbench: /'
fi
echo "slow log: $SLOWLOG ($(stat -c %s "$SLOWLOG") bytes, $(grep -c '^# Query_time' "$SLOWLOG") entries)"

echo
echo "== services"
"$TESTBED/elasticsearch.sh" start "$WORK/es" "$ES_PORT" "$ES_TRANSPORT_PORT" </dev/null | tail -n 1
"$TESTBED/kafka.sh" start "$WORK/kafka" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" </dev/null | tail -n 1
ES="http://127.0.0.1:$ES_PORT"
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
curl -fsS "$ES/_cluster/health?filter_path=cluster_name,status,number_of_nodes"; echo
bench() { "$JAVA" "${JVM_OPTS[@]}" -cp "$JAR" io.vigil.bench.LogsBench "$@"; }
# CPU seconds (user + system) Elasticsearch and Kafka have used so far, from /proc: "ES KAFKA".
ES_PID=$(cat "$WORK/es/es.pid")
KAFKA_PID=$(cat "$WORK/kafka/kafka.pid")
# The timed Vigil JVMs measure the services' CPU per phase themselves (LogsBench's Phase), and profile each phase alone.
PHASE_OPTS=(-Dbench.es.pid="$ES_PID" -Dbench.kafka.pid="$KAFKA_PID" -Dbench.clk.tck="$(getconf CLK_TCK)"
  -Dbench.warmup.passes="$WARMUP_PASSES")
[[ "${JFR:-0}" != 1 ]] || { mkdir -p "$WORK/jfr"; PHASE_OPTS+=(-Dbench.jfr.dir="$WORK/jfr"); }
timed() { "$JAVA" "${JVM_OPTS[@]}" "${PHASE_OPTS[@]}" -cp "$JAR" io.vigil.bench.LogsBench "$@"; }
proc_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$1/stat"; }
# The machine's busy CPU seconds since boot (/proc/stat: user nice system irq softirq steal).
machine_cpu() { awk -v hz="$(getconf CLK_TCK)" 'NR == 1 { printf "%.1f", ($2 + $3 + $4 + $7 + $8 + $9) / hz }' /proc/stat; }
services_cpu() { echo "$(proc_cpu "$ES_PID") $(proc_cpu "$KAFKA_PID") $(machine_cpu)"; }
# cpu_used "ES0 KAFKA0 MACHINE0": what the services used since, and the rest of the machine (curl included), as
# "es_cpu_s=… kafka_cpu_s=… other_cpu_s=…"; other_cpu_s well above curl's own second or so means the shared machine was busy.
cpu_used() {
  local now
  now=$(services_cpu)
  awk -v a="$1" -v b="$now" 'BEGIN { split(a, x, " "); split(b, y, " "); es = y[1] - x[1]; k = y[2] - x[2]
    printf "es_cpu_s=%.1f kafka_cpu_s=%.1f other_cpu_s=%.1f", es, k, y[3] - x[3] - es - k }'
}

echo
echo "== documents as Vigil's BulkIndexer sends them (shipper into memory → LogDocuments → bulk NDJSON; not timed)"
"$JAVA" -Xmx4g -Dorg.jboss.logging.provider=jdk -cp "$JAR" io.vigil.bench.LogsBench documents "$SLOWLOG" \
  "$WORK/checkpoints-documents" bench-curl "$WORK/bulk" 2>"$WORK/documents.log"
N=$(cat "$WORK/bulk/documents.txt")
REQUESTS=$(find "$WORK/bulk" -name 'bulk-*.ndjson' | wc -l)
echo "N = $N documents, $REQUESTS bulk requests"

now() { date +%s.%N; }
RESULTS=()

# count PREFIX: refresh, then the number of documents in PREFIX-slow-*; exits unless it is N. Then drops the indices.
count() {
  local prefix=$1 n
  curl -fsS -o /dev/null -X POST "$ES/$prefix-slow-*/_refresh"
  n=$(curl -fsS "$ES/$prefix-slow-*/_count" | jq -r .count)
  echo "documents in $prefix-slow-*: $n ($(curl -fsS "$ES/_cat/indices/$prefix-*?h=index,docs.count,store.size" | tr '\n' ' '))"
  [[ $n == "$N" ]] || { echo "$prefix: Elasticsearch holds $n documents, expected $N" >&2; exit 1; }
  # By name: Elasticsearch 8 refuses to delete indices by wildcard (action.destructive_requires_name).
  [[ "${KEEP:-0}" == 1 ]] || curl -fsS -o /dev/null -X DELETE "$ES/$(curl -fsS "$ES/_cat/indices/$prefix-*?h=index" | paste -sd,)"
}

baseline() { # baseline NAME
  local prefix="bench-$1" t0 t1 line cfg="$WORK/curl-$1.cfg" resp="$WORK/responses-$1"
  bench templates "$ES" "$prefix" 2>"$WORK/templates-$1.log"
  mkdir -p "$resp"
  # One curl, one request per file in order, on one kept-alive connection (as Vigil's client pool keeps its own).
  # The bodies name bench-curl-* indices; only the prefix changes.
  : > "$cfg"
  for f in "$WORK"/bulk/bulk-*.ndjson; do
    local b
    b=$(basename "$f" .ndjson)
    sed "s/\"_index\":\"bench-curl-/\"_index\":\"$prefix-/g" "$f" > "$WORK/bulk/$1-$b.body"
    printf 'url = "%s/_bulk"\nheader = "Content-Type: application/x-ndjson"\ndata-binary = "@%s"\noutput = "%s"\nsilent\nshow-error\nfail\nnext\n' \
      "$ES" "$WORK/bulk/$1-$b.body" "$resp/$b.json" >> "$cfg"
  done
  sed -i '$ d' "$cfg" # no `next` after the last request
  sync
  echo "load before: $(uptime)"
  local cpu0
  cpu0=$(services_cpu)
  t0=$(now)
  curl -K "$cfg"
  t1=$(now)
  local used
  used=$(cpu_used "$cpu0")
  echo "load after:  $(uptime)"
  # Every response must say "errors":false (a refused document would be an item error inside a 200).
  local bad
  bad=$(grep -L '"errors":false' "$resp"/*.json | wc -l)
  [[ $bad == 0 ]] || { echo "$bad bulk responses of $1 report errors" >&2; exit 1; }
  rm -f "$WORK"/bulk/"$1"-*.body
  count "$prefix"
  line=$(awk -v n="$N" -v a="$t0" -v b="$t1" -v name="$1" -v r="$REQUESTS" \
    -v used="$used" \
    'BEGIN { printf "RESULT curl_bulk run=%s documents=%d requests=%d seconds=%.3f docs_per_s=%.0f %s", name, n, r, b - a, n / (b - a), used }')
  echo "$line"
  RESULTS+=("$line")
}

echo
echo "== warm-up of Elasticsearch: $WARMUP bulk requests into a throwaway prefix (not timed; its JIT would count against curl (1))"
WARM="$WORK/warmup"
[[ $WARMUP != all ]] || WARMUP=$REQUESTS
if ((WARMUP > 0)); then
  mkdir -p "$WARM"
  bench templates "$ES" bench-warmup 2>"$WORK/templates-warmup.log"
  for f in $(find "$WORK/bulk" -name 'bulk-*.ndjson' | sort | head -n "$WARMUP"); do
    sed 's/"_index":"bench-curl-/"_index":"bench-warmup-/g' "$f" |
      curl -fsS -o "$WARM/$(basename "$f" .ndjson).json" -H 'Content-Type: application/x-ndjson' --data-binary @- "$ES/_bulk"
  done
  curl -fsS -o /dev/null -X DELETE "$ES/$(curl -fsS "$ES/_cat/indices/bench-warmup-*?h=index" | paste -sd,)"
fi

echo
echo "== curl _bulk (1)"
baseline curl1

echo
echo "== shipper alone: file → Kafka (bench.logs.shipper) acknowledged; cold (bench.logs.shipper.cold), warm-up passes, then warm"
bench topic "$BOOTSTRAP" bench.logs.shipper 2>/dev/null
echo "load before: $(uptime)"
timed ship "$SLOWLOG" "$WORK/checkpoints-ship" "$BOOTSTRAP" bench.logs.shipper "$N" 2>"$WORK/ship.log" | tee "$WORK/ship.out"
echo "load after:  $(uptime)"
RESULTS+=("$(grep '^RESULT ' "$WORK/ship.out")")

echo
echo "== Vigil: shipper → Kafka (vigil.logs) → LogsConsumer → Elasticsearch; cold (vigil.logs.cold, bench-vigil-cold),"
echo "   warm-up passes, then warm"
bench topic "$BOOTSTRAP" vigil.logs 2>/dev/null
echo "load before: $(uptime)"
timed pipeline "$SLOWLOG" "$WORK/checkpoints-pipeline" "$BOOTSTRAP" vigil.logs "$ES" bench-vigil "$N" \
  2>"$WORK/pipeline.log" | tee "$WORK/pipeline.out"
echo "load after:  $(uptime)"
count bench-vigil
RESULTS+=("$(grep '^RESULT ' "$WORK/pipeline.out")")

echo
echo "== indexer alone: LogsConsumer draining bench.logs.shipper (filled by the warm shipper above) → Elasticsearch;"
echo "   cold (bench-index-cold), warm-up passes, then warm (fresh group, bench-index)"
echo "load before: $(uptime)"
timed index "$BOOTSTRAP" bench.logs.shipper "$ES" bench-index "$N" 2>"$WORK/index.log" | tee "$WORK/index.out"
echo "load after:  $(uptime)"
count bench-index
RESULTS+=("$(grep '^RESULT ' "$WORK/index.out")")

echo
echo "== curl _bulk (2)"
baseline curl2

echo
echo "== summary ($N documents; ratio = Vigil docs/s ÷ curl _bulk docs/s; goal ≥ 0.8)"
printf '%s\n' "${RESULTS[@]}"
printf '%s\n' "${RESULTS[@]}" | awk '
  function field(name,   i, a) { for (i = 1; i <= NF; i++) if ($i ~ "^" name "=") { split($i, a, "="); return a[2] } }
  /^RESULT curl_bulk/ { base[++nb] = field("docs_per_s") }
  { r[$2] = ($2 ~ /^shipper/) ? field("entries_per_s") : field("docs_per_s") }
  END {
    m = (base[1] + base[2]) / 2
    printf "Vigil end to end, warm JVM: %.0f docs/s; ratio vs curl (1) %.2f, vs curl (2) %.2f, vs mean of both %.2f\n",
      r["vigil"], r["vigil"] / base[1], r["vigil"] / base[2], r["vigil"] / m
    printf "Vigil end to end, cold JVM: %.0f docs/s; ratio vs curl (1) %.2f, vs curl (2) %.2f, vs mean of both %.2f\n",
      r["vigil_cold"], r["vigil_cold"] / base[1], r["vigil_cold"] / base[2], r["vigil_cold"] / m
    printf "shipper alone (file → Kafka acknowledged): %.0f entries/s warm, %.0f cold\n", r["shipper"], r["shipper_cold"]
    printf "indexer alone (Kafka → Elasticsearch): %.0f docs/s warm (ratio vs mean of both curl runs %.2f), %.0f cold (%.2f)\n",
      r["indexer"], r["indexer"] / m, r["indexer_cold"], r["indexer_cold"] / m
  }'
date -u
uptime
