#!/usr/bin/env bash
# Fault injection into the fleet of `./vigil demo`; `./vigil chaos SCENARIO` runs this.
#
#   chaos.sh galera-node-down        kill -9 Galera node 3; the cluster shrinks to 2
#   chaos.sh replica-lag [SECONDS]   the replica lags for SECONDS (10..480, default 120): a row lock held on the
#                                    replica blocks its SQL thread while a writer updates that row on the primary
#   chaos.sh replication-broken      STOP SLAVE SQL_THREAD on the replica
#   chaos.sh redis-master-down       kill -9 the Redis master Sentinel names; Sentinel fails over
#   chaos.sh heal                    undo all of them: node 3 rejoins (IST), helpers stop, START SLAVE and
#                                    MASTER_DELAY=0, the killed Redis comes back as a replica of the new master
#   chaos.sh status                  the fleet's state as the scenarios see it
#   chaos.sh stop-helpers            stop only the background helpers (`./vigil stop` calls this)
#
# The demo is found in $VIGIL_DEMO_DIR (default .vigil/demo) on the ports of deploy/demo/fleet.sh (same
# VIGIL_DEMO_* variables). What chaos did, and the PIDs of its background helpers, live in DEMO_DIR/chaos/.
# A scenario refuses when the services it needs are not running, and says so instead of doing a fault twice.
set -euo pipefail
TB_SERVICE=chaos

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
TB="$REPO/deploy/testbed"
DEMO_DIR=${VIGIL_DEMO_DIR:-$REPO/.vigil/demo}
STATE="$DEMO_DIR/chaos"

# shellcheck source=deploy/testbed/lib.sh
source "$TB/lib.sh"
# The demo's ports and directory layout (DEMO_*_PORT, galera-N, redis-master, …).
# shellcheck source=deploy/demo/fleet.sh
source "$REPO/deploy/demo/fleet.sh"

SENTINEL_MASTER=mymaster
LAG_MARK=vigil_chaos_replica_lag_lock   # alias of the lock holder's SLEEP: found in the processlist
HELPER_MARK=vigil_chaos                 # every helper's command line holds it (pid_is_ours)

usage() {
  sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}

say() { printf 'chaos: %s\n' "$*"; }
stamp() { date '+%H:%M:%S'; }

# expect LINES…: the part of a report that says what Vigil should show.
expect() {
  printf '\nVigil should show:\n'
  printf '  %s\n' "$@"
  printf '\n'
}

# --- services ----------------------------------------------------------------------------------

# svc_pid SCRIPT DIR: the PID of the service running in DIR (by its pid file), or fails.
svc_pid() {
  local out
  out=$("$TB/$1" status "$2" 2>/dev/null) || return 1
  sed -n 's/.* pid=\([0-9]*\).*/\1/p' <<<"$out"
}

running() { "$TB/$1" status "$2" >/dev/null 2>&1; }

# require_running NAME SCRIPT DIR PORT: the service's PID is alive and its port answers.
require_running() {
  local name=$1 script=$2 dir=$3 port=$4
  [[ -d $DEMO_DIR ]] || die "no demo in $DEMO_DIR: start the fleet with ./vigil demo (in another terminal) first"
  running "$script" "$dir" ||
    die "the demo's $name is not running (no live PID in $dir): start the fleet with ./vigil demo first" \
      "(or ./vigil chaos heal, if chaos took it down)"
  port_in_use "$port" || die "the demo's $name runs but 127.0.0.1:$port does not accept connections; is it still starting?"
}

sql() {
  local port=$1; shift
  mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$port" -uroot --connect-timeout=3 -N -B "$@"
}

status_var() { sql "$1" -e "SHOW GLOBAL STATUS LIKE '$2'" | cut -f2; }

# slave_field PORT FIELD: one field of SHOW SLAVE STATUS ("" when replication is not configured).
slave_field() {
  mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$1" -uroot --connect-timeout=3 -E -e "SHOW SLAVE STATUS" | \
    awk -v f="$2" '{ k = $1; sub(/:$/, "", k) } k == f && !done { sub(/^ *[^:]*: ?/, ""); print; done = 1 }'
}

cnf_get() { sed -n "s/^$2=//p" "$1/my.cnf" 2>/dev/null | tail -n 1; }

galera_dir() { echo "$DEMO_DIR/galera-$1"; }
galera_port() { local p; p=$(cnf_get "$(galera_dir "$1")" port); echo "${p:-$((DEMO_GALERA_SQL_BASE + $1))}"; }
# The gcomm address a node listens on, from the my.cnf galera.sh wrote at its last start.
galera_gcomm() { cnf_get "$(galera_dir "$1")" wsrep_node_address; }

