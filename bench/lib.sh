# Shared by the benchmark scripts (sourced, from the repository root).

# require TOOL...: exits 2 naming the first tool that is missing.
require() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || [ -x "$tool" ] || { echo "bench: $tool is missing" >&2; exit 2; }
  done
}

# copy_jar PATH: copies $JAR (default the project's jar, built first if missing) to PATH, so that a rebuild during a
# long benchmark does not pull the jar out from under it.
copy_jar() {
  JAR=${JAR:-batch-job/target/redis-om-batch.jar}
  [ -f "$JAR" ] || [ "$JAR" != batch-job/target/redis-om-batch.jar ] || mvn -B -q -DskipTests package
  cp "$JAR" "$1"
}

log() { echo "bench: $*" >&2; }

# servers_in_temporary_folder: $dir, a new temporary folder for the run's servers and logs, and $ports, the servers
# start_node starts; on exit each is shut down and the folder removed (KEEP=1 keeps it).
servers_in_temporary_folder() {
  dir=$(mktemp -d)
  ports=()
  trap stop_nodes_and_clean_up EXIT
}
stop_nodes_and_clean_up() {
  for p in "${ports[@]}"; do redis-cli -p "$p" shutdown nosave >/dev/null 2>&1 || true; done
  if [ "${KEEP:-}" = 1 ]; then echo "bench: kept $dir" >&2; else rm -rf "$dir"; fi
}

# start_node PORT [redis-server options...]: a throwaway redis-server on loopback, no persistence, its files under
# $dir/PORT; returns once it answers.
start_node() {
  local p=$1; shift
  mkdir -p "$dir/$p"
  redis-server --port "$p" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir/$p" --daemonize yes \
    --logfile "$dir/$p/redis.log" "$@" >/dev/null
  ports+=("$p")
  until [ "$(redis-cli -p "$p" ping 2>/dev/null)" = PONG ]; do sleep 0.1; done
}

# cpu_of PORT: the seconds of CPU the server on PORT has used (user + system), from INFO cpu.
cpu_of() { redis-cli -p "$1" info cpu | awk -F: '/^used_cpu_(user|sys):/ {s += $2} END {printf "%.6f", s}'; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
calc() { awk "BEGIN { $1 }" </dev/null; } # calc 'printf "%.2f", 1/3'

# not_numeric PORT PATTERN: the number of users whose created_at is present and not numeric (0 when the migration did
# its job), counted by one Lua script on the server.
not_numeric() {
  redis-cli -p "$1" eval "
    local cursor, bad = '0', 0
    repeat
      local page = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 1000)
      cursor = page[1]
      for _, key in ipairs(page[2]) do
        local v = redis.call('HGET', key, 'created_at')
        if v and not string.match(v, '^%-?%d+%.%d+$') then bad = bad + 1 end
      end
    until cursor == '0'
    return bad" 0 "$2"
}

# command_stats NAME KEYS PORT...: each command's calls per 1,000 keys and its microseconds per key, summed over the
# given servers (INFO commandstats, reset before the run by the caller: CONFIG RESETSTAT). The time is wall time
# inside the server (a script's includes the commands it calls, which are listed too), so a busy machine inflates
# it: compare commands within a run.
command_stats() {
  local name=$1 keys=$2; shift 2
  for p in "$@"; do redis-cli -p "$p" info commandstats; done | tr -d '\r' | awk -F'[:,=]' -v n="$keys" -v name="$name" '
    /^cmdstat_/ { calls[$1] += $3; usec[$1] += $5 }
    END { for (c in calls) printf "bench: %s %8.3f us/key %10.1f calls/1000 keys %s\n", name, usec[c] / n, calls[c] * 1000 / n, substr(c, 9) }' |
    sort -k3,3 -rn >&2
}
