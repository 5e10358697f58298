# shellcheck shell=bash
# Common helpers for the deploy/testbed/*.sh service scripts. Source it, do not run it.
#
# Conventions shared by every service script (the JUnit test bed in testbed/ relies on them):
#   SCRIPT start DIR PORT...   last stdout line: "READY <service> 127.0.0.1:<port> [key=value...]", exit 0
#   SCRIPT stop DIR            stops by the PID in the pid file only; exit 0 also when nothing was running
#   SCRIPT status DIR          "RUNNING <service> 127.0.0.1:<port> pid=<pid>" exit 0, or "STOPPED <service>" exit 3
# Everything else (progress, errors) goes to stderr. Exit codes: 1 failure, 2 usage, 3 not running,
# 10 a requested port is already taken by something that is not ours (a caller may retry with other ports).

readonly TB_EXIT_PORT_IN_USE=10
readonly TB_EXIT_NOT_RUNNING=3
TB_SERVICE=${TB_SERVICE:-testbed}
TB_EXTRA_LOGS=()

log() { printf '[%s] %s\n' "$TB_SERVICE" "$*" >&2; }

die() {
  local code=1
  if [[ $1 =~ ^[0-9]+$ ]]; then code=$1; shift; fi
  log "ERROR: $*"
  exit "$code"
}

usage_error() { printf '%s\n' "$@" >&2; exit 2; }

# Prints the last 30 lines of a service log so a failure is diagnosable from the caller's output alone.
show_log_tail() {
  local file=$1
  if [[ -s $file ]]; then
    log "last 30 lines of $file:"
    tail -n 30 "$file" | sed 's/^/    /' >&2
  else
    log "service log $file is empty or missing"
  fi
}

# fail_with_log LOGFILE MESSAGE: also shows the non-empty files listed in TB_EXTRA_LOGS (e.g. a
# daemon's stdout, where a JVM that dies before its logger is configured leaves its only words).
fail_with_log() {
  local file=$1 extra; shift
  log "ERROR: $*"
  log "service log: $file"
  show_log_tail "$file"
  for extra in "${TB_EXTRA_LOGS[@]}"; do
    [[ -s $extra && $extra != "$file" ]] && show_log_tail "$extra"
  done
  # Do not leave a half-started server behind: nobody would know to stop it.
  if [[ -n ${WAIT_PID:-} ]] && pid_alive "$WAIT_PID"; then
    log "stopping the half-started server (pid $WAIT_PID)"
    stop_pid "$WAIT_PID" "$TB_SERVICE" 10 "${TB_ABORT_SIGNAL:-TERM}"
  fi
  # Someone may have taken the port between our check and the server's bind: say so with the
  # port-in-use exit code, so that a caller that picked the port at random can pick another.
  if tail -n 300 "$file" "${TB_EXTRA_LOGS[@]}" 2>/dev/null | grep -q 'Address already in use'; then
    log "the server could not bind its port: it was taken meanwhile"
    exit "$TB_EXIT_PORT_IN_USE"
  fi
  exit 1
}

# port_in_use PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

require_free_port() {
  local port
  for port in "$@"; do
    [[ $port =~ ^[0-9]+$ ]] && ((port > 0 && port < 65536)) || usage_error "invalid port: '$port'"
    port_in_use "$port" &&
      die "$TB_EXIT_PORT_IN_USE" "port $port on 127.0.0.1 is already in use by another process; choose another port"
  done
  return 0
}

# pid_alive PID: the process exists and is not a zombie (an unreaped zombie must count as stopped).
pid_alive() {
  local pid=$1 state
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/stat ]] || return 1
  state=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [[ -n $state && $state != Z && $state != X ]]
}

# pid_is_ours PID NEEDLE: alive and its command line mentions NEEDLE (normally the service dir),
# so a stale pid file whose PID was recycled never makes us signal an unrelated process.
pid_is_ours() {
  local pid=$1 needle=$2
  pid_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$needle"
}

# read_pid FILE: first line of a pid file (postmaster.pid has more lines), empty if absent.
read_pid() {
  [[ -r $1 ]] || return 0
  head -n 1 "$1" | tr -dc '0-9'
}