redis_dir_port() { sed -n 's/^port //p' "$1/redis.conf" 2>/dev/null | tail -n 1; }
rcli() { redis-cli -h 127.0.0.1 -p "$1" "${@:2}" 2>/dev/null | tr -d '\r'; }
sentinel_master_port() { rcli "$DEMO_SENTINEL_PORT" sentinel get-master-addr-by-name "$SENTINEL_MASTER" | sed -n 2p; }
sentinel_master_field() {
  rcli "$DEMO_SENTINEL_PORT" sentinel master "$SENTINEL_MASTER" | paste - - | awk -F'\t' -v f="$1" '$1 == f { print $2 }'
}
# The Redis directory (redis-master or redis-replica) whose server listens on PORT.
redis_dir_of_port() {
  local d
  for d in "$DEMO_DIR/redis-master" "$DEMO_DIR/redis-replica"; do
    [[ $(redis_dir_port "$d") == "$1" ]] && { echo "$d"; return 0; }
  done
  return 1
}

# poll TIMEOUT COMMAND…: seconds it took (to stdout) once COMMAND succeeds; fails on timeout.
poll() {
  local timeout=$1 start=$SECONDS; shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS - start < timeout)) || return 1
    sleep 0.2
  done
  echo $((SECONDS - start))
}

# --- background helpers --------------------------------------------------------------------------

helper_alive() {
  local pid
  pid=$(read_pid "$STATE/$1.pid")
  [[ -n $pid ]] && pid_is_ours "$pid" "$HELPER_MARK"
}

