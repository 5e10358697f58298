#!/usr/bin/env bash
# 1. CPU per MySQL scrape: Vigil's collector (CollectorScrapeBench: scrape, counter rates, wire encoding)
# against prometheus-mysqld-exporter (Debian package, its default collectors) scraping the same private
# MariaDB, in the same run. The exporter's CPU is read from /proc/PID/stat around SCRAPES sequential
# scrapes of its /metrics; curl's own CPU is not counted. Vigil's is the JVM's process CPU time (every
# thread, JIT and GC included) around the same number of scrapes, after a warm-up for both.
# 2. A fleet (CollectorFleetBench): FLEET_TARGETS MySQL targets, all on the same MariaDB with distinct ids
# and labels, every 10 s through the collector's scheduler for MEASURE seconds: CPU, heap, and how late
# scrapes start against their schedule.
#
#   bench/run-collector.sh                 # 1000 scrapes each
#   SCRAPES=3000 FLEET_TARGETS=2000 MEASURE=120 bench/run-collector.sh
#   SKIP_BUILD=1                           # reuse bench/target/benchmarks.jar
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WORK="$ROOT/bench/target/collector"
DB_PORT=${DB_PORT:-25462}
EXPORTER_PORT=${EXPORTER_PORT:-29104}
SCRAPES=${SCRAPES:-1000}
FLEET_TARGETS=${FLEET_TARGETS:-1000}
MEASURE=${MEASURE:-60}
EXPORTER=/usr/bin/prometheus-mysqld-exporter

if [[ ! -x $EXPORTER ]]; then
  echo "installing prometheus-mysqld-exporter (the reference, Debian package)…" >&2
  ((EUID == 0)) || { echo "run as root, or: apt-get install prometheus-mysqld-exporter" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus-mysqld-exporter >&2
fi

rm -rf "$WORK"
mkdir -p "$WORK"
EXPORTER_PID=
cleanup() {
  [[ -n $EXPORTER_PID ]] && kill "$EXPORTER_PID" 2>/dev/null || true
  "$TESTBED/mariadb.sh" stop "$WORK/db" || true
}
trap cleanup EXIT

print_machine
echo
echo "== services"
# Room for the fleet's connections: one per target.
printf 'max_connections=%d\n' $((FLEET_TARGETS + 100)) | "$TESTBED/mariadb.sh" start "$WORK/db" "$DB_PORT" 1 | tail -n 1
PASSWORD=bench-$RANDOM$RANDOM
printf '%s\n' "$PASSWORD" > "$WORK/password"
chmod 600 "$WORK/password"
mariadb --defaults-file="$WORK/db/my.cnf" -e "
  CREATE USER 'monitor'@'%' IDENTIFIED BY '$PASSWORD';
  GRANT PROCESS, REPLICATION CLIENT, SELECT, SLAVE MONITOR ON *.* TO 'monitor'@'%';"
cat > "$WORK/exporter.cnf" <<CNF
[client]
user=monitor
password=$PASSWORD
host=127.0.0.1
port=$DB_PORT
CNF
chmod 600 "$WORK/exporter.cnf"
"$EXPORTER" --config.my-cnf="$WORK/exporter.cnf" --web.listen-address="127.0.0.1:$EXPORTER_PORT" >"$WORK/exporter.log" 2>&1 &
EXPORTER_PID=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$EXPORTER_PORT/metrics" >/dev/null && break; sleep 0.2; done
"$EXPORTER" --version 2>&1 | head -n 1

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

echo
echo "== prometheus-mysqld-exporter: $SCRAPES scrapes after 200 to warm up"
for _ in $(seq 200); do curl -fs "http://127.0.0.1:$EXPORTER_PORT/metrics" >/dev/null; done
curl -fs "http://127.0.0.1:$EXPORTER_PORT/metrics" > "$WORK/exporter-metrics.txt"
series=$(grep -cv '^#' "$WORK/exporter-metrics.txt")
t0=$(cpu_ticks "$EXPORTER_PID"); s0=$(date +%s.%N)
for _ in $(seq "$SCRAPES"); do curl -fs "http://127.0.0.1:$EXPORTER_PORT/metrics" >/dev/null; done
t1=$(cpu_ticks "$EXPORTER_PID"); s1=$(date +%s.%N)
hz=$(getconf CLK_TCK)
exporter_ms=$(awk -v t0="$t0" -v t1="$t1" -v hz="$hz" -v n="$SCRAPES" 'BEGIN {printf "%.3f", (t1 - t0) * 1000 / hz / n}')
awk -v ms="$exporter_ms" -v s0="$s0" -v s1="$s1" -v n="$SCRAPES" -v series="$series" \
  'BEGIN {printf "mysqld_exporter: scrapes=%d cpu_ms_per_scrape=%s wall_ms_per_scrape=%.3f series_per_scrape=%d\n", n, ms, (s1 - s0) * 1000 / n, series}'

echo
echo "== Vigil collector: $SCRAPES scrapes after 200 to warm up"
"$JAVA" -Xms256m -Xmx256m -Dorg.jboss.logging.provider=jdk -cp "$JAR" io.vigil.bench.CollectorScrapeBench \
  "127.0.0.1:$DB_PORT" monitor "$WORK/password" "$SCRAPES" 2>"$WORK/vigil.log" | tee "$WORK/vigil.txt"
vigil_ms=$(sed -n 's/.*cpu_ms_per_scrape=\([0-9.]*\).*/\1/p' "$WORK/vigil.txt")
echo
awk -v v="$vigil_ms" -v e="$exporter_ms" 'BEGIN {printf "ratio: Vigil CPU per scrape / mysqld_exporter CPU per scrape = %.2f (goal <= 0.25)\n", v / e}'
kill "$EXPORTER_PID" 2>/dev/null || true
EXPORTER_PID=
uptime

echo
echo "== fleet: $FLEET_TARGETS targets every 10 s, measured over $MEASURE s"
"$JAVA" -Xms512m -Xmx512m -Dorg.jboss.logging.provider=jdk -cp "$JAR" io.vigil.bench.CollectorFleetBench \
  "127.0.0.1:$DB_PORT" monitor "$WORK/password" "$FLEET_TARGETS" 10 "$MEASURE" 2>"$WORK/fleet.log" | tee "$WORK/fleet.txt"
uptime
