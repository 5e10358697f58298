# shellcheck shell=bash
# Common start of the JMH-based benchmark scripts: the repository root, a JDK 21+, and the
# benchmark jar, built unless SKIP_BUILD=1. Source it after `set -euo pipefail`.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../deploy/java.sh
source "$ROOT/deploy/java.sh"
find_java || { echo "these benchmarks need a JDK 21 or newer (set JAVA_HOME)" >&2; exit 1; }
JAVA="$JAVA_HOME/bin/java"
JAR="$ROOT/bench/target/benchmarks.jar"
TESTBED="$ROOT/deploy/testbed"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  # maven.test.skip: no test of any module is compiled, only what the jar needs.
  (cd "$ROOT" && ./mvnw -B -q -Pbench -pl bench -am package -Dmaven.test.skip=true)
fi

# What RESULTS.md records of the machine: cores, memory, CPU model, JDK, time and load.
print_machine() {
  echo "== machine"
  echo "nproc: $(nproc)"
  free -g
  grep -m1 'model name' /proc/cpuinfo || true
  "$JAVA" -version 2>&1 | head -n 2
  date -u
  uptime
}
