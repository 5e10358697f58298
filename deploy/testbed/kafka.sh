#!/usr/bin/env bash
# A single-node Apache Kafka (KRaft, combined broker+controller) on 127.0.0.1, for tests and `./vigil demo`.
#
#   kafka.sh start DIR PORT CONTROLLER_PORT   fetch the jars once, format DIR/data once, start, wait until serving
#   kafka.sh stop DIR                         SIGTERM (controlled shutdown) to the PID in DIR/kafka.pid
#   kafka.sh status DIR
#
# The broker's jars come from Maven Central through deploy/testbed/kafka/pom.xml and are cached in
# ${VIGIL_CACHE:-~/.cache/vigil}/kafka-<version>/libs. Java: $JAVA, else $JAVA_HOME/bin/java, else java (17+).
# Config: DIR/config (rewritten at every start). Logs: DIR/logs/server.log. Topics are auto-created, 3 partitions.
set -euo pipefail
TB_SERVICE=kafka
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_VERSION=4.3.1
START_TIMEOUT=90
REPO=$(tb_repo_root)
CACHE=${VIGIL_CACHE:-${HOME:?set VIGIL_CACHE or HOME}/.cache/vigil}
LIBS=$CACHE/kafka-$KAFKA_VERSION/libs

usage() { usage_error "usage: $0 start DIR PORT CONTROLLER_PORT | stop DIR | status DIR"; }

find_java() {
  local java=${JAVA:-}
  [[ -z $java && -n ${JAVA_HOME:-} ]] && java=$JAVA_HOME/bin/java
  [[ -z $java ]] && java=$(command -v java || true)
  [[ -n $java && -x $java ]] || die "no java found (set JAVA or JAVA_HOME; Kafka $KAFKA_VERSION needs Java 17+)"
  local major
  major=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [[ ${major%%.*} =~ ^[0-9]+$ ]] && ((${major%%.*} >= 17)) ||
    die "$java is Java $major; Kafka $KAFKA_VERSION needs Java 17+ (set JAVA or JAVA_HOME)"
  echo "$java"
}

fetch_jars() {
  [[ -f $LIBS/kafka_2.13-$KAFKA_VERSION.jar ]] && return 0
  log "downloading Kafka $KAFKA_VERSION jars (once)… into $LIBS"
  mkdir -p "$CACHE"
  local tmp mvn=$REPO/mvnw
  tmp=$(mktemp -d "$CACHE/kafka-$KAFKA_VERSION.tmp.XXXXXX")
  [[ -x $mvn ]] || mvn=$(command -v mvn) || die "neither $REPO/mvnw nor mvn found to fetch the Kafka jars"
  # Copy into a temporary directory and rename it into place: an interrupted copy must never leave a
  # half-filled libs directory that the next start would trust.
  if ! (cd "$REPO" && "$mvn" -q -B -f deploy/testbed/kafka/pom.xml dependency:copy-dependencies \
      -DoutputDirectory="$tmp/libs" -DincludeScope=runtime) >"$tmp/download.log" 2>&1; then
    cp "$tmp/download.log" "$CACHE/kafka-$KAFKA_VERSION.download.log"
    rm -rf "$tmp"
    fail_with_log "$CACHE/kafka-$KAFKA_VERSION.download.log" "could not fetch the Kafka jars with Maven"
  fi
  mkdir -p "$(dirname "$LIBS")"
  # Another process may have won the race; then its copy is as good as ours.
  mv -T "$tmp/libs" "$LIBS" 2>/dev/null || [[ -f $LIBS/kafka_2.13-$KAFKA_VERSION.jar ]] ||
    die "could not move the Kafka jars into $LIBS"
  rm -rf "$tmp"
}

pid_file() { echo "$DIR/kafka.pid"; }

running_pid() {
  local pid
  pid=$(read_pid "$(pid_file)")
  [[ -n $pid ]] && pid_is_ours "$pid" "$DIR/config/server.properties" && echo "$pid"
}

running_port() { sed -n 's|^advertised.listeners=PLAINTEXT://127.0.0.1:||p' "$DIR/config/server.properties" 2>/dev/null; }

