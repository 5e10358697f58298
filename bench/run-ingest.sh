#!/usr/bin/env bash
# End-to-end ingest benchmark: Kafka → PostgreSQL through Vigil's IngestConsumer (SampleWriter: binary COPY,
# series dictionary and Kafka offsets in one transaction), against a plain `psql \copy` of the same rows into
# the same schema, on the same PostgreSQL, in the same run. Each load goes into a fresh, empty database.
#
#   bench/run-ingest.sh                    # 1,000 targets × 60 samples × 50 scrapes = 3,000,000 points
#   SCRAPES=10 bench/run-ingest.sh         # smaller (600,000 points)
#   BATCH_ROWS="5000 20000" bench/run-ingest.sh  # batch sizes to try (default: "5000")
#   WRITERS="1" bench/run-ingest.sh        # only one writer (default: "1 2", vigil.ingest.writers)
#   SERIES="new" bench/run-ingest.sh       # "existing": the series rows are in the store before the timed load, as
#                                          # for the \copy baseline; "new": Vigil creates them (default: both)
#   SKIP_BUILD=1 bench/run-ingest.sh       # reuse bench/target/benchmarks.jar
#   KEEP=1 bench/run-ingest.sh             # leave bench/target/ingest (data, CSV, logs) for inspection
#   JFR=1 bench/run-ingest.sh              # profile each Vigil run: bench/target/ingest/consume-ROWS.jfr
#                                          #   (then e.g. jfr view hot-methods bench/target/ingest/consume-5000.jfr)
#
# Order: produce (not timed) → psql \copy → Vigil for each batch size → psql \copy again, so that drift in
# the machine's load shows up in the two baseline figures. Services come from deploy/testbed (PostgreSQL
# with its default configuration, single-node Kafka with 3 partitions per topic) in bench/target/ingest and
# are stopped by PID on exit.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WORK="$ROOT/bench/target/ingest"
PG_PORT=${PG_PORT:-25432}
KAFKA_PORT=${KAFKA_PORT:-29092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-29093}
TARGETS=${TARGETS:-1000}
SAMPLES=${SAMPLES:-60}
SCRAPES=${SCRAPES:-50}
PARTITIONS=${PARTITIONS:-3}
BATCH_ROWS=${BATCH_ROWS:-5000}
WRITERS=${WRITERS:-1 2}
SERIES=${SERIES:-existing new}
# JBoss Logging to java.util.logging: with quarkus-core on the class path the JBoss LogManager would hold
# every message back until a Quarkus application configures it.
JVM_OPTS=(-Xms1g -Xmx1g -Dorg.jboss.logging.provider=jdk)


rm -rf "$WORK"
mkdir -p "$WORK"
cleanup() {
  "$TESTBED/kafka.sh" stop "$WORK/kafka" || true
  "$TESTBED/postgres.sh" stop "$WORK/pg" || true
  [[ "${KEEP:-0}" == 1 ]] || rm -rf "$WORK/data" "$WORK/pg/data" "$WORK/kafka/data"
}
trap cleanup EXIT

print_machine

echo
echo "== services"
"$TESTBED/postgres.sh" start "$WORK/pg" "$PG_PORT" </dev/null | tail -n 1
"$TESTBED/kafka.sh" start "$WORK/kafka" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" </dev/null | tail -n 1
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres)
"${PSQL[@]}" -d postgres -Atc "SELECT version()"
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
TOPIC=bench.samples
JDBC="jdbc:postgresql://127.0.0.1:$PG_PORT"

echo
echo "== produce ($TARGETS targets × $SAMPLES samples × $SCRAPES scrapes; not timed)"
"$JAVA" "${JVM_OPTS[@]}" -cp "$JAR" io.vigil.bench.IngestBench produce "$BOOTSTRAP" "$TOPIC" "$PARTITIONS" \
  "$TARGETS" "$SAMPLES" "$SCRAPES" "$WORK/data"
POINTS=$(cat "$WORK/data/points.txt")
ls -l "$WORK/data"

now() { date +%s.%N; }
RESULTS=()