# wait_until TIMEOUT_SECONDS LOGFILE DESCRIPTION COMMAND...
# Polls COMMAND until it succeeds. Fails (log tail, exit 1) on timeout, or at once when the process
# whose PID is in WAIT_PID (if set) has died: no point waiting 60 s for a server that already crashed.
wait_until() {
  local timeout=$1 logfile=$2 what=$3; shift 3
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [[ -n ${WAIT_PID:-} ]] && ! pid_alive "$WAIT_PID"; then
      fail_with_log "$logfile" "process $WAIT_PID exited while waiting for: $what"
    fi
    if ((SECONDS >= deadline)); then
      fail_with_log "$logfile" "timed out after ${timeout}s waiting for: $what"
    fi
    sleep 0.1
  done
}

# stop_pid PID NAME TIMEOUT [SIGNAL...]: send each signal in turn (default TERM), allowing TIMEOUT seconds
# after each for the process to go away, then SIGKILL. Returns once the PID is gone.
stop_pid() {
  local pid=$1 name=$2 timeout=$3; shift 3
  local signals=("${@:-TERM}") sig deadline
  for sig in "${signals[@]}" KILL; do
    pid_alive "$pid" || return 0
    [[ $sig == KILL ]] && log "$name (pid $pid) still running; sending SIGKILL"
    kill "-$sig" "$pid" 2>/dev/null || true
    deadline=$((SECONDS + timeout))
    while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
  done
  pid_alive "$pid" && die "$name (pid $pid) survived SIGKILL"
  return 0
}

# wait_pid_gone PID NAME TIMEOUT: for servers asked to stop by other means (an admin command);
# escalates like stop_pid when they do not.
wait_pid_gone() {
  local pid=$1 name=$2 timeout=$3 deadline
  deadline=$((SECONDS + timeout))
  while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
  stop_pid "$pid" "$name" 10 TERM
}

# as_service_user USER CMD...: daemons such as PostgreSQL refuse to run as root.
as_service_user() {
  local user=$1; shift
  if ((EUID == 0)); then
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

# take_ownership USER DIR: as root, hand DIR to the service account and check that the account
# can reach DIR through every parent directory (a 0700 home directory is the usual culprit).
take_ownership() {
  local user=$1 dir=$2
  ((EUID == 0)) || return 0
  id -u "$user" >/dev/null 2>&1 || die "running as root needs the system user '$user' (is the package installed?)"
  chown -R "$user:" "$dir"
  local blocked
  # Walk from / downwards: the first directory the user cannot enter is the one to fix.
  blocked=$(runuser -u "$user" -- sh -c 'p=""; IFS=/; for c in $1; do [ -n "$c" ] || continue; p="$p/$c"; [ -x "$p" ] || { echo "$p"; exit 1; }; done' sh "$dir") ||
    die "user '$user' cannot traverse $blocked (needed to reach $dir). Fix with: chmod o+x $blocked" \
      "(or choose a directory elsewhere, e.g. under /tmp)"
}

# Unix socket paths are limited to 107 bytes; a deep build directory would otherwise fail obscurely.
socket_path_fits() { (( ${#1} <= 100 )); }

# abs_dir DIR: absolute, symlink-free form, so the path we match in a server's command line is stable.
abs_dir() { realpath -m -- "$1"; }

tb_repo_root() { (cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P); }

# stdin_config: extra configuration lines from stdin, only when stdin is not a terminal
# (an interactive human gets no hang; a caller with nothing to say passes </dev/null).
stdin_config() {
  if [[ ! -t 0 ]]; then cat; fi
}

# tb_main START_ARG_COUNT "$@": the command line every service script shares. The script defines
# usage, running_pid, running_port, cmd_start (taking START_ARG_COUNT arguments after DIR) and cmd_stop.
tb_main() {
  local start_args=$1; shift
  (($# >= 2)) || usage
  local cmd=$1
  DIR=$(abs_dir "$2")
  shift 2
  case "$cmd" in
    start) (($# == start_args)) || usage; cmd_start "$@" ;;
    stop) (($# == 0)) || usage; cmd_stop ;;
    status) (($# == 0)) || usage; tb_status ;;
    *) usage ;;
  esac
}

tb_status() {
  local pid
  if pid=$(running_pid); then
    echo "RUNNING $TB_SERVICE 127.0.0.1:$(running_port) pid=$pid"
  else
    echo "STOPPED $TB_SERVICE"
    return "$TB_EXIT_NOT_RUNNING"
  fi
}

# pid_runs_in PID DIR: alive and its working directory is DIR. For servers that retitle their process
# (Redis shows "redis-server 127.0.0.1:PORT"), whose command line never names DIR but which change into it.
pid_runs_in() {
  pid_alive "$1" && [[ $(readlink "/proc/$1/cwd" 2>/dev/null) == "$2" ]]
}
