#!/usr/bin/env bash
# A single-node Elasticsearch on 127.0.0.1 (security off, plain HTTP), for tests and `./vigil demo`.
#
#   elasticsearch.sh start DIR PORT TRANSPORT_PORT   fetch the distribution once, unpack it into DIR once, start,
#                                                    wait until the cluster is at least yellow
#   elasticsearch.sh stop DIR                        SIGTERM to the server JVM in DIR/es.pid
#   elasticsearch.sh status DIR
#
# The distribution is the integ-test zip from Maven Central (org.elasticsearch.distribution.integ-test-zip:
# elasticsearch), fetched once through Maven into ${VIGIL_CACHE:-~/.cache/vigil}. It has no ILM, no ingest
# processors and no Painless; Vigil works without them. The server runs on the machine's JDK: $ES_JAVA_HOME,
# else the JDK of $JAVA, else $JAVA_HOME, else the `java` on the PATH (17+).
# Elasticsearch refuses to run as root: as root, the system user vigil-es is created once and DIR handed to it.
# Layout: DIR/data/home (the unpacked distribution), DIR/data/nodes (indices), DIR/config (rewritten at every
# start), DIR/logs/vigil.log (the server log), DIR/logs/stdout.log.
set -euo pipefail
TB_SERVICE=elasticsearch
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ES_VERSION=8.19.21
ES_USER=vigil-es
START_TIMEOUT=180 # a cold start on a busy 2-core machine with JDK 25 takes 30-60 s
REPO=$(tb_repo_root)
CACHE=${VIGIL_CACHE:-${HOME:?set VIGIL_CACHE or HOME}/.cache/vigil}
ZIP=$CACHE/elasticsearch-$ES_VERSION.zip

usage() { usage_error "usage: $0 start DIR PORT TRANSPORT_PORT | stop DIR | status DIR"; }

find_java_home() {
  local home=${ES_JAVA_HOME:-}
  if [[ -z $home && -n ${JAVA:-} ]]; then home=$(dirname "$(dirname "$(realpath "$JAVA")")"); fi
  [[ -z $home && -n ${JAVA_HOME:-} ]] && home=$JAVA_HOME
  if [[ -z $home ]] && command -v java >/dev/null; then home=$(dirname "$(dirname "$(realpath "$(command -v java)")")"); fi
  [[ -n $home && -x $home/bin/java ]] || die "no JDK found (set ES_JAVA_HOME, JAVA or JAVA_HOME; Elasticsearch needs Java 17+)"
  local major
  major=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [[ ${major%%.*} =~ ^[0-9]+$ ]] && ((${major%%.*} >= 17)) ||
    die "$home is Java $major; Elasticsearch $ES_VERSION needs Java 17+ (set ES_JAVA_HOME)"
  echo "$home"
}

fetch_zip() {
  [[ -f $ZIP ]] && return 0
  log "downloading Elasticsearch $ES_VERSION (once, ~107 MB)… into $CACHE"
  command -v unzip >/dev/null || die "unzip is needed to unpack Elasticsearch (apt-get install unzip)"
  mkdir -p "$CACHE"
  local tmp mvn=$REPO/mvnw
  tmp=$(mktemp -d "$CACHE/elasticsearch.tmp.XXXXXX")
  [[ -x $mvn ]] || mvn=$(command -v mvn) || die "neither $REPO/mvnw nor mvn found to fetch Elasticsearch"
  if ! (cd "$REPO" && "$mvn" -q -B dependency:copy \
      -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
      -DoutputDirectory="$tmp") >"$tmp/download.log" 2>&1; then
    cp "$tmp/download.log" "$CACHE/elasticsearch.download.log"
    rm -rf "$tmp"
    fail_with_log "$CACHE/elasticsearch.download.log" "could not fetch Elasticsearch with Maven"
  fi
  # Renamed into place: an interrupted download never leaves a half zip that the next start would trust.
  mv -f "$tmp/elasticsearch-$ES_VERSION.zip" "$ZIP"
  rm -rf "$tmp"
}

# The cache usually lives in a home directory the service user cannot enter, so each instance gets its own
# copy of the distribution (unpacked once, ~1.5 s; kept with the data).
unpack_home() {
  local home=$DIR/data/home
  [[ -x $home/bin/elasticsearch ]] && return 0
  log "unpacking Elasticsearch $ES_VERSION into $home"
  rm -rf "$DIR/data/home.tmp"
  mkdir -p "$DIR/data/home.tmp"
  unzip -q "$ZIP" -d "$DIR/data/home.tmp" || die "cannot unpack $ZIP (a damaged download? delete it and retry)"
  mv "$DIR/data/home.tmp/elasticsearch-$ES_VERSION" "$home"
  rm -rf "$DIR/data/home.tmp"
}