baseline() { # baseline NAME
  local db=$1 t0 t1 rows
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $db"
  "$JAVA" "${JVM_OPTS[@]}" -cp "$JAR" io.vigil.bench.IngestBench schema "$JDBC/$db" "$WORK/data" 2>"$WORK/schema-$db.log"
  "${PSQL[@]}" -d "$db" -c "\copy series (id, metric, labels) FROM '$WORK/data/series.csv' CSV"
  "${PSQL[@]}" -d "$db" -c "SELECT setval('series_id_seq', (SELECT max(id) FROM series))" >/dev/null
  "${PSQL[@]}" -d "$db" -c "CHECKPOINT"
  echo "load before: $(uptime)"
  t0=$(now)
  "${PSQL[@]}" -d "$db" -c "\copy samples (time, series_id, value) FROM '$WORK/data/samples.csv' CSV"
  t1=$(now)
  echo "load after:  $(uptime)"
  rows=$("${PSQL[@]}" -d "$db" -Atc "SELECT count(*) FROM samples")
  [[ $rows == "$POINTS" ]] || { echo "baseline loaded $rows rows, expected $POINTS" >&2; exit 1; }
  local line
  line=$(awk -v n="$rows" -v a="$t0" -v b="$t1" -v db="$db" \
    'BEGIN { printf "RESULT psql_copy db=%s points=%d seconds=%.3f samples_per_s=%.0f", db, n, b - a, n / (b - a) }')
  echo "$line"
  RESULTS+=("$line")
}

vigil() { # vigil BATCH_ROWS WRITERS SERIES
  local rows=$1 writers=$2 series=$3 db="vigil_$1_$2_$3" line count
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $db"
  if [[ $series == existing ]]; then
    "$JAVA" "${JVM_OPTS[@]}" -cp "$JAR" io.vigil.bench.IngestBench schema "$JDBC/$db" "$WORK/data" 2>"$WORK/schema-$db.log"
    "${PSQL[@]}" -d "$db" -c "\copy series (id, metric, labels) FROM '$WORK/data/series.csv' CSV"
    "${PSQL[@]}" -d "$db" -c "SELECT setval('series_id_seq', (SELECT max(id) FROM series))" >/dev/null
  fi
  "${PSQL[@]}" -d postgres -c "CHECKPOINT"
  echo "load before: $(uptime)"
  local jfr=()
  [[ "${JFR:-0}" != 1 ]] || jfr=(-XX:StartFlightRecording:filename="$WORK/consume-$db.jfr",settings=profile)
  "$JAVA" "${JVM_OPTS[@]}" "${jfr[@]}" -cp "$JAR" io.vigil.bench.IngestBench consume "$BOOTSTRAP" "$TOPIC" "$JDBC/$db" \
    "$rows" "$POINTS" "$writers" 2>"$WORK/consume-$db.log" | tee "$WORK/consume-$db.out"
  line="$(grep '^RESULT' "$WORK/consume-$db.out") series=$series"

  echo "load after:  $(uptime)"
  count=$("${PSQL[@]}" -d "$db" -Atc "SELECT count(*) FROM samples")
  [[ $count == "$POINTS" ]] || { echo "Vigil stored $count rows, expected $POINTS" >&2; exit 1; }
  echo "rows in $db: $count; series: $("${PSQL[@]}" -d "$db" -Atc "SELECT count(*) FROM series");" \
    "size: $("${PSQL[@]}" -d "$db" -Atc "SELECT pg_size_pretty(pg_database_size('$db'))")"
  RESULTS+=("$line")
}

echo
echo "== psql \\copy (1)"
baseline copy_1
for series in $SERIES; do
  for rows in $BATCH_ROWS; do
    for writers in $WRITERS; do
      echo
      echo "== Vigil IngestConsumer, batch rows $rows, $writers writers, series $series"
      vigil "$rows" "$writers" "$series"
    done
  done
done
echo
echo "== psql \\copy (2)"
baseline copy_2

echo
echo "== summary ($POINTS points; ratio = Vigil samples/s ÷ psql \\copy samples/s)"
printf '%s\n' "${RESULTS[@]}"
printf '%s\n' "${RESULTS[@]}" | awk '
  /^RESULT psql_copy/ { for (i = 1; i <= NF; i++) if ($i ~ /^samples_per_s=/) { split($i, a, "="); base[++nb] = a[2] } }
  /^RESULT vigil/     { for (i = 1; i <= NF; i++) { if ($i ~ /^samples_per_s=/) { split($i, a, "="); v[++nv] = a[2] }
                                                    if ($i ~ /^batch_rows=/) { split($i, b, "="); name[nv + 1] = b[2] }
                                                    if ($i ~ /^writers=/) { split($i, w, "="); name[nv + 1] = name[nv + 1] ", writers " w[2] }
                                                    if ($i ~ /^series=/) { split($i, x, "="); label[nv] = ", series " x[2] } } }
  END {
    for (j = 1; j <= nv; j++)
      printf "batch rows %s%s: %.0f samples/s; ratio vs copy (1) %.2f, vs copy (2) %.2f, vs mean of both %.2f\n",
        name[j], label[j], v[j], v[j] / base[1], v[j] / base[2], v[j] / ((base[1] + base[2]) / 2)
  }'
date -u
uptime
