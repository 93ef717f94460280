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

# True when process $1 runs: not gone, not a zombie (a daemon killed here stays one until init reaps it,
# and kill -0 still reaches a zombie).
sched_running() { [[ -r /proc/$1/stat ]] && [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]]; }

# True when the pid in file $1 is a live process.
sched_alive() { [[ -s $1 ]] && sched_running "$(cat "$1")"; }

# The pids of the running (not zombie) processes named exactly $1.
sched_pids() {
  local pid
  for pid in $(pgrep -x "$1" || true); do sched_running "$pid" && echo "$pid"; done
  return 0
}

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
  if sched_running "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    local until=$((SECONDS + grace))
    while sched_running "$pid" && ((SECONDS < until)); do sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

# A daemon named $1 that runs without a live pid file $2 (a manual run, a killed script): when the check
# after them succeeds (it answers as ours would), it is adopted (its pid goes into $2, so the -down script
# stops it); otherwise it is stopped (TERM, then KILL after 10 s), so that ours can take its socket, port or
# pid file. Nothing to do when the pid file is live or no such process runs.
sched_take_over() {
  local name=$1 file=$2 pids pid
  shift 2
  sched_alive "$file" && return 0
  pids=$(sched_pids "$name")
  [[ -n $pids ]] || return 0
  if (($# > 0)) && [[ $(wc -w <<<"$pids") -eq 1 ]] && "$@" >/dev/null 2>&1; then
    sched_say "adopting the $name already running (pid $pids): it answers as ours would"
    mkdir -p "$(dirname "$file")"
    echo "$pids" >"$file"
    return 0
  fi
  sched_say "stopping a stale $name (pid $(echo $pids)) that runs without $file"
  for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
  local until=$((SECONDS + 10))
  while ((SECONDS < until)) && [[ -n $(sched_pids "$name") ]]; do sleep 0.2; done
  for pid in $(sched_pids "$name"); do kill -KILL "$pid" 2>/dev/null || true; done
  until=$((SECONDS + 5))
  while [[ -n $(sched_pids "$name") ]]; do
    ((SECONDS < until)) || sched_fail "cannot stop the stale $name"
    sleep 0.2
  done
}

# Memory cgroup v1 mounted (this VM: hybrid, v1 controllers plus an empty unified tree)?
sched_cgroup_v1_memory() { [[ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ]]; }
# Pure cgroup v2 with the memory controller available?
sched_cgroup_v2_memory() { [[ -f /sys/fs/cgroup/cgroup.controllers ]] && grep -qw memory /sys/fs/cgroup/cgroup.controllers; }
