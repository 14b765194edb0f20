#!/usr/bin/env bash
# Rerunnable benchmark of --job=migrateData with the built-in datetime migration, on a throwaway local redis-server.
#
#   bash bench/run.sh [USERS ...]        default: 2000000 6000000
#
# For each size: starts redis-server on a free port in a temporary folder, loads USERS Redis OM-shaped users
# (generateDemoData), measures the server's own ceiling for one read plus one write per key with redis-benchmark -P 64
# (HGETALL and HSET on such a key; ceiling = 1/(1/a + 1/b)), runs the packaged jar as a whole process with default
# options, checks that every created_at is numeric, and prints keys/s, the ceiling, their ratio and the JVM's peak RSS.
# It also prints the server's own CPU time per key during the run (INFO cpu, user + sys) and the keys/s the server
# could serve at that cost with a whole core to itself, as a ratio to the ceiling: the most any client could reach.
# Extra options for the jar can be given in MIGRATE_OPTS; JVM options in JAVA_OPTS (default: the JVM's own defaults).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2000000 6000000)
[ -f batch-job/target/redis-om-batch.jar ] || mvn -B -q -DskipTests package
# A copy, so that a rebuild during a long benchmark does not pull the jar out from under it.
jar=$(mktemp --suffix=.jar)
cp batch-job/target/redis-om-batch.jar "$jar"
for tool in redis-server redis-cli redis-benchmark /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install redis-server redis-tools time)" >&2; exit 2; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Requests per second that redis-benchmark reports for one command (pipelined 64 deep, 50 clients).
rps() {
  local port=$1; shift
  redis-benchmark -p "$port" -P 64 -n 2000000 -q "$@" | tr '\r' '\n' \
    | sed -n 's/.* \([0-9.]*\) requests per second.*/\1/p' | tail -1
}

server_cpu() { redis-cli -p "$1" info cpu | awk -F: '/^used_cpu_(user|sys):/ {s += $2} END {print s}'; }

printf '%-10s %12s %12s %14s %7s %12s %10s\n' users seconds keys/s ceiling ratio peak_rss_MB check
for users in "${sizes[@]}"; do
  dir=$(mktemp -d)
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" --daemonize yes \
    --logfile "$dir/redis.log" >/dev/null
  trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
  until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done

  java -jar "$jar" --job=generateDemoData --count="$users" --redis.url="redis://127.0.0.1:$port" \
    --job-repository.url="jdbc:h2:file:$dir/demo-repo" >/dev/null

  # A five-field user hash like the ones loaded, for the ceiling measurement.
  redis-cli -p "$port" hset bench:user pk 01HZY3J3M1X2Q7W8E9R0T5Y6U7 name "Ada Lovelace" \
    email ada.lovelace1@example.com age 36 created_at 2024-01-15T10:30:00Z >/dev/null
  hgetall=$(rps "$port" hgetall bench:user)
  hset=$(rps "$port" hset bench:user created_at 1705314600.0)
  redis-cli -p "$port" del bench:user >/dev/null
  ceiling=$(awk -v a="$hgetall" -v b="$hset" 'BEGIN {printf "%.0f", 1/(1/a + 1/b)}')

  cpu_before=$(server_cpu "$port")
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  /usr/bin/time -f '%M' -o "$dir/rss" java ${JAVA_OPTS:-} -jar "$jar" --job=migrateData \
    --redis.url="redis://127.0.0.1:$port" --job-repository.url="jdbc:h2:file:$dir/repo" \
    --datetime.keys=':app.models.User:*' --datetime.fields=created_at ${MIGRATE_OPTS:-} > "$dir/run.log"
  end=$(date +%s.%N)
  cpu_after=$(server_cpu "$port")
  seconds=$(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.2f", e - s}')
  kps=$(awk -v n="$users" -v s="$seconds" 'BEGIN {printf "%.0f", n / s}')
  ratio=$(awk -v k="$kps" -v c="$ceiling" 'BEGIN {printf "%.2f", k / c}')
  rss=$(awk '{printf "%.0f", $1 / 1024}' "$dir/rss")

  # Every user that had a created_at must now hold a number there.
  bad=$(redis-cli -p "$port" eval "
    local cursor, bad = '0', 0
    repeat
      local page = redis.call('SCAN', cursor, 'MATCH', ':app.models.User:*', 'COUNT', 1000)
      cursor = page[1]
      for _, key in ipairs(page[2]) do
        local v = redis.call('HGET', key, 'created_at')
        if v and not string.match(v, '^%-?%d+%.%d+$') then bad = bad + 1 end
      end
    until cursor == '0'
    return bad" 0)
  check=$([ "$bad" = "0" ] && echo ok || echo "$bad bad")

  printf '%-10s %12s %12s %14s %7s %12s %10s\n' "$users" "$seconds" "$kps" "$ceiling" "$ratio" "$rss" "$check"
  echo "  (HGETALL $hgetall/s, HSET $hset/s; run log: $(grep -E 'applied|FAILED' "$dir/run.log" | tail -1 | cut -c14-))"
  awk -v a="$cpu_before" -v b="$cpu_after" -v n="$users" -v c="$ceiling" -v s="$seconds" 'BEGIN {
    per_key = (b - a) / n; printf "  server: %.1f s of CPU during the run (%.0f%% busy), %.2f us per key; at that cost a whole core serves %.0f keys/s, %.2f of the ceiling\n",
      b - a, 100 * (b - a) / s, per_key * 1e6, 1 / per_key, 1 / per_key / c }'
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$dir"
  trap - EXIT
done