# The lock holder's server session can outlive its client (a running SLEEP need not notice it went):
# KILL it on the replica, so the row lock is released at once.
release_replica_lock() {
  local ids id
  port_in_use "$DEMO_REPLICA_PORT" || return 0
  ids=$(sql "$DEMO_REPLICA_PORT" -e "SELECT ID FROM information_schema.PROCESSLIST
    WHERE INFO LIKE '%$LAG_MARK%' AND ID <> CONNECTION_ID()" 2>/dev/null) || return 0
  for id in $ids; do
    sql "$DEMO_REPLICA_PORT" -e "KILL $id" 2>/dev/null && say "released the row lock on the replica (KILL $id)"
  done
  return 0
}

stop_helpers() {
  local file name pid stopped=0
  for file in "$STATE"/*.pid; do
    [[ -e $file ]] || continue
    name=$(basename "$file" .pid)
    pid=$(read_pid "$file")
    if [[ -n $pid ]] && pid_is_ours "$pid" "$HELPER_MARK"; then
      stop_pid "$pid" "$name" 5 TERM
      say "stopped the background $name (pid $pid)"
      stopped=1
    fi
    rm -f "$file"
  done
  release_replica_lock
  ((stopped)) || say "no background helpers running"
}

# --- galera-node-down ----------------------------------------------------------------------------

cluster_size_is() { [[ $(status_var "$1" wsrep_cluster_size) == "$2" ]]; }

galera_node_down() {
  local p1 pid size took
  require_running "Galera node 1" galera.sh "$(galera_dir 1)" "$(galera_port 1)"
  require_running "Galera node 2" galera.sh "$(galera_dir 2)" "$(galera_port 2)"
  p1=$(galera_port 1)
  if ! pid=$(svc_pid galera.sh "$(galera_dir 3)"); then
    if [[ -f $STATE/galera-node-down ]]; then
      say "Galera node 3 is already down (chaos killed it at $(cat "$STATE/galera-node-down")); not killing another node"
    else
      say "Galera node 3 is not running (chaos did not stop it); not killing another node"
    fi
    say "cluster size seen by node 1: $(status_var "$p1" wsrep_cluster_size). ./vigil chaos heal restarts node 3"
    return 0
  fi
  size=$(status_var "$p1" wsrep_cluster_size)
  [[ $size == 3 ]] || die "the Galera cluster has $size members, not 3 (a node is still joining?); try again in a few seconds"

  kill -9 "$pid"
  stamp >"$STATE/galera-node-down"
  say "kill -9 Galera node 3 (pid $pid, 127.0.0.1:$(galera_port 3), $(galera_dir 3)) at $(stamp)"
  say "waiting for the survivors to notice (evs.suspect_timeout, about 5 s)…"
  if took=$(poll 20 cluster_size_is "$p1" 2); then
    say "observed: wsrep_cluster_size on node 1 is 2 after ${took} s; node 1 is $(status_var "$p1" wsrep_cluster_status)" \
      "/ $(status_var "$p1" wsrep_local_state_comment)"
  else
    say "warning: node 1 still reports wsrep_cluster_size $(status_var "$p1" wsrep_cluster_size) after 20 s"
  fi
  expect "galera_cluster_size{cluster=\"demo-galera\"} 2 on nodes 1 and 2 about 5 s after the kill;" \
    "up{target=\"demo-galera-3\"} 0 (the scrape of node 3 fails)" \
    "cluster demo-galera health yellow: still Primary and serving, but one more loss stops it" \
    "a severe alert \"Galera cluster degraded\" (cluster size 2 of 3)" \
    "try: promtool query instant http://127.0.0.1:8080 'galera_cluster_size'" \
    "undo: ./vigil chaos heal (node 3 rejoins through IST)"
}

# --- replica-lag ---------------------------------------------------------------------------------

replica_has_probe() {
  [[ $(sql "$DEMO_REPLICA_PORT" -e "SELECT COUNT(*) FROM vigil_chaos.lag_probe WHERE id = 1") == 1 ]]
}

lock_held() {
  [[ -n $(sql "$DEMO_REPLICA_PORT" -e "SELECT ID FROM information_schema.PROCESSLIST
    WHERE INFO LIKE '%$LAG_MARK%' AND ID <> CONNECTION_ID()") ]]
}

lag_at_least() { local s; s=$(slave_field "$DEMO_REPLICA_PORT" Seconds_Behind_Master); [[ $s =~ ^[0-9]+$ ]] && ((s >= $1)); }

replica_lag() {
  local secs=${1:-120} sqlrun io i sql_file until_ts took
  # Past about 10 × 50 s the SQL thread would give up on the lock and stop: broken, not lagging.
  [[ $secs =~ ^[0-9]+$ ]] && ((secs >= 10 && secs <= 480)) ||
    usage_error "replica-lag SECONDS must be 10..480 (longer, the replica gives up waiting and stops), got '$secs'"
  require_running "MariaDB primary" mariadb.sh "$DEMO_DIR/primary" "$DEMO_PRIMARY_PORT"
  require_running "MariaDB replica" mariadb.sh "$DEMO_DIR/replica" "$DEMO_REPLICA_PORT"
  if helper_alive replica-lag-lock || helper_alive replica-lag-writer; then
    say "replica-lag is already running (until $(cat "$STATE/replica-lag" 2>/dev/null || echo '?')); not starting another"
    say "now: Seconds_Behind_Master $(slave_field "$DEMO_REPLICA_PORT" Seconds_Behind_Master). ./vigil chaos heal stops it"
    return 0
  fi
  sqlrun=$(slave_field "$DEMO_REPLICA_PORT" Slave_SQL_Running)
  io=$(slave_field "$DEMO_REPLICA_PORT" Slave_IO_Running)
  [[ -n $sqlrun ]] || die "the demo replica (127.0.0.1:$DEMO_REPLICA_PORT) has no replication configured"
  [[ $sqlrun == Yes && $io == Yes ]] ||
    die "replication on the replica is not running (IO $io, SQL $sqlrun; replication-broken?): run ./vigil chaos heal first"

  # A row of our own that only our writer touches: the demo's sysbench rows are random, rarely the locked one.
  sql "$DEMO_PRIMARY_PORT" -e "CREATE DATABASE IF NOT EXISTS vigil_chaos;
    CREATE TABLE IF NOT EXISTS vigil_chaos.lag_probe (id INT PRIMARY KEY, n BIGINT NOT NULL DEFAULT 0, at DATETIME(6));
    INSERT IGNORE INTO vigil_chaos.lag_probe (id, at) VALUES (1, NOW(6))" ||
    die "cannot create vigil_chaos.lag_probe on the primary"
  poll 30 replica_has_probe >/dev/null || die "the replica did not receive vigil_chaos.lag_probe within 30 s"

  mkdir -p "$STATE"
  # The replica's SQL thread waits for this lock, retrying after each innodb_lock_wait_timeout (50 s)
  # up to slave_transaction_retries (10) times; read_only does not stop SELECT … FOR UPDATE.
  nohup mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$DEMO_REPLICA_PORT" -uroot -N -B \
    -e "BEGIN; SELECT id FROM vigil_chaos.lag_probe WHERE id = 1 FOR UPDATE;
        SELECT SLEEP($secs) AS $LAG_MARK; COMMIT" >"$STATE/replica-lag-lock.log" 2>&1 </dev/null &
  echo $! >"$STATE/replica-lag-lock.pid"
  poll 10 lock_held >/dev/null || { stop_helpers >/dev/null; die "the lock holder on the replica did not start; see $STATE/replica-lag-lock.log"; }

  # Two updates a second of the locked row, for a little longer than the lock is held.
  sql_file="$STATE/replica-lag-writer.sql"
  for ((i = 0; i < (secs + 15) * 2; i++)); do
    echo "UPDATE vigil_chaos.lag_probe SET n = n + 1, at = NOW(6) WHERE id = 1; DO SLEEP(0.5);"
  done >"$sql_file"
  nohup mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$DEMO_PRIMARY_PORT" -uroot -N -B \
    --init-command="SET @$HELPER_MARK = 'replica-lag writer'" <"$sql_file" >"$STATE/replica-lag-writer.log" 2>&1 &
  echo $! >"$STATE/replica-lag-writer.pid"
  until_ts=$(date -d "+$secs sec" '+%H:%M:%S')
  echo "$until_ts" >"$STATE/replica-lag"

  say "holding a row lock on the replica (127.0.0.1:$DEMO_REPLICA_PORT) on vigil_chaos.lag_probe for $secs s, until $until_ts" \
    "(pid $(cat "$STATE/replica-lag-lock.pid"))"
  say "updating that row twice a second on the primary (127.0.0.1:$DEMO_PRIMARY_PORT) (pid $(cat "$STATE/replica-lag-writer.pid"))"
  if took=$(poll 15 lag_at_least 3); then
    say "observed: Seconds_Behind_Master $(slave_field "$DEMO_REPLICA_PORT" Seconds_Behind_Master) after ${took} s," \
      "SQL thread state: $(slave_field "$DEMO_REPLICA_PORT" Slave_SQL_Running_State)"
  else
    say "warning: Seconds_Behind_Master is $(slave_field "$DEMO_REPLICA_PORT" Seconds_Behind_Master) after 15 s"
  fi
  expect "mysql_replication_lag_seconds{target=\"demo-replica\"} climbing one second per second, to about $secs s," \
    "  with mysql_replication_sql_running 1 and mysql_replication_broken 0 (lagging, not broken)" \
    "the \"replication lag\" alert: pending once the lag passes 30 s, firing after the rule's for: duration;" \
    "  it resolves only when the lag is below 5 s again (hysteresis), shortly after $until_ts" \
    "try: promtool query instant http://127.0.0.1:8080 'mysql_replication_lag_seconds'" \
    "undo at once: ./vigil chaos heal (the lock is released; the replica catches up in a second or two)"
}

# --- replication-broken --------------------------------------------------------------------------

replication_broken() {
  local sqlrun
  require_running "MariaDB primary" mariadb.sh "$DEMO_DIR/primary" "$DEMO_PRIMARY_PORT"
  require_running "MariaDB replica" mariadb.sh "$DEMO_DIR/replica" "$DEMO_REPLICA_PORT"
  if helper_alive replica-lag-lock; then
    die "replica-lag is in progress (the SQL thread is blocked on its lock): run ./vigil chaos heal first"
  fi
  sqlrun=$(slave_field "$DEMO_REPLICA_PORT" Slave_SQL_Running)
  [[ -n $sqlrun ]] || die "the demo replica (127.0.0.1:$DEMO_REPLICA_PORT) has no replication configured"
  if [[ $sqlrun != Yes ]]; then
    say "the replica's SQL thread is already stopped (Slave_SQL_Running: $sqlrun); nothing to do. ./vigil chaos heal restarts it"
    return 0
  fi
  sql "$DEMO_REPLICA_PORT" -e "STOP SLAVE SQL_THREAD" || die "STOP SLAVE SQL_THREAD failed on the replica"
  mkdir -p "$STATE"
  stamp >"$STATE/replication-broken"
  say "STOP SLAVE SQL_THREAD on the replica (127.0.0.1:$DEMO_REPLICA_PORT) at $(stamp); the primary's workload keeps writing"
  say "observed: Slave_IO_Running $(slave_field "$DEMO_REPLICA_PORT" Slave_IO_Running)," \
    "Slave_SQL_Running $(slave_field "$DEMO_REPLICA_PORT" Slave_SQL_Running)," \
    "Seconds_Behind_Master $(slave_field "$DEMO_REPLICA_PORT" Seconds_Behind_Master)"
  expect "mysql_replication_broken{target=\"demo-replica\"} 1 and mysql_replication_sql_running 0;" \
    "  no mysql_replication_lag_seconds sample at all (Seconds_Behind_Master is NULL): never a lag of 0" \
    "mysql_replication_gtid_behind growing as the primary's workload goes on" \
    "a severe \"replication broken\" alert for demo-replica" \
    "try: promtool query instant http://127.0.0.1:8080 'mysql_replication_broken'" \
    "undo: ./vigil chaos heal (START SLAVE; the replica catches up within a second)"
}

# --- redis-master-down ---------------------------------------------------------------------------

sentinel_moved_from() { local p; p=$(sentinel_master_port); [[ -n $p && $p != "$1" ]]; }

redis_master_down() {
  local d m_port m_dir other pid flags replicas took new_port
  require_running "Redis Sentinel" sentinel.sh "$DEMO_DIR/sentinel" "$DEMO_SENTINEL_PORT"
  for d in redis-master redis-replica; do
    if ! running redis.sh "$DEMO_DIR/$d"; then
      if [[ -f $STATE/redis-master-down ]]; then
        say "a Redis server is already down (chaos killed $(cat "$STATE/redis-master-down")); not killing the other one"
        say "Sentinel's master now: 127.0.0.1:$(sentinel_master_port). ./vigil chaos heal restarts the killed one"
        return 0
      fi
      require_running "Redis ($d)" redis.sh "$DEMO_DIR/$d" "$(redis_dir_port "$DEMO_DIR/$d")"
    fi
  done
  m_port=$(sentinel_master_port)
  [[ -n $m_port ]] || die "Sentinel (127.0.0.1:$DEMO_SENTINEL_PORT) names no master for $SENTINEL_MASTER"
  m_dir=$(redis_dir_of_port "$m_port") || die "Sentinel's master 127.0.0.1:$m_port is not one of the demo's Redis servers"
  flags=$(sentinel_master_field flags)
  replicas=$(sentinel_master_field num-slaves)
  [[ $flags == master ]] || die "Sentinel reports the master with flags '$flags' (a failover in progress?); try again shortly"
  [[ ${replicas:-0} -ge 1 ]] || die "Sentinel knows no replica to fail over to; try again in a few seconds"
  if [[ $m_dir == */redis-master ]]; then other=$DEMO_DIR/redis-replica; else other=$DEMO_DIR/redis-master; fi
  rcli "$(redis_dir_port "$other")" info replication | grep -qx 'master_link_status:up' ||
    die "the replica 127.0.0.1:$(redis_dir_port "$other") is not in sync with its master; try again in a few seconds"

  pid=$(svc_pid redis.sh "$m_dir")
  kill -9 "$pid"
  mkdir -p "$STATE"
  echo "127.0.0.1:$m_port ($(basename "$m_dir")) at $(stamp)" >"$STATE/redis-master-down"
  say "kill -9 the Redis master 127.0.0.1:$m_port (pid $pid, $m_dir) at $(stamp)"
  say "waiting for Sentinel (down-after-milliseconds 1000) to fail over…"
  if took=$(poll 30 sentinel_moved_from "$m_port"); then
    new_port=$(sentinel_master_port)
    say "observed: Sentinel promoted 127.0.0.1:$new_port after ${took} s; it reports role:$(rcli "$new_port" info replication |
      sed -n 's/^role://p')"
  else
    say "warning: Sentinel still names 127.0.0.1:$(sentinel_master_port) as master after 30 s"
  fi
  expect "up{target=\"$( [[ $m_dir == */redis-master ]] && echo demo-redis-master || echo demo-redis-replica)\"} 0 (the killed server)" \
    "from the Sentinel: redis_sentinel_master_ok 0 and redis_sentinel_failover_in_progress 1 for a second or two," \
    "  then the master label moves to 127.0.0.1:${new_port:-?}; redis_master 1 on the promoted server" \
    "a failover alert for cluster demo-redis (the master changed)" \
    "cluster demo-redis health red while no master answers, back to green once the replica is promoted" \
    "try: promtool query instant http://127.0.0.1:8080 'redis_sentinel_master_ok'" \
    "redis_commands_per_second moving to the promoted server: the demo's Redis workload follows Sentinel" \
    "undo: ./vigil chaos heal (the killed server comes back as a replica of the new master)"
}

