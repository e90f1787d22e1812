#!/usr/bin/env bash
# A one-node Slurm cluster on loopback, for the sweep tests and for trying `spsn sweep --backend
# slurm` without a cluster. No systemd, no munge, no database: Debian's slurm-wlm daemons run in
# the foreground with their state, spool and logs under one folder.
#
#   tools/slurm-local.sh start   write slurm.conf, start slurmctld and slurmd, wait until the node is idle
#   tools/slurm-local.sh stop    stop both daemons (by the pids saved at start)
#   tools/slurm-local.sh env     print `export SLURM_CONF=...` for sbatch, squeue, scancel (eval it)
#
# SLURM_LOCAL_DIR chooses the folder (default /tmp/spsn-slurm-<user>). The ports are fixed (6817,
# 6818), so only one such cluster runs on a machine at a time.
set -euo pipefail
# the daemons live in sbin, which a user's PATH may lack
export PATH="$PATH:/usr/sbin:/sbin"

DIR="${SLURM_LOCAL_DIR:-/tmp/spsn-slurm-$(id -un)}"
CONF="$DIR/slurm.conf"
NODE="$(hostname -s)"

die() {
  echo "slurm-local: $*" >&2
  exit 1
}

alive() {
  [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

write_conf() {
  local cpus mem_mib user
  cpus="$(nproc)"
  # slurmd refuses a node that claims more memory than it has: leave some for the system.
  mem_mib="$(awk '/MemTotal/ {printf "%d", $2 / 1024 * 0.9}' /proc/meminfo)"
  user="$(id -un)"
  mkdir -p "$DIR/state" "$DIR/spool" "$DIR/log"
  cat > "$CONF" <<EOF
ClusterName=spsnlocal
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=$user
SlurmdUser=$user
SlurmctldPort=6817
SlurmdPort=6818
AuthType=auth/none
CredType=cred/none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
ReturnToService=2
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid.daemon
SlurmdPidFile=$DIR/slurmd.pid.daemon
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
# SIGTERM first, SIGKILL this many seconds later: time for a run to save its checkpoint.
KillWait=30
MinJobAge=300
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
InactiveLimit=0
Waittime=0
# a job without --mem gets its share of the node, not all of it
DefMemPerCPU=$((mem_mib / cpus))
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mib State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
}

start() {
  command -v slurmctld >/dev/null || die "slurmctld not found; install Debian's slurm-wlm (apt-get install slurm-wlm)"
  if alive "$DIR/slurmctld.pid" || alive "$DIR/slurmd.pid"; then
    die "already running in $DIR; stop it first: $0 stop"
  fi
  # a fresh cluster: no jobs of an earlier one in this folder
  rm -rf "$DIR/state" "$DIR/spool"
  write_conf
  slurmctld -D -c -i -f "$CONF" >> "$DIR/log/slurmctld.out" 2>&1 &
  echo $! > "$DIR/slurmctld.pid"
  slurmd -D -f "$CONF" >> "$DIR/log/slurmd.out" 2>&1 &
  echo $! > "$DIR/slurmd.pid"
  local state=""
  for _ in $(seq 1 60); do
    alive "$DIR/slurmctld.pid" || die "slurmctld exited; see $DIR/log/slurmctld.log"
    alive "$DIR/slurmd.pid" || die "slurmd exited; see $DIR/log/slurmd.log"
    # sinfo blocks while the controller is not up yet
    state="$(SLURM_CONF="$CONF" timeout 5 sinfo -h -n "$NODE" -o %t 2>/dev/null || true)"
    if [[ "$state" == idle* ]]; then
      echo "slurm-local: node $NODE idle; SLURM_CONF=$CONF"
      return 0
    fi
    sleep 0.5
  done
  stop || true
  die "node $NODE not idle after 30 s (state '$state'); see $DIR/log/"
}

stop_one() {
  local pidfile="$1" pid
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    # a slurmd whose controller is gone does not exit on SIGTERM: SIGKILL after a few seconds
    for _ in $(seq 1 20); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

stop() {
  # cancel what still runs, so that no job step outlives the cluster
  if alive "$DIR/slurmctld.pid"; then
    SLURM_CONF="$CONF" timeout 10 scancel -u "$(id -un)" 2>/dev/null || true
    for _ in $(seq 1 40); do
      [[ -z "$(SLURM_CONF="$CONF" timeout 5 squeue -h -u "$(id -un)" 2>/dev/null || echo busy)" ]] && break
      sleep 0.5
    done
  fi
  stop_one "$DIR/slurmctld.pid"
  stop_one "$DIR/slurmd.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) echo "export SLURM_CONF=$CONF" ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