write_config() {
  local port=$1 controller_port=$2
  mkdir -p "$DIR/config" "$DIR/logs"
  cat >"$DIR/config/server.properties" <<EOF
# written by deploy/testbed/kafka.sh at every start
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DIR/data
num.partitions=3
auto.create.topics.enable=true
group.initial.rebalance.delay.ms=0
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
EOF
  cat >"$DIR/config/log4j2.properties" <<'EOF'
# broker logging: everything at INFO into DIR/logs/server.log
appender.file.type=File
appender.file.name=FILE
appender.file.fileName=${sys:kafka.logs.dir}/server.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=INFO
rootLogger.appenderRef.file.ref=FILE
logger.kafka_request.name=kafka.request.logger
logger.kafka_request.level=WARN
EOF
  cat >"$DIR/config/tools-log4j2.properties" <<'EOF'
# command line tools (StorageTool, console producer/consumer): warnings only, to stderr
appender.stderr.type=Console
appender.stderr.name=STDERR
appender.stderr.target=SYSTEM_ERR
appender.stderr.layout.type=PatternLayout
appender.stderr.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=WARN
rootLogger.appenderRef.stderr.ref=STDERR
EOF
}

# A KRaft cluster id is 16 random bytes in unpadded URL-safe base64 (what `StorageTool random-uuid`
# prints); made here to save a JVM start. Kafka rejects ids starting with '-'.
random_cluster_id() {
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [[ $id != -* ]] && { echo "$id"; return; }
  done
}

broker_started() {
  grep -q 'Kafka Server started' "$DIR/logs/server.log" 2>/dev/null && port_in_use "$1"
}

cmd_start() {
  local port=$1 controller_port=$2 pid java
  if pid=$(running_pid); then
    port=$(running_port)
    log "already running in $DIR (pid $pid, port $port); reusing it"
    echo "READY kafka 127.0.0.1:$port"
    return 0
  fi
  [[ $port != "$controller_port" ]] || usage_error "PORT and CONTROLLER_PORT must differ"
  require_free_port "$port" "$controller_port"
  java=$(find_java)
  fetch_jars
  mkdir -p "$DIR"
  write_config "$port" "$controller_port"

  local tools_log=(-Dlog4j2.configurationFile="$DIR/config/tools-log4j2.properties")
  if [[ ! -f $DIR/data/meta.properties ]]; then
    log "formatting $DIR/data"
    rm -rf "$DIR/data"
    "$java" -Xmx256m -XX:TieredStopAtLevel=1 "${tools_log[@]}" -cp "$LIBS/*" kafka.tools.StorageTool format \
      -t "$(random_cluster_id)" -c "$DIR/config/server.properties" >"$DIR/logs/format.log" 2>&1 ||
      fail_with_log "$DIR/logs/format.log" "kafka-storage format failed"
  fi

  log "starting on 127.0.0.1:$port, controller :$controller_port (log $DIR/logs/server.log)"
  # Rotate the previous run's log: readiness is detected by a line in it.
  [[ -f $DIR/logs/server.log ]] && mv "$DIR/logs/server.log" "$DIR/logs/server.log.previous"
  # Small heap: the test JVMs start several servers on 2 cores next to each other.
  nohup "$java" -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dkafka.logs.dir="$DIR/logs" -Dlog4j2.configurationFile="$DIR/config/log4j2.properties" \
    -cp "$LIBS/*" kafka.Kafka "$DIR/config/server.properties" >"$DIR/logs/stdout.log" 2>&1 </dev/null &
  WAIT_PID=$!
  echo "$WAIT_PID" >"$(pid_file)"
  TB_EXTRA_LOGS=("$DIR/logs/stdout.log")
  wait_until "$START_TIMEOUT" "$DIR/logs/server.log" "'Kafka Server started' and 127.0.0.1:$port open" \
    broker_started "$port"
  echo "READY kafka 127.0.0.1:$port"
}

cmd_stop() {
  local pid
  if ! pid=$(running_pid); then
    log "not running in $DIR"
    return 0
  fi
  log "stopping pid $pid"
  stop_pid "$pid" kafka 30 TERM
  rm -f "$(pid_file)"
  log "stopped"
}

tb_main 2 "$@"
