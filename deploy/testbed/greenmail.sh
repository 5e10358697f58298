#!/usr/bin/env bash
# A GreenMail mail server (SMTP + POP3) on 127.0.0.1, for `./vigil demo`: the demo's alerts are mailed
# to it, and can be read back with any POP3 client (any user name and password are accepted).
#
#   greenmail.sh start DIR SMTP_PORT POP3_PORT   fetch the standalone jar once, start, wait until SMTP answers
#   greenmail.sh stop DIR                        SIGTERM to the PID in DIR/greenmail.pid
#   greenmail.sh status DIR
#
# The jar comes from Maven Central (com.icegreen:greenmail-standalone) and is cached in
# ${VIGIL_CACHE:-~/.cache/vigil}/greenmail-<version>.jar. Mail lives in memory only. Logs: DIR/greenmail.log.
set -euo pipefail
TB_SERVICE=greenmail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

GREENMAIL_VERSION=2.1.13
START_TIMEOUT=60
REPO=$(tb_repo_root)
CACHE=${VIGIL_CACHE:-${HOME:?set VIGIL_CACHE or HOME}/.cache/vigil}
JAR=$CACHE/greenmail-standalone-$GREENMAIL_VERSION.jar

usage() { usage_error "usage: $0 start DIR SMTP_PORT POP3_PORT | stop DIR | status DIR"; }

fetch_jar() {
  [[ -f $JAR ]] && return 0
  log "downloading GreenMail $GREENMAIL_VERSION (once)… into $CACHE"
  mkdir -p "$CACHE"
  local tmp mvn=$REPO/mvnw
  tmp=$(mktemp -d "$CACHE/greenmail.tmp.XXXXXX")
  [[ -x $mvn ]] || mvn=$(command -v mvn) || die "neither $REPO/mvnw nor mvn found to fetch GreenMail"
  if ! (cd "$REPO" && "$mvn" -q -B dependency:copy -Dartifact="com.icegreen:greenmail-standalone:$GREENMAIL_VERSION" \
      -DoutputDirectory="$tmp") >"$tmp/download.log" 2>&1; then
    cp "$tmp/download.log" "$CACHE/greenmail.download.log"
    rm -rf "$tmp"
    fail_with_log "$CACHE/greenmail.download.log" "could not fetch GreenMail with Maven"
  fi
  # Renamed into place: an interrupted download never leaves a half jar that the next start would trust.
  mv -f "$tmp/greenmail-standalone-$GREENMAIL_VERSION.jar" "$JAR"
  rm -rf "$tmp"
}

running_pid() {
  local pid
  pid=$(read_pid "$DIR/greenmail.pid")
  [[ -n $pid ]] && pid_alive "$pid" && grep -qa "greenmail-standalone" "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

running_port() { cat "$DIR/smtp.port" 2>/dev/null; }

# In a subshell: the probe connection closes with it, and a refused connection cannot end this script.
smtp_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1" && head -c 3 <&3 | grep -q 220); }

cmd_start() {
  local smtp=$1 pop3=$2 pid java
  if pid=$(running_pid); then
    log "already running in $DIR (pid $pid, SMTP port $(running_port)); reusing it"
    echo "READY greenmail 127.0.0.1:$(running_port) pid=$pid"
    return 0
  fi
  [[ $pop3 =~ ^[0-9]+$ ]] || usage_error "POP3_PORT must be a port, got '$pop3'"
  require_free_port "$smtp"
  require_free_port "$pop3"
  java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/java}}
  java=${java:-$(command -v java || true)}
  [[ -n $java && -x $java ]] || die "no java found (set JAVA or JAVA_HOME)"
  fetch_jar
  mkdir -p "$DIR"
  echo "$smtp" >"$DIR/smtp.port"
  log "starting SMTP on 127.0.0.1:$smtp, POP3 on 127.0.0.1:$pop3 (log $DIR/greenmail.log)"
  nohup "$java" -Xmx128m -Dgreenmail.smtp.hostname=127.0.0.1 -Dgreenmail.smtp.port="$smtp" \
    -Dgreenmail.pop3.hostname=127.0.0.1 -Dgreenmail.pop3.port="$pop3" -Dgreenmail.auth.disabled \
    -jar "$JAR" >"$DIR/greenmail.log" 2>&1 </dev/null &
  WAIT_PID=$!
  echo "$WAIT_PID" >"$DIR/greenmail.pid"
  wait_until "$START_TIMEOUT" "$DIR/greenmail.log" "an SMTP greeting on 127.0.0.1:$smtp" smtp_answers "$smtp"
  echo "READY greenmail 127.0.0.1:$smtp pid=$WAIT_PID"
}

cmd_stop() {
  local pid
  if ! pid=$(running_pid); then
    log "not running in $DIR"
    return 0
  fi
  log "stopping pid $pid"
  stop_pid "$pid" greenmail 10 TERM
  log "stopped"
}

tb_main 2 "$@"