# --- heal ----------------------------------------------------------------------------------------

slave_caught_up() {
  [[ $(slave_field "$DEMO_REPLICA_PORT" Slave_IO_Running) == Yes &&
     $(slave_field "$DEMO_REPLICA_PORT" Slave_SQL_Running) == Yes &&
     $(slave_field "$DEMO_REPLICA_PORT" Seconds_Behind_Master) == 0 ]]
}

heal_replication() {
  local delay io sqlrun took
  if ! running mariadb.sh "$DEMO_DIR/replica" || ! port_in_use "$DEMO_REPLICA_PORT"; then
    say "replication: the demo replica is not running; skipped"
    return 0
  fi
  sqlrun=$(slave_field "$DEMO_REPLICA_PORT" Slave_SQL_Running)
  [[ -n $sqlrun ]] || { say "replication: the replica has none configured; skipped"; return 0; }
  HEAL_CHECKED=1
  delay=$(slave_field "$DEMO_REPLICA_PORT" SQL_Delay)
  if [[ -n $delay && $delay != 0 ]]; then
    sql "$DEMO_REPLICA_PORT" -e "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = 0"
    say "replication: MASTER_DELAY was $delay s; set to 0"
  fi
  io=$(slave_field "$DEMO_REPLICA_PORT" Slave_IO_Running)
  sqlrun=$(slave_field "$DEMO_REPLICA_PORT" Slave_SQL_Running)
  if [[ $io != Yes || $sqlrun != Yes ]]; then
    sql "$DEMO_REPLICA_PORT" -e "START SLAVE"
    say "replication: START SLAVE (IO thread was $io, SQL thread $sqlrun)"
  fi
  # Seconds_Behind_Master can read 0 for a moment after START SLAVE: wait for the primary's position too.
  local start=$SECONDS pos
  if port_in_use "$DEMO_PRIMARY_PORT" && pos=$(sql "$DEMO_PRIMARY_PORT" -e "SELECT @@gtid_binlog_pos") && [[ -n $pos ]]; then
    [[ $(sql "$DEMO_REPLICA_PORT" -e "SELECT MASTER_GTID_WAIT('$pos', 60)") == 0 ]] ||
      say "replication: the replica did not reach the primary's position $pos within 60 s"
  fi
  if took=$(poll 60 slave_caught_up); then
    took=$((SECONDS - start))
    say "replication: caught up with the primary (GTID ${pos:-?}) after ${took} s:" \
      "Slave_IO_Running Yes, Slave_SQL_Running Yes, Seconds_Behind_Master 0"
  else
    say "replication: NOT healed after 60 s: IO $(slave_field "$DEMO_REPLICA_PORT" Slave_IO_Running)," \
      "SQL $(slave_field "$DEMO_REPLICA_PORT" Slave_SQL_Running), lag $(slave_field "$DEMO_REPLICA_PORT" Seconds_Behind_Master)," \
      "last SQL error: $(slave_field "$DEMO_REPLICA_PORT" Last_SQL_Error)"
    HEAL_FAILED=1
  fi
  rm -f "$STATE/replica-lag" "$STATE/replication-broken"
}

