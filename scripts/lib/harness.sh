# Shell helpers to run the local harness (a stand-in Jobmon server) and drive its admin API.
# Sourced by scripts/demo and scripts/bench; needs curl. The harness answers compact JSON.
#   harness_start DIR        # builds artifacts/harness if needed, starts it, sets HARNESS_URL / HARNESS_PID
#   harness_stop
#   harness_task NAME COMMAND LOGDIR [EXTRA_JSON_FIELDS]   # prints the new task instance id
#   harness_field ID FIELD   # e.g. status, description (first match)
#   harness_set_status ID LETTER
#   harness_fault JSON       # arms a fault (see src/WorkerNode.Harness/README.md)

HARNESS_URL=
HARNESS_PID=

harness_start() {
  local dir=$1
  [[ -f artifacts/harness/worker-node-harness.dll && -z "${HARNESS_REBUILD:-}" ]] ||
    dotnet publish src/WorkerNode.Harness -c Release -o artifacts/harness --nologo -v quiet
  dotnet artifacts/harness/worker-node-harness.dll --port 0 > "$dir/harness.out" 2> "$dir/harness.err" &
  HARNESS_PID=$!
  for _ in $(seq 1 300); do
    HARNESS_URL=$(sed -n 's/^harness listening on //p' "$dir/harness.out" 2>/dev/null || true)
    [[ -n "$HARNESS_URL" ]] && return 0
    kill -0 "$HARNESS_PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "the harness did not start:" >&2
  cat "$dir/harness.err" >&2
  return 1
}

harness_stop() {
  [[ -n "$HARNESS_PID" ]] || return 0
  kill "$HARNESS_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$HARNESS_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$HARNESS_PID" 2>/dev/null || true
  HARNESS_PID=
}

harness_json_string() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$/"/'; }

harness_task() {
  local body
  body="{\"command\":$(harness_json_string "$2"),\"name\":\"$1\",\"stdout_dir\":\"$3\",\"stderr_dir\":\"$3\"${4:-}}"
  curl -sf -X POST -H 'Content-Type: application/json' -d "$body" "$HARNESS_URL/admin/task_instances" |
    sed -n 's/.*"task_instance_id":\([0-9]*\).*/\1/p'
}

harness_field() {
  { curl -sf "$HARNESS_URL/admin/task_instances/$1" | grep -o "\"$2\":\"[^\"]*\"" | head -1 | cut -d'"' -f4; } || true
}

harness_set_status() {
  curl -sf -X PUT -H 'Content-Type: application/json' -d "{\"status\":\"$2\"}" "$HARNESS_URL/admin/task_instances/$1/status" >/dev/null
}

harness_fault() {
  curl -sf -X POST -H 'Content-Type: application/json' -d "$1" "$HARNESS_URL/admin/faults" >/dev/null
}
