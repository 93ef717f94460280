# Shared by slurm-up, slurm-down, sge-up and sge-down: where the single-node schedulers keep their
# state, and how their daemons are started and stopped without systemd (by pid file).
# Sourced, not run.

SCHED_STATE=${WORKER_NODE_SCHED_STATE:-/var/tmp/worker-node-schedulers}
SCHED_HOST=$(hostname -s)

sched_say() { echo "${0##*/}: $*" >&2; }
sched_fail() { sched_say "$*"; exit 1; }

# Installs the Debian packages not yet installed; quick (one dpkg-query) when all are.
sched_install() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  [[ $(id -u) -eq 0 ]] || sched_fail "needs root to install ${missing[*]}"
  sched_say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # apt-get update only when the package lists do not know a package yet.
  if ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then
    apt-get -o DPkg::Lock::Timeout=900 update -qq >/dev/null
  fi
  apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# True when the pid in file $1 is a live process.
sched_alive() { [[ -s $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Waits up to $1 seconds for the command after it to succeed.
sched_wait() {
  local seconds=$1; shift
  local until=$((SECONDS + seconds))
  while ! "$@" >/dev/null 2>&1; do
    ((SECONDS < until)) || return 1
    sleep 0.2
  done
}

# Stops the daemon whose pid is in file $1 (TERM, then KILL after $2 s, default 10) and removes the file.
sched_stop() {
  local file=$1 grace=${2:-10} pid
  [[ -s $file ]] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local until=$((SECONDS + grace))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < until)); do sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

# Memory cgroup v1 mounted (this VM: hybrid, v1 controllers plus an empty unified tree)?
sched_cgroup_v1_memory() { [[ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ]]; }
# Pure cgroup v2 with the memory controller available?
sched_cgroup_v2_memory() { [[ -f /sys/fs/cgroup/cgroup.controllers ]] && grep -qw memory /sys/fs/cgroup/cgroup.controllers; }