ensure_user() {
  ((EUID == 0)) || return 0
  id -u "$ES_USER" >/dev/null 2>&1 && return 0
  log "creating the system user $ES_USER (Elasticsearch refuses to run as root)"
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$ES_USER" 2>/dev/null ||
    id -u "$ES_USER" >/dev/null 2>&1 || die "cannot create the system user $ES_USER"
}

pid_file() { echo "$DIR/es.pid"; }

running_pid() {
  local pid
  pid=$(read_pid "$(pid_file)")
  # The server JVM's command line names its home (in DIR), not its config directory.
  [[ -n $pid ]] && pid_is_ours "$pid" "-Des.path.home=$DIR/data/home" && echo "$pid"
}

running_port() { sed -n 's/^http.port: //p' "$DIR/config/elasticsearch.yml" 2>/dev/null; }

write_config() {
  local port=$1 transport_port=$2 home=$DIR/data/home
  mkdir -p "$DIR/config" "$DIR/logs" "$DIR/tmp" "$DIR/data/nodes"
  cp "$home/config/jvm.options" "$home/config/log4j2.properties" "$DIR/config/"
  [[ -d $home/config/jvm.options.d ]] && cp -r "$home/config/jvm.options.d" "$DIR/config/" || mkdir -p "$DIR/config/jvm.options.d"
  cat >"$DIR/config/elasticsearch.yml" <<EOF
# written by deploy/testbed/elasticsearch.sh at every start
cluster.name: vigil
node.name: testbed
discovery.type: single-node
network.host: 127.0.0.1
http.port: $port
transport.port: $transport_port
path.data: $DIR/data/nodes
path.logs: $DIR/logs
# Plain HTTP without users: loopback only, for tests and the demo.
xpack.security.enabled: false
# A test machine's disk is often more than 90 % full; the default watermarks would make every index read-only.
cluster.routing.allocation.disk.threshold_enabled: false
EOF
}

cluster_ready() {
  curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$1/_cluster/health?wait_for_status=yellow&timeout=2s"
}

cmd_start() {
  local port=$1 transport_port=$2 pid java_home
  if pid=$(running_pid); then
    port=$(running_port)
    log "already running in $DIR (pid $pid, port $port); reusing it"
    echo "READY elasticsearch 127.0.0.1:$port pid=$pid"
    return 0
  fi
  [[ $port != "$transport_port" ]] || usage_error "PORT and TRANSPORT_PORT must differ"
  require_free_port "$port" "$transport_port"
  command -v curl >/dev/null || die "curl is needed to see when Elasticsearch is ready (apt-get install curl)"
  java_home=$(find_java_home)
  fetch_zip
  mkdir -p "$DIR"
  unpack_home
  write_config "$port" "$transport_port"
  rm -f "$(pid_file)"
  [[ -f $DIR/logs/vigil.log ]] && mv "$DIR/logs/vigil.log" "$DIR/logs/vigil.log.previous"
  ensure_user
  take_ownership "$ES_USER" "$DIR"

  log "starting on 127.0.0.1:$port, transport :$transport_port, JDK $java_home (log $DIR/logs/vigil.log)"
  # Small heap: the test JVMs start several servers next to each other on 2 cores.
  nohup env ES_JAVA_HOME="$java_home" ES_PATH_CONF="$DIR/config" ES_TMPDIR="$DIR/tmp" \
    ES_JAVA_OPTS="-Xms512m -Xmx512m ${ES_EXTRA_JAVA_OPTS:-}" \
    bash -c 'if ((EUID == 0)); then exec runuser -u "$1" -- "${@:2}"; else exec "${@:2}"; fi' sh "$ES_USER" \
    "$DIR/data/home/bin/elasticsearch" -p "$(pid_file)" >"$DIR/logs/stdout.log" 2>&1 </dev/null &
  # Until the server writes its pid file, watch the launcher: it exits when the server does.
  WAIT_PID=$!
  TB_EXTRA_LOGS=("$DIR/logs/stdout.log")
  wait_until "$START_TIMEOUT" "$DIR/logs/vigil.log" "cluster health yellow on 127.0.0.1:$port" cluster_ready "$port"
  pid=$(running_pid) || fail_with_log "$DIR/logs/vigil.log" "Elasticsearch answers but wrote no pid file $(pid_file)"
  echo "READY elasticsearch 127.0.0.1:$port pid=$pid"
}

cmd_stop() {
  local pid
  if ! pid=$(running_pid); then
    log "not running in $DIR"
    return 0
  fi
  log "stopping pid $pid"
  stop_pid "$pid" elasticsearch 30 TERM
  rm -f "$(pid_file)"
  log "stopped"
}

tb_main 2 "$@"
