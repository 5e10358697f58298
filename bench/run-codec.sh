#!/usr/bin/env bash
# Wire codec benchmark: builds bench/target/benchmarks.jar, runs SampleBatchCodecBench (Vigil codec
# vs Jackson JSON) and the size report, then prints per-sample costs and the codec/JSON ratios.
#
#   bench/run-codec.sh                     # defaults below, sized for a 2-core machine (~4 min)
#   bench/run-codec.sh -prof gc            # extra JMH arguments are appended
#   JMH_OPTS="-f 1 -wi 3 -w 2s -i 5 -r 2s -t 1" bench/run-codec.sh   # quick look (~1.5 min)
#   SKIP_BUILD=1 bench/run-codec.sh        # reuse the jar already built
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
OUT="$ROOT/bench/target/codec"
# 3 forks: on a shared 2-vCPU VM the score moves between JVM launches far more than within one, so
# one fork hides most of the real uncertainty. A fixed, pre-touched heap removes heap sizing as a
# source of variance. One benchmark thread leaves the second core to JIT and GC.
JMH_OPTS="${JMH_OPTS:--f 3 -wi 3 -w 2s -i 5 -r 2s -t 1 -jvmArgsAppend -Xms1g -jvmArgsAppend -Xmx1g -jvmArgsAppend -XX:+AlwaysPreTouch}"

mkdir -p "$OUT"

print_machine

echo
echo "== sizes"
"$JAVA" -cp "$JAR" io.vigil.bench.CodecSizeReport

echo
echo "== JMH: java -jar bench/target/benchmarks.jar SampleBatchCodecBench $JMH_OPTS $*"
# shellcheck disable=SC2086 # JMH_OPTS is a word list on purpose
"$JAVA" -jar "$JAR" SampleBatchCodecBench $JMH_OPTS -rf csv -rff "$OUT/jmh.csv" "$@" | tee "$OUT/jmh.txt"

echo
echo "== per batch / per sample (samples per batch from the size report)"
SAMPLES="$("$JAVA" -cp "$JAR" io.vigil.bench.CodecSizeReport | awk '/^Realistic/ {print $4}')"
tr -d "\r" < "$OUT/jmh.csv" | awk -F, -v n="$SAMPLES" '
  function unq(s) { gsub(/"/, "", s); return s }
  NR > 1 && unq($7) == "ops/s" {
    name = unq($1); sub(/.*\./, "", name); score[name] = $5; err[name] = $6
    e = ($6 ~ /^[0-9.]+$/) ? sprintf("%.0f", $6) : $6
    printf "%-12s %10.0f ± %-8s ops/s  %8.0f ns/batch  %7.1f ns/sample\n", name, $5, e, 1e9 / $5, 1e9 / $5 / n
  }
  END {
    if (score["vigilEncode"] && score["jsonEncode"])
      printf "encode throughput, Vigil codec / JSON: %.2fx\n", score["vigilEncode"] / score["jsonEncode"]
    if (score["vigilDecode"] && score["jsonDecode"])
      printf "decode throughput, Vigil codec / JSON: %.2fx\n", score["vigilDecode"] / score["jsonDecode"]
  }'
