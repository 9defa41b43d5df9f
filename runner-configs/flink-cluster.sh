#!/usr/bin/env bash
# Starts and stops a Flink 1.19 standalone session cluster on this machine: one JobManager and
# N TaskManagers, each its own JVM, all bound to localhost, from the jars Maven resolved into
# runner-configs/flink-cluster/target/lib (mvn -DskipTests package). Nothing is downloaded.
#
#   runner-configs/flink-cluster.sh start [--taskmanagers 2] [--slots 2] [--port 8081]
#   bin/metaload run --config config.yaml --load orders @runner-configs/flink-cluster.args
#   runner-configs/flink-cluster.sh stop
#
# Commands:
#   start                  JobManager, then the TaskManagers; returns when all have registered
#   stop                   every process of the cluster (TERM, then KILL after 20 s)
#   status                 the cluster's REST overview (taskmanagers, slots, jobs)
#   start-taskmanager N    (re)starts TaskManager N, e.g. after it was killed
#   taskmanager-pid N      the process id of TaskManager N
# Options (any command; start records them, later commands reuse them):
#   --dir DIR              state, config and logs (default runner-configs/flink-cluster/run)
#   --port P               REST port (default 8081); the JobManager's RPC port is --rpc-port (6123)
#   --taskmanagers N       TaskManagers (default 2), --slots S per TaskManager (default 2)
#   --tm-memory SIZE       each TaskManager's process size (default 1600m)
#   --conf KEY=VALUE       any other Flink setting, e.g. --conf heartbeat.timeout=10000 (repeatable)
# Environment: the TaskManagers inherit the environment of this script, so secrets that a
# config names as ${env:NAME} must be set here, or given as ${file:PATH} readable by them.
# FLINK_TM_ENV_FILE: a file of NAME=value lines exported to the TaskManagers only.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lib="$here/flink-cluster/target/lib"

command=${1:-}
[ -n "$command" ] && shift
dir="$here/flink-cluster/run"
port="" rpc_port="" taskmanagers="" slots="" tm_memory="" number="" extra_conf=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --rpc-port) rpc_port=$2; shift 2 ;;
    --taskmanagers) taskmanagers=$2; shift 2 ;;
    --slots) slots=$2; shift 2 ;;
    --tm-memory) tm_memory=$2; shift 2 ;;
    --conf) extra_conf+=("${2%%=*}: ${2#*=}"); shift 2 ;;
    [0-9]*) number=$1; shift ;;
    *) echo "flink-cluster: unknown option $1" >&2; exit 2 ;;
  esac
done

fail() { echo "flink-cluster: $*" >&2; exit 1; }

if [ -f "$dir/cluster.env" ] && [ "$command" != start ]; then
  # shellcheck disable=SC1091
  . "$dir/cluster.env"
fi
port=${port:-${CLUSTER_PORT:-8081}}
rpc_port=${rpc_port:-${CLUSTER_RPC_PORT:-6123}}
taskmanagers=${taskmanagers:-${CLUSTER_TASKMANAGERS:-2}}
slots=${slots:-${CLUSTER_SLOTS:-2}}
tm_memory=${tm_memory:-${CLUSTER_TM_MEMORY:-1600m}}
rest="http://localhost:$port"

logging=(-Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS)
jvm_opens=(-XX:+IgnoreUnrecognizedVMOptions
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED)

# alive <pid file>: whether that process runs; a killed process that nobody has reaped yet (a zombie) does not
alive() {
  local pid state
  [ -f "$1" ] || return 1
  pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null || return 1
  state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
  [ "$state" != Z ]
}

rest_get() { curl -sf --max-time 5 "$rest$1"; }

# is_registered <resource id>: whether the JobManager lists that TaskManager (a killed one stays listed
# until its heartbeat times out, so counting TaskManagers cannot tell a restarted one has arrived)
is_registered() {
  rest_get /taskmanagers 2>/dev/null | python3 -c 'import json,sys; sys.exit(0 if sys.argv[1] in [t["id"] for t in json.load(sys.stdin)["taskmanagers"]] else 1)' "$1" 2>/dev/null
}

write_config() {
  mkdir -p "$dir/conf" "$dir/log" "$dir/tmp"
  cat > "$dir/conf/config.yaml" <<EOF
jobmanager.rpc.address: localhost
jobmanager.rpc.port: $rpc_port
jobmanager.bind-host: localhost
jobmanager.memory.process.size: 1024m
rest.address: localhost
rest.bind-address: localhost
rest.port: $port
taskmanager.host: localhost
taskmanager.bind-host: localhost
taskmanager.numberOfTaskSlots: $slots
taskmanager.memory.process.size: $tm_memory
parallelism.default: $((taskmanagers * slots))
restart-strategy.type: none
io.tmp.dirs: $dir/tmp
web.tmpdir: $dir/tmp
blob.storage.directory: $dir/tmp
classloader.resolve-order: child-first
EOF
  for line in "${extra_conf[@]+"${extra_conf[@]}"}"; do echo "$line" >> "$dir/conf/config.yaml"; done
  cat > "$dir/cluster.env" <<EOF
CLUSTER_PORT=$port
CLUSTER_RPC_PORT=$rpc_port
CLUSTER_TASKMANAGERS=$taskmanagers
CLUSTER_SLOTS=$slots
CLUSTER_TM_MEMORY=$tm_memory
EOF
}

