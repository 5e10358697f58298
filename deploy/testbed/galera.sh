#!/usr/bin/env bash
# One node of a MariaDB Galera cluster on 127.0.0.1, built on mariadb.sh (testbed.md section 2c).
#
#   galera.sh start DIR PORT GCOMM_PORT IST_PORT SST_PORT NODE PEERS
#       PEERS: comma-separated host:port gcomm addresses of running members to join, or "new" to
#       bootstrap a new cluster (an empty gcomm:// address). READY once the node reports Synced.
#   galera.sh stop DIR      graceful shutdown (the others see the cluster shrink at once)
#   galera.sh status DIR
#
# Extra [mariadbd] lines on stdin are passed on after the wsrep settings. Node n is wsrep_node_name gn
# and server_id n. State transfer is rsync (about 4 s on loopback; mariabackup would sleep 10 s more).
set -euo pipefail
TB_SERVICE=galera
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MARIADB_SH="$(dirname "${BASH_SOURCE[0]}")/mariadb.sh"
SYNC_TIMEOUT=90
GALERA_LIB=${GALERA_LIB:-/usr/lib/galera/libgalera_smm.so}

usage() { usage_error "usage: $0 start DIR PORT GCOMM_PORT IST_PORT SST_PORT NODE PEERS|new | stop DIR | status DIR"; }

running_pid() {
  local pid
  pid=$(read_pid "$DIR/mariadbd.pid")
  [[ -n $pid ]] && pid_is_ours "$pid" "$DIR/my.cnf" && echo "$pid"
}

running_port() { sed -n 's/^port=//p' "$DIR/my.cnf" 2>/dev/null | tail -n 1; }

local_state() {
  mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$1" -uroot --connect-timeout=2 -N -B \
    -e "SHOW GLOBAL STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2
}

is_synced() { [[ $(local_state "$1") == Synced ]]; }

cmd_start() {
  local port=$1 gcomm=$2 ist=$3 sst=$4 node=$5 peers=$6 address extra ready
  [[ $node =~ ^[0-9]+$ ]] || usage_error "NODE must be a number, got '$node'"
  [[ -r $GALERA_LIB ]] || die "no Galera provider at $GALERA_LIB (apt-get install galera-4)"
  command -v rsync >/dev/null || die "rsync not found: the rsync state transfer needs it (apt-get install rsync)"
  if ! running_pid >/dev/null; then
    # mariadb.sh checks the SQL port; the cluster's own ports are ours to check.
    require_free_port "$gcomm" "$ist" "$sst"
  fi
  if [[ $peers == new ]]; then
    # An empty address bootstraps a new cluster, like --wsrep-new-cluster, but lives in the cnf.
    address=gcomm://
  else
    [[ $peers =~ ^[0-9A-Za-z.:,_-]+$ ]] || usage_error "PEERS must be host:port[,host:port...] or 'new', got '$peers'"
    address="gcomm://$peers,127.0.0.1:$gcomm"
  fi
  extra=$(stdin_config)
  mkdir -p "$DIR"
  ready=$({
    cat <<CNF
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
wsrep_on=ON
wsrep_provider=$GALERA_LIB
wsrep_cluster_name=testbed
wsrep_cluster_address=$address
wsrep_node_name=g$node
wsrep_node_address=127.0.0.1:$gcomm
wsrep_node_incoming_address=127.0.0.1:$port
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$gcomm;ist.recv_addr=127.0.0.1:$ist;gcache.size=64M"
wsrep_sst_receive_address=127.0.0.1:$sst
wsrep_sst_method=rsync
CNF
    if [[ -n $extra ]]; then printf '%s\n' "$extra"; fi
  } | bash "$MARIADB_SH" start "$DIR" "$port" "$node") || exit $?
  port=$(running_port)
  WAIT_PID=$(running_pid) || die "mariadb.sh reported READY but no server runs in $DIR"
  # A joiner answers queries before it has caught up; only Synced means a full member.
  wait_until "$SYNC_TIMEOUT" "$DIR/error.log" "wsrep_local_state_comment Synced on 127.0.0.1:$port" is_synced "$port"
  echo "READY galera 127.0.0.1:$port gcomm=127.0.0.1:$gcomm pid=$WAIT_PID ${ready#READY mariadb 127.0.0.1:$port }"
}

cmd_stop() { bash "$MARIADB_SH" stop "$DIR"; }

tb_main 6 "$@"