all_synced() {
  local n
  cluster_size_is "$(galera_port 1)" 3 || return 1
  for n in 1 2 3; do [[ $(status_var "$(galera_port "$n")" wsrep_local_state_comment) == Synced ]] || return 1; done
}

# recovered_position DIR: after a kill -9, grastate.dat says seqno -1 and the node would come back as
# 00000000-…:-1 and take a full SST. Like mysqld_safe, ask InnoDB for the last committed write set
# (mariadbd --wsrep-recover) and hand it over as wsrep_start_position: then the donor sends only the
# missing write sets (IST). Prints uuid:seqno, or nothing when the saved state is usable as it is.
recovered_position() {
  local dir=$1 seqno log=$1/wsrep-recover.log
  seqno=$(sed -n 's/^seqno: *//p' "$dir/data/grastate.dat" 2>/dev/null)
  [[ $seqno == -1 ]] || return 0
  : >"$log"
  if ((EUID == 0)); then chown mysql: "$log"; fi
  PATH=$PATH:/usr/sbin timeout 120 mariadbd --defaults-file="$dir/my.cnf" --wsrep-recover --log-error="$log" \
    >/dev/null 2>&1 || true
  sed -n 's/.*WSREP: Recovered position: *\([0-9a-f-]*:[0-9-]*\).*/\1/p' "$log" | tail -n 1
}

