# shellcheck shell=bash
# The demo fleet of `./vigil demo`: one service of every kind Vigil monitors, each with a light
# workload, all on loopback. Sourced by the launcher, which provides say, die, start_service
# (which records what it started, for Ctrl-C) and DEMO_DIR; the services themselves are started by
# the same deploy/testbed scripts the tests use.

DEMO_MARIADB_PORT=${VIGIL_DEMO_MARIADB_PORT:-33061}
DEMO_PRIMARY_PORT=${VIGIL_DEMO_PRIMARY_PORT:-33071}
DEMO_REPLICA_PORT=${VIGIL_DEMO_REPLICA_PORT:-33072}
# Galera node n listens on SQL 3308n, gcomm 4567n, IST 4568n and SST 4569n.
DEMO_GALERA_SQL_BASE=${VIGIL_DEMO_GALERA_SQL_BASE:-33080}
DEMO_REDIS_PORT=${VIGIL_DEMO_REDIS_PORT:-16379}
DEMO_REDIS_REPLICA_PORT=${VIGIL_DEMO_REDIS_REPLICA_PORT:-16380}
DEMO_SENTINEL_PORT=${VIGIL_DEMO_SENTINEL_PORT:-26379}

WORKLOAD_PIDS=()

# The demo servers log slow queries: every statement qualifies (long_query_time=0), and one in 20 is written,
# so the shipper and slow-query search have a steady trickle (about 20 entries a second) without a huge file.
DEMO_SLOW_LOG=$'long_query_time=0\nlog_slow_rate_limit=20\n'

