#!/usr/bin/env bash
# Rerunnable benchmark of migrateData --target.url --follow: the write rate the follow keeps up with, and its lag.
#
#   bash bench/follow.sh [USERS] [WRITES]        defaults 200000 and 1000000
#
# Variables: JAR (default batch-job/target/redis-om-batch.jar, built if missing; a copy is used), JAVA_OPTS (JVM
# options for the run), CLIENTS (redis-benchmark connections, default 4), KEEP=1 keeps the temporary folder.
#
# Loads USERS Redis OM-shaped users into a source redis-server (notify-keyspace-events KEA), runs --job=migrateData
# --target.url=<an empty redis-server> --follow with the built-in datetime migration (--progress.interval=1), and once
# it follows, has redis-benchmark write WRITES HSETs of an ISO created_at to users picked at random among USERS keys of
# the migration's pattern (each write creates or changes a user the follow must copy again and convert). Reports from
# the same run: the writes' rate, the most keys waiting and the largest lag in the progress lines while writing, the
# time from the last write until nothing waits, the keys copied again, the JVM's CPU per key copied again while
# following; then stops the run with SIGTERM and checks that it exits 0 having written all, that the target holds as
# many users as the source and that every created_at there is numeric. On a 2-core machine the two servers, the
# writers and the JVM share the cores.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

users=${1:-200000}
writes=${2:-1000000}
# shellcheck source=bench/lib.sh
source bench/lib.sh
require redis-server redis-cli redis-benchmark java python3
servers_in_temporary_folder
jar="$dir/redis-om-batch.jar"
copy_jar "$jar"

source_port=$(free_port); start_node "$source_port" --notify-keyspace-events KEA
target_port=$(free_port); start_node "$target_port"
log "$users users into the source"
java -jar "$jar" --job=generateDemoData --count="$users" --redis.url="redis://127.0.0.1:$source_port" \
  --job-repository.url="jdbc:h2:file:$dir/demo" >/dev/null 2>&1

log "migrateData --target.url --follow"
# shellcheck disable=SC2086
java ${JAVA_OPTS:-} -jar "$jar" --job=migrateData --redis.url="redis://127.0.0.1:$source_port" \
  --target.url="redis://127.0.0.1:$target_port" --follow --progress.interval=1 \
  --job-repository.url="jdbc:h2:file:$dir/repo" --datetime.keys=':app.models.User:*' --datetime.fields=created_at \
  > "$dir/follow.out" 2> "$dir/follow.log" &
pid=$!
until grep -q "following the source's changes into" "$dir/follow.log"; do
  kill -0 "$pid" 2>/dev/null || { tail -20 "$dir/follow.log" >&2; exit 1; }
  sleep 0.2
done
jvm_cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; } # clock ticks, user + system
ticks=$(getconf CLK_TCK)
cpu0=$(jvm_cpu)
copied_before=$({ grep "following:" "$dir/follow.log" || true; } | tail -1 | awk '{for (i = 1; i <= NF; i++) if ($i == "copied") print $(i-2)}')
copied_before=${copied_before:-0}

log "$writes writes from redis-benchmark (${CLIENTS:-4} clients)"
t0=$EPOCHREALTIME
redis-benchmark -p "$source_port" -n "$writes" -r "$users" -c "${CLIENTS:-4}" -q \
  hset ':app.models.User:bench:__rand_int__' created_at 2024-05-06T07:08:09 > /dev/null
t1=$EPOCHREALTIME
lines_at_end=$(grep -c "following:" "$dir/follow.log" || true)
until { grep "following:" "$dir/follow.log" || true; } | tail -n +"$((lines_at_end + 1))" | grep -q " 0 waiting, "; do
  kill -0 "$pid" 2>/dev/null || { tail -20 "$dir/follow.log" >&2; exit 1; }
  sleep 0.1
done
t2=$EPOCHREALTIME
cpu1=$(jvm_cpu)
kill -TERM "$pid"
status=0; wait "$pid" || status=$?

# Progress lines while writing: "HH:MM:SS.mmm INFO  following: H changes heard, C keys copied again, D deleted,
# W waiting, lag L ms".
read -r max_waiting max_lag copied < <(grep "following:" "$dir/follow.log" | awk '
  { for (i = 1; i <= NF; i++) { if ($i == "waiting,") w = $(i-1); if ($i == "lag") l = $(i+1); if ($i == "copied") c = $(i-2) }
    if (w + 0 > mw) mw = w + 0; if (l + 0 > ml) ml = l + 0 }
  END { printf "%d %d %d\n", mw, ml, c }')
copied=$((copied - copied_before))
source_users=$(redis-cli -p "$source_port" --scan --pattern ':app.models.User:*' | wc -l)
target_users=$(redis-cli -p "$target_port" --scan --pattern ':app.models.User:*' | wc -l)
bad=$(not_numeric "$target_port" ':app.models.User:*')
grep -q "all written" "$dir/follow.out" && written=yes || written=no

printf '%-52s %s\n' \
  "writes, keys of the pattern" "$writes to $users" \
  "writes/s (redis-benchmark, ${CLIENTS:-4} clients)" "$(calc "printf \"%.0f\", $writes / ($t1 - $t0)")" \
  "most keys waiting, at a progress line" "$max_waiting" \
  "largest lag at a progress line, ms" "$max_lag" \
  "from the last write to nothing waiting, s" "$(calc "printf \"%.2f\", $t2 - $t1")" \
  "keys copied again while writing" "$copied" \
  "JVM CPU per key copied again, us" "$(calc "printf \"%.2f\", ($cpu1 - $cpu0) / $ticks * 1e6 / $copied")" \
  "exit code after SIGTERM, all written" "$status, $written" \
  "users on the source, on the target" "$source_users, $target_users" \
  "users on the target whose created_at is not numeric" "$bad"