heal_galera() {
  local n peers=() dir3 log_lines transfer out pos new_log ist_line
  for n in 1 2; do
    if ! running galera.sh "$(galera_dir "$n")"; then
      say "galera: node $n is not running, so the demo cluster is not up (chaos only ever kills node 3); skipped"
      return 0
    fi
    peers+=("$(galera_gcomm "$n")")
  done
  HEAL_CHECKED=1
  dir3=$(galera_dir 3)
  if running galera.sh "$dir3"; then
    say "galera: node 3 is running"
  else
    [[ -f $dir3/my.cnf ]] || { say "galera: node 3 was never started in $dir3; skipped"; return 0; }
    local port gcomm ist sst
    port=$(cnf_get "$dir3" port)
    gcomm=$(cnf_get "$dir3" wsrep_node_address); gcomm=${gcomm##*:}
    ist=$(sed -n 's/.*ist\.recv_addr=[^:;]*:\([0-9]*\).*/\1/p' "$dir3/my.cnf" | tail -n 1)
    sst=$(cnf_get "$dir3" wsrep_sst_receive_address); sst=${sst##*:}
    pos=$(recovered_position "$dir3")
    [[ -n $pos ]] && say "galera: node 3 was killed; InnoDB recovery says its last write set is $pos"
    log_lines=$(wc -l <"$dir3/error.log" 2>/dev/null || echo 0)
    say "galera: restarting node 3 on 127.0.0.1:$port, joining $(IFS=,; echo "${peers[*]}") (its datadir is kept)…"
    out=$(if [[ -n $pos ]]; then echo "wsrep_start_position=$pos"; fi |
      "$TB/galera.sh" start "$dir3" "$port" "$gcomm" "$ist" "$sst" 3 "$(IFS=,; echo "${peers[*]}")" 2>&1) || {
      printf '%s\n' "$out" | tail -n 20 >&2
      say "galera: node 3 did NOT start; see $dir3/error.log"
      HEAL_FAILED=1
      return 0
    }
    new_log=$(tail -n +"$((log_lines + 1))" "$dir3/error.log")
    # rsync logs "SST received" for an IST too; the joiner's local state tells them apart.
    if grep -q 'Local state: 00000000-0000-0000-0000-000000000000:-1' <<<"$new_log"; then
      transfer="by a full state transfer (SST): its position was lost"
    elif ist_line=$(grep -o 'Receiving IST: [0-9]* writesets, seqnos [0-9-]*' <<<"$new_log" | tail -n 1) && [[ -n $ist_line ]]; then
      transfer="through IST (${ist_line#Receiving IST: })"
    else
      transfer="without a state transfer"
    fi
    say "galera: node 3 is Synced again, caught up $transfer"
  fi
  if poll 30 all_synced >/dev/null; then
    say "galera: wsrep_cluster_size 3, nodes 1-3 Synced"
  else
    say "galera: NOT healed: node 1 sees wsrep_cluster_size $(status_var "$(galera_port 1)" wsrep_cluster_size)"
    HEAL_FAILED=1
  fi
  rm -f "$STATE/galera-node-down"
}

sentinel_sees_replica() {
  rcli "$DEMO_SENTINEL_PORT" sentinel replicas "$SENTINEL_MASTER" | paste - - | awk -F'\t' -v addr="127.0.0.1:$1" '
    $1 == "name" { name = $2 } $1 == "flags" { flags[name] = $2 } $1 == "master-link-status" { link[name] = $2 }
    END { exit !(flags[addr] == "slave" && link[addr] == "ok") }'
}

heal_redis() {
  local d port m_port out
  if ! running sentinel.sh "$DEMO_DIR/sentinel"; then
    say "redis: the demo Sentinel is not running; skipped"
    return 0
  fi
  HEAL_CHECKED=1
  for d in "$DEMO_DIR/redis-master" "$DEMO_DIR/redis-replica"; do
    [[ -f $d/redis.conf ]] || continue
    running redis.sh "$d" && continue
    port=$(redis_dir_port "$d")
    # Sentinel needs a moment to promote the other one if the kill was only just now.
    poll 15 sentinel_moved_from "$port" >/dev/null || true
    m_port=$(sentinel_master_port)
    if [[ -z $m_port || $m_port == "$port" ]]; then
      say "redis: Sentinel still names 127.0.0.1:$port as master; restarting it as a master"
      out=$("$TB/redis.sh" start "$d" "$port" </dev/null 2>&1) || { printf '%s\n' "$out" >&2; HEAL_FAILED=1; continue; }
    else
      say "redis: restarting 127.0.0.1:$port as a replica of the current master 127.0.0.1:$m_port…"
      out=$("$TB/redis.sh" start "$d" "$port" "$m_port" </dev/null 2>&1) || { printf '%s\n' "$out" >&2; HEAL_FAILED=1; continue; }
      if poll 30 sentinel_sees_replica "$port" >/dev/null; then
        say "redis: Sentinel lists 127.0.0.1:$port as a replica of 127.0.0.1:$m_port, link ok"
      else
        say "redis: Sentinel does not list 127.0.0.1:$port as a healthy replica after 30 s"
        HEAL_FAILED=1
      fi
    fi
  done
  say "redis: Sentinel's master 127.0.0.1:$(sentinel_master_port) (flags $(sentinel_master_field flags)," \
    "$(sentinel_master_field num-slaves) replica(s))"
  rm -f "$STATE/redis-master-down"
}

heal() {
  [[ -d $DEMO_DIR ]] || die "no demo in $DEMO_DIR: nothing to heal"
  mkdir -p "$STATE"
  HEAL_FAILED=0 HEAL_CHECKED=0
  stop_helpers
  heal_replication
  heal_galera
  heal_redis
  if ((HEAL_FAILED)); then
    say "heal did not finish everything (see above)"
    exit 1
  fi
  if ((!HEAL_CHECKED)); then
    say "the demo fleet is not running; nothing else to heal"
    return 0
  fi
  expect "galera_cluster_size 3 on every node, cluster demo-galera green; \"Galera cluster degraded\" resolves" \
    "mysql_replication_broken 0, mysql_replication_lag_seconds back to 0; \"replication broken\" resolves at once," \
    "  \"replication lag\" once the lag is below 5 s" \
    "every Redis target up again, redis_sentinel_master_ok 1, cluster demo-redis green" \
    "  (a Redis server chaos killed comes back as a replica: master and replica stay swapped until the next failover)"
}

# --- status --------------------------------------------------------------------------------------

show_status() {
  local n port d p
  [[ -d $DEMO_DIR ]] || die "no demo in $DEMO_DIR"
  for n in 1 2 3; do
    port=$(galera_port "$n")
    if running galera.sh "$(galera_dir "$n")"; then
      echo "galera node $n  127.0.0.1:$port  size $(status_var "$port" wsrep_cluster_size)" \
        "$(status_var "$port" wsrep_cluster_status) $(status_var "$port" wsrep_local_state_comment)"
    else
      echo "galera node $n  127.0.0.1:$port  DOWN"
    fi
  done
  if running mariadb.sh "$DEMO_DIR/replica"; then
    echo "replica         127.0.0.1:$DEMO_REPLICA_PORT  IO $(slave_field "$DEMO_REPLICA_PORT" Slave_IO_Running)" \
      "SQL $(slave_field "$DEMO_REPLICA_PORT" Slave_SQL_Running) lag $(slave_field "$DEMO_REPLICA_PORT" Seconds_Behind_Master)" \
      "delay $(slave_field "$DEMO_REPLICA_PORT" SQL_Delay)"
  else
    echo "replica         127.0.0.1:$DEMO_REPLICA_PORT  DOWN"
  fi
  for d in redis-master redis-replica; do
    p=$(redis_dir_port "$DEMO_DIR/$d")
    if running redis.sh "$DEMO_DIR/$d"; then
      echo "redis ($d)  127.0.0.1:$p  role:$(rcli "$p" info replication | sed -n 's/^role://p')"
    else
      echo "redis ($d)  127.0.0.1:${p:-?}  DOWN"
    fi
  done
  if running sentinel.sh "$DEMO_DIR/sentinel"; then
    echo "sentinel        127.0.0.1:$DEMO_SENTINEL_PORT  master 127.0.0.1:$(sentinel_master_port) flags $(sentinel_master_field flags)"
  else
    echo "sentinel        DOWN"
  fi
  for p in replica-lag-lock replica-lag-writer; do
    helper_alive "$p" && echo "helper $p running (pid $(read_pid "$STATE/$p.pid"))"
  done
  return 0
}

main() {
  (($#)) || usage 2
  local cmd=$1; shift
  case $cmd in
    replica-lag) (($# <= 1)) || usage 2 ;;
    -h|--help|help) usage 0 ;;
    *) (($# == 0)) || usage 2 ;;
  esac
  if [[ -d $DEMO_DIR ]]; then mkdir -p "$STATE"; fi
  case $cmd in
    galera-node-down) galera_node_down ;;
    replica-lag) replica_lag "$@" ;;
    replication-broken) replication_broken ;;
    redis-master-down) redis_master_down ;;
    heal) heal ;;
    status) show_status ;;
    stop-helpers) [[ -d $STATE ]] && stop_helpers; true ;;
    *) printf 'chaos: unknown scenario %s\n\n' "$cmd" >&2; usage 2 ;;
  esac
}

main "$@"
