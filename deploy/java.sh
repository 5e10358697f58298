# shellcheck shell=bash
# Picks the JDK Vigil's launcher and benchmark scripts run with. Source it, then call find_java.

# java_major JAVA: the feature release of a java binary ("21", "25"), or nothing.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'; }

# find_java: exports JAVA_HOME (and puts it first on PATH) for a JDK 21 or newer, looking at
# JAVA_HOME, then the javac on the PATH, then the newest under /usr/lib/jvm. Returns 1 when none.
find_java() {
  local home major
  for home in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")" \
      $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV); do
    [[ -n $home && -x $home/bin/java && -x $home/bin/javac ]] || continue
    major=$(java_major "$home/bin/java")
    if [[ ${major%%.*} =~ ^[0-9]+$ ]] && ((${major%%.*} >= 21)); then
      export JAVA_HOME="$home"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  return 1
}