# The monitoring user every demo MariaDB gets; its password lives in a 0600 file, not in the config.
demo_secret() {
  local file="$DEMO_DIR/mariadb-vigil.password"
  if [[ ! -s $file ]]; then
    (umask 077; head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$file")
  fi
  cat "$file"
}

mdb() { local port=$1; shift; mariadb -h127.0.0.1 -P"$port" -uroot "$@"; }

create_demo_users() {
  local port=$1 pw
  pw=$(demo_secret)
  mdb "$port" -e "CREATE USER IF NOT EXISTS 'vigil'@'%' IDENTIFIED BY '$pw';
    ALTER USER 'vigil'@'%' IDENTIFIED BY '$pw';
    GRANT PROCESS, REPLICATION CLIENT, SLAVE MONITOR, SELECT ON *.* TO 'vigil'@'%';
    CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'apppw'; GRANT ALL ON sbtest.* TO 'app'@'%';
    CREATE DATABASE IF NOT EXISTS sbtest;" || die "cannot create the demo users on the MariaDB at port $port"
}

# start_workload NAME PORT SYSBENCH_TEST TABLES RATE: prepares once, then runs in the background at RATE tps.
start_workload() {
  local name=$1 port=$2 test=$3 tables=$4 rate=$5
  local sb=(sysbench "$test" --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$port"
    --mysql-user=app --mysql-password=apppw --mysql-db=sbtest --tables="$tables" --table-size=10000)
  if ! mdb "$port" -Nse "select count(*) from information_schema.tables where table_schema='sbtest'" | grep -qx "$tables"; then
    say "preparing the $name workload (sysbench, once)…"
    mdb "$port" -e "DROP DATABASE IF EXISTS sbtest; CREATE DATABASE sbtest"
    "${sb[@]}" prepare > "$DEMO_DIR/sysbench-$name-prepare.log" 2>&1 ||
      die "sysbench prepare on $name failed; see $DEMO_DIR/sysbench-$name-prepare.log"
  fi
  "${sb[@]}" --threads=1 --rate="$rate" --time=0 --report-interval=0 run > "$DEMO_DIR/workload-$name.log" 2>&1 &
  WORKLOAD_PIDS+=($!)
}

start_standalone() {
  CONFIG="$DEMO_SLOW_LOG" start_service MariaDB mariadb.sh "$DEMO_DIR/mariadb" "$DEMO_MARIADB_PORT" 1
  create_demo_users "$DEMO_MARIADB_PORT"
  # About 20 transactions a second: the graphs move without eating the machine.
  start_workload standalone "$DEMO_MARIADB_PORT" oltp_read_write 2 20
}

start_replication() {
  local binlog=$'log_bin=mysql-bin\nbinlog_format=ROW\ngtid_strict_mode=ON\nlog_slave_updates=ON\n'
  CONFIG="$binlog$DEMO_SLOW_LOG" start_service "MariaDB primary" mariadb.sh "$DEMO_DIR/primary" "$DEMO_PRIMARY_PORT" 71
  CONFIG="$binlog"$'read_only=ON\nrelay_log=relay-bin\n' \
    start_service "MariaDB replica" mariadb.sh "$DEMO_DIR/replica" "$DEMO_REPLICA_PORT" 72
  mdb "$DEMO_PRIMARY_PORT" -e "CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY 'replpw';
    GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'" || die "cannot create the replication user"
  # A replica remembers its primary across restarts; set it up only the first time.
  if [[ -z $(mdb "$DEMO_REPLICA_PORT" -Nse "SHOW SLAVE STATUS") ]]; then
    mdb "$DEMO_REPLICA_PORT" -e "SET GLOBAL gtid_slave_pos=''; CHANGE MASTER TO MASTER_HOST='127.0.0.1',
      MASTER_PORT=$DEMO_PRIMARY_PORT, MASTER_USER='repl', MASTER_PASSWORD='replpw', MASTER_USE_GTID=slave_pos,
      MASTER_CONNECT_RETRY=1; START SLAVE" || die "cannot start replication on the demo replica"
  fi
  create_demo_users "$DEMO_PRIMARY_PORT"
  start_workload primary "$DEMO_PRIMARY_PORT" oltp_write_only 1 5
}

start_galera() {
  local n dir peers=() port
  for n in 1 2 3; do
    dir="$DEMO_DIR/galera-$n"
    port=$((DEMO_GALERA_SQL_BASE + n))
    if ((n == 1)) && ! "$TB/galera.sh" status "$dir" >/dev/null 2>&1; then
      # The launcher stops the nodes 3, 2, 1, so node 1 holds the newest state and may bootstrap.
      [[ -f $dir/data/grastate.dat ]] && sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$dir/data/grastate.dat"
    fi
    local peer_list=new
    ((${#peers[@]})) && peer_list=$(IFS=,; echo "${peers[*]}")
    start_service "Galera node $n" galera.sh "$dir" "$port" $((45670 + n)) $((45680 + n)) $((45690 + n)) "$n" "$peer_list"
    peers+=("127.0.0.1:$((45670 + n))")
  done
  create_demo_users $((DEMO_GALERA_SQL_BASE + 1))
  start_workload galera $((DEMO_GALERA_SQL_BASE + 1)) oltp_read_write 1 5
}

start_redis() {
  start_service "Redis master" redis.sh "$DEMO_DIR/redis-master" "$DEMO_REDIS_PORT"
  start_service "Redis replica" redis.sh "$DEMO_DIR/redis-replica" "$DEMO_REDIS_REPLICA_PORT" "$DEMO_REDIS_PORT"
  start_service "Redis Sentinel" sentinel.sh "$DEMO_DIR/sentinel" "$DEMO_SENTINEL_PORT" "$DEMO_REDIS_PORT"
  # A few writes and reads a second, some of them misses, so the hit ratio has something to say. Like a
  # Sentinel-aware client it asks Sentinel for the master every second, so it follows a failover
  # (./vigil chaos redis-master-down), and a failed command does not end it (the subshell inherits set -e).
  (master=$DEMO_REDIS_PORT n=0
   while sleep 0.2; do
     if ((n++ % 5 == 0)); then
       master=$(redis-cli -p "$DEMO_SENTINEL_PORT" sentinel get-master-addr-by-name mymaster 2>/dev/null | sed -n 2p) || true
       master=${master:-$DEMO_REDIS_PORT}
     fi
     redis-cli -p "$master" SET "demo:$((RANDOM % 500))" "$RANDOM" >/dev/null 2>&1 || true
     redis-cli -p "$master" GET "demo:$((RANDOM % 1000))" >/dev/null 2>&1 || true
   done) &
  WORKLOAD_PIDS+=($!)
}

# A "container" as Docker's systemd driver names it, made of cgroups (root only): limited to 0.3 CPU and
# 192 MiB, running a load that keeps it at its CPU limit and breathes between 40 and 120 MiB, so the
# container metrics (and the CPU-throttled rule) have something to show. The memory group goes under this
# shell's own memory cgroup (see the test-bed notes, section 9).
DEMO_CONTAINER_ID=5eed0f7a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6
DEMO_CGROUPS=()
start_container() {
  local root=/sys/fs/cgroup scope="docker-$DEMO_CONTAINER_ID.scope" own h dir
  if ((EUID != 0)) || [[ ! -w $root/cpuacct || ! -w $root/memory ]]; then
    say "no cgroup container in this demo (it needs root and writable cgroup v1 cpu, cpuacct and memory)"
    return 0
  fi
  # A load left behind by a killed demo still runs in the group: end it first.
  if [[ -r $root/cpuacct/vigil-demo/$scope/cgroup.procs ]]; then
    xargs -r kill < "$root/cpuacct/vigil-demo/$scope/cgroup.procs" 2>/dev/null || true
  fi
  own=$(awk -F: '$2 == "memory" {print $3}' /proc/self/cgroup)
  for h in cpu cpuacct memory blkio; do
    [[ -d $root/$h ]] || continue
    dir=$root/$h/vigil-demo/$scope
    [[ $h == memory ]] && dir=$root/memory${own%/}/vigil-demo/$scope
    mkdir -p "$dir" && DEMO_CGROUPS+=("$dir")
  done
  echo 100000 > "$root/cpu/vigil-demo/$scope/cpu.cfs_period_us"
  echo 30000 > "$root/cpu/vigil-demo/$scope/cpu.cfs_quota_us"
  echo $((192 << 20)) > "$root/memory${own%/}/vigil-demo/$scope/memory.limit_in_bytes"
  python3 -c '
import time
time.sleep(1)
chunks, t = [], 0
while True:
    want = 4 + (t % 60) // 8      # 40 → 110 MiB and back, every minute
    del chunks[want:]
    while len(chunks) < want:
        chunks.append(bytearray(10 << 20))
    end = time.time() + 1
    while time.time() < end:
        sum(i * i for i in range(20000))
    t += 1
' > "$DEMO_DIR/container-load.log" 2>&1 &
  local pid=$!
  WORKLOAD_PIDS+=("$pid")
  for dir in "${DEMO_CGROUPS[@]}"; do echo "$pid" > "$dir/cgroup.procs"; done
  say "container ${DEMO_CONTAINER_ID:0:12} (cgroups, 0.3 CPU, 192 MiB) running a load"
}

stop_container() {
  local dir
  for dir in "${DEMO_CGROUPS[@]}"; do
    rmdir "$dir" "$(dirname "$dir")" 2>/dev/null || true
  done
  DEMO_CGROUPS=()
}

# For ./vigil stop after a killed demo: ends the container's load and removes its groups.
stop_container_leftovers() {
  local root=/sys/fs/cgroup scope="docker-$DEMO_CONTAINER_ID.scope" own dir
  own=$(awk -F: '$2 == "memory" {print $3}' /proc/self/cgroup)
  for dir in "$root/cpu/vigil-demo/$scope" "$root/cpuacct/vigil-demo/$scope" "$root/memory${own%/}/vigil-demo/$scope" \
      "$root/blkio/vigil-demo/$scope"; do
    [[ -d $dir ]] || continue
    xargs -r kill < "$dir/cgroup.procs" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$dir" 2>/dev/null && break; sleep 0.2; done
    rmdir "$(dirname "$dir")" 2>/dev/null || true
  done
}

start_demo_fleet() {
  start_standalone
  start_replication
  start_galera
  start_redis
  start_container
}

stop_workloads() {
  local pid
  for pid in "${WORKLOAD_PIDS[@]}"; do
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  WORKLOAD_PIDS=()
  stop_container
}

write_targets() {
  local pwfile="$DEMO_DIR/mariadb-vigil.password"
  cat > "$DEMO_DIR/targets.yaml" <<YAML
# Targets of the demo fleet; see README.md ("Targets") for every field.
defaults: {interval: 5s, timeout: 3s}
targets:
  - {id: demo-mariadb-1, kind: mysql, address: 127.0.0.1:$DEMO_MARIADB_PORT, cluster: demo, user: vigil,
     password_file: $pwfile, labels: {service: demo, team: dba}}
  - {id: demo-primary, kind: mysql, address: 127.0.0.1:$DEMO_PRIMARY_PORT, cluster: demo-repl, user: vigil,
     password_file: $pwfile, labels: {service: orders, role: primary}}
  - {id: demo-replica, kind: mysql, address: 127.0.0.1:$DEMO_REPLICA_PORT, cluster: demo-repl, user: vigil,
     password_file: $pwfile, labels: {service: orders, role: replica}}
  - {id: demo-galera-1, kind: mysql, address: 127.0.0.1:$((DEMO_GALERA_SQL_BASE + 1)), cluster: demo-galera, user: vigil,
     password_file: $pwfile, labels: {service: payments}}
  - {id: demo-galera-2, kind: mysql, address: 127.0.0.1:$((DEMO_GALERA_SQL_BASE + 2)), cluster: demo-galera, user: vigil,
     password_file: $pwfile, labels: {service: payments}}
  - {id: demo-galera-3, kind: mysql, address: 127.0.0.1:$((DEMO_GALERA_SQL_BASE + 3)), cluster: demo-galera, user: vigil,
     password_file: $pwfile, labels: {service: payments}}
  - {id: demo-redis-master, kind: redis, address: 127.0.0.1:$DEMO_REDIS_PORT, cluster: demo-redis, labels: {service: cache}}
  - {id: demo-redis-replica, kind: redis, address: 127.0.0.1:$DEMO_REDIS_REPLICA_PORT, cluster: demo-redis, labels: {service: cache}}
  - {id: demo-sentinel, kind: redis_sentinel, address: 127.0.0.1:$DEMO_SENTINEL_PORT, cluster: demo-redis, labels: {service: cache}}
YAML
  if ((${#DEMO_CGROUPS[@]})); then
    echo "  - {id: demo-containers, kind: containers, address: /sys/fs/cgroup, cluster: demo-host, labels: {service: batch}}" \
      >> "$DEMO_DIR/targets.yaml"
  fi
}

# What the demo's log shipper follows (README.md, "Log shipping"): the slow and error logs of the demo's MariaDB
# servers, and the statement digests of the standalone one.
write_log_sources() {
  local n
  {
    echo "# Written by ./vigil demo; see README.md (\"Log shipping\") for every field."
    echo "files:"
    echo "  - {path: $DEMO_DIR/mariadb/slow.log, kind: slow, instance: 127.0.0.1:$DEMO_MARIADB_PORT, cluster: demo}"
    echo "  - {path: $DEMO_DIR/mariadb/error.log, kind: error, instance: 127.0.0.1:$DEMO_MARIADB_PORT, cluster: demo}"
    echo "  - {path: $DEMO_DIR/primary/slow.log, kind: slow, instance: 127.0.0.1:$DEMO_PRIMARY_PORT, cluster: demo-repl}"
    echo "  - {path: $DEMO_DIR/primary/error.log, kind: error, instance: 127.0.0.1:$DEMO_PRIMARY_PORT, cluster: demo-repl}"
    echo "  - {path: $DEMO_DIR/replica/error.log, kind: error, instance: 127.0.0.1:$DEMO_REPLICA_PORT, cluster: demo-repl}"
    for n in 1 2 3; do
      echo "  - {path: $DEMO_DIR/galera-$n/error.log, kind: error, instance: 127.0.0.1:$((DEMO_GALERA_SQL_BASE + n)), cluster: demo-galera}"
    done
    echo "digests:"
    echo "  - {target: demo-mariadb-1, interval: 30s}"
  } > "$DEMO_DIR/logs.yaml"
}