start_jobmanager() {
  nohup java -Xmx768m "${jvm_opens[@]}" "${logging[@]}" -Dlog.file="$dir/log/jobmanager.log" -cp "$lib/*" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$dir/conf" \
    > "$dir/log/jobmanager.log" 2>&1 < /dev/null &
  echo $! > "$dir/jobmanager.pid"
  for _ in $(seq 1 120); do
    rest_get /overview > /dev/null 2>&1 && return 0
    alive "$dir/jobmanager.pid" || fail "the JobManager exited; see $dir/log/jobmanager.log"
    sleep 0.5
  done
  fail "the JobManager's REST endpoint $rest did not answer in 60 s; see $dir/log/jobmanager.log"
}

start_taskmanager() {
  local n=$1 params jvm dynamic
  # Without the memory flags and -D settings that Flink derives from the config, a TaskManager refuses to start.
  params=$(java -cp "$lib/*" org.apache.flink.runtime.util.bash.BashJavaUtils GET_TM_RESOURCE_PARAMS \
    --configDir "$dir/conf" 2>/dev/null | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')
  jvm=$(sed -n 1p <<< "$params")
  dynamic=$(sed -n 2p <<< "$params")
  [ -n "$jvm" ] || fail "could not derive the TaskManager's memory settings from $dir/conf/config.yaml"
  local id="taskmanager-$n-$(date +%s%N)"
  echo "$id" > "$dir/taskmanager-$n.id"
  (
    if [ -n "${FLINK_TM_ENV_FILE:-}" ]; then
      set -a
      # shellcheck disable=SC1090
      . "$FLINK_TM_ENV_FILE"
      set +a
    fi
    # shellcheck disable=SC2086
    exec nohup java $jvm "${jvm_opens[@]}" "${logging[@]}" -Dlog.file="$dir/log/taskmanager-$n.log" -cp "$lib/*" \
      org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$dir/conf" $dynamic -D "taskmanager.resource-id=$id" \
      >> "$dir/log/taskmanager-$n.log" 2>&1 < /dev/null
  ) &
  echo $! > "$dir/taskmanager-$n.pid"
}

# wait_for_taskmanagers <n>...: until each TaskManager started as number n has registered
wait_for_taskmanagers() {
  local n id
  for n in "$@"; do
    id=$(cat "$dir/taskmanager-$n.id")
    for _ in $(seq 1 120); do
      is_registered "$id" && continue 2
      alive "$dir/taskmanager-$n.pid" || fail "TaskManager $n exited; see $dir/log/taskmanager-$n.log"
      sleep 0.5
    done
    fail "TaskManager $n ($id) did not register in 60 s; see $dir/log/taskmanager-$n.log"
  done
}

stop_pid_file() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if alive "$file"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do alive "$file" || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

case "$command" in
  start)
    [ -d "$lib" ] || fail "the cluster's jars are not built: run 'mvn -q -DskipTests package' in $(dirname "$here")"
    if alive "$dir/jobmanager.pid"; then fail "a cluster is already running from $dir (stop it first)"; fi
    if curl -s --max-time 2 "$rest/overview" > /dev/null 2>&1; then fail "port $port already answers; choose another with --port"; fi
    write_config
    start_jobmanager
    for n in $(seq 1 "$taskmanagers"); do start_taskmanager "$n"; done
    wait_for_taskmanagers $(seq 1 "$taskmanagers")
    echo "Flink session cluster up: $rest ($taskmanagers TaskManagers x $slots slots; logs in $dir/log)"
    ;;
  start-taskmanager)
    [ -n "$number" ] || fail "start-taskmanager needs the TaskManager's number"
    alive "$dir/jobmanager.pid" || fail "no cluster is running from $dir"
    # A TaskManager killed a moment ago may still be exiting.
    for _ in $(seq 1 40); do alive "$dir/taskmanager-$number.pid" || break; sleep 0.5; done
    alive "$dir/taskmanager-$number.pid" && fail "TaskManager $number is running"
    old_id=$(cat "$dir/taskmanager-$number.id" 2>/dev/null || true)
    start_taskmanager "$number"
    wait_for_taskmanagers "$number"
    # The JobManager offers a dead TaskManager's slots until its heartbeat times out; wait for that too.
    for _ in $(seq 1 240); do
      [ -z "$old_id" ] || ! is_registered "$old_id" && break
      sleep 0.5
    done
    [ -z "$old_id" ] || ! is_registered "$old_id" || fail "the JobManager still lists the old TaskManager $number ($old_id)"
    echo "TaskManager $number registered"
    ;;
  taskmanager-pid)
    [ -n "$number" ] || fail "taskmanager-pid needs the TaskManager's number"
    alive "$dir/taskmanager-$number.pid" || fail "TaskManager $number is not running"
    cat "$dir/taskmanager-$number.pid"
    ;;
  stop)
    for file in "$dir"/taskmanager-*.pid; do [ -e "$file" ] && stop_pid_file "$file"; done
    stop_pid_file "$dir/jobmanager.pid"
    echo "Flink session cluster from $dir stopped"
    ;;
  status)
    rest_get /overview || fail "no cluster answers at $rest"
    echo
    ;;
  *)
    sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
