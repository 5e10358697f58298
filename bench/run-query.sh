#!/usr/bin/env bash
# Query latency: query_range over 100 series × 24 h at a 60 s step (1,441 steps) and × 7 days at a 1 h step (169
# steps), through Vigil's query path over a real PostgreSQL store (with its rollups, and raw points only) and through
# a real Prometheus 2.42 holding the same points; and the store's bytes per sample with and without rollups.
#
#   bench/run-query.sh                 # 50 timed runs per query and engine, after 5 warm-up runs
#   RUNS=200 bench/run-query.sh
#   SKIP_BUILD=1 bench/run-query.sh    # reuse bench/target/benchmarks.jar
#
# Data: 100 counter series (10 clusters × 10 instances) at 15 s for 7 days = 4,032,000 points, written into a fresh
# store through SampleWriter (partitioned layout) and backfilled into Prometheus with promtool from the same
# values (deploy/testbed/prometheus.sh). Queries: the plain selector, rate(…[5m]) and sum by (cluster) (rate(…)).
#
# Vigil is timed IN-PROCESS: PrometheusQueryApi.queryRange (parameter parsing, PromQL parsing, PgSeriesReader over
# JDBC, evaluation) plus rendering the JSON body with PrometheusResponses — everything /api/v1/query_range does
# except HTTP. Prometheus is timed over HTTP with java.net.http from the same JVM (request to last body byte); the
# script also reports Prometheus' HTTP floor (an instant `vector(1)`) so the HTTP share can be read off.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WORK="$ROOT/bench/target/query"
PG_PORT=${PG_PORT:-25442}
PROM_PORT=${PROM_PORT:-29490}
RUNS=${RUNS:-50}
JVM_OPTS=(-Xms1g -Xmx1g -Dorg.jboss.logging.provider=jdk)


rm -rf "$WORK"
mkdir -p "$WORK"
cleanup() {
  "$TESTBED/prometheus.sh" stop "$WORK/prom" || true
  "$TESTBED/postgres.sh" stop "$WORK/pg" || true
}
trap cleanup EXIT

print_machine
prometheus --version 2>&1 | head -n 1

echo
echo "== PostgreSQL and the store (SampleWriter)"
"$TESTBED/postgres.sh" start "$WORK/pg" "$PG_PORT" </dev/null | tail -n 1
psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE vigil_query"
JDBC="jdbc:postgresql://127.0.0.1:$PG_PORT/vigil_query"
"$JAVA" "${JVM_OPTS[@]}" -cp "$JAR" io.vigil.bench.QueryBench load "$JDBC" "$WORK/data" 2>"$WORK/load.log"
psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d vigil_query -c "VACUUM ANALYZE"
psql -X -h 127.0.0.1 -p "$PG_PORT" -U postgres -d vigil_query -Atc \
  "SELECT 'store: ' || count(*) || ' points, ' || count(DISTINCT series_id) || ' series, ' || pg_size_pretty(pg_database_size('vigil_query')) FROM samples"
# Bytes per sample: the day partitions of samples with their indexes, then the rollup tables with theirs.
psql -X -h 127.0.0.1 -p "$PG_PORT" -U postgres -d vigil_query -Atc "
  WITH raw AS (SELECT sum(pg_total_relation_size(i.inhrelid)) AS bytes FROM pg_inherits i WHERE i.inhparent = 'samples'::regclass),
       points AS (SELECT count(*) AS n FROM samples)
  SELECT 'RESULT storage raw_bytes=' || raw.bytes || ' rollup_1m_bytes=' || pg_total_relation_size('samples_1m')
      || ' rollup_1h_bytes=' || pg_total_relation_size('samples_1h') || ' points=' || points.n
      || ' raw_bytes_per_sample=' || round(raw.bytes::numeric / points.n, 1)
      || ' with_rollups_bytes_per_sample=' || round((raw.bytes + pg_total_relation_size('samples_1m')
                                                     + pg_total_relation_size('samples_1h'))::numeric / points.n, 1)
  FROM raw, points"

echo
echo "== Prometheus (promtool backfill of the same points)"
"$TESTBED/prometheus.sh" start "$WORK/prom" "$PROM_PORT" <"$WORK/data/data.om" | tail -n 1

echo
echo "== query_range, $RUNS runs each (Vigil in-process incl. JSON; Prometheus over HTTP)"
echo "before: $(uptime)"
"$JAVA" "${JVM_OPTS[@]}" -cp "$JAR" io.vigil.bench.QueryBench run "$JDBC" "http://127.0.0.1:$PROM_PORT" "$WORK/data" "$RUNS" \
  2>"$WORK/run.log"
echo "after:  $(uptime)"
date -u
