#!/usr/bin/env bash
# Rerunnable benchmark of remote partitioning: the same migration with one worker process, then with two.
#
#   bash bench/workers.sh [USERS]        default 2000000
#
# Variables: JAR (default batch-job/target/redis-om-batch.jar, built if missing; a copy is used), KEEP=1 keeps the
# temporary folder. Needs redis-server, PostgreSQL's server binaries (Debian's postgresql package; as root they run
# as the postgres user), /usr/bin/time.
#
# Starts a throwaway redis-server and PostgreSQL on free ports in a temporary folder, loads USERS Redis OM-shaped
# users once (generateDemoData) and saves them as an RDB file. Then, for W = 1 and 2, on fresh data (the server
# restarted from that file) and a fresh job repository (a new PostgreSQL database): starts W workers (--job=worker
# --threads=2, exiting when idle), runs the manager (--job=migrateData --workers=remote, the built-in datetime
# migration), and reports from the same run: keys/s of the manager's wall time (JVM start to exit), the CPU per key of
# the manager, of all workers together, and of redis-server (INFO cpu before and after), and a check that every
# created_at is numeric. Ratios: two workers over one. On a machine with fewer cores than the processes need, the
# workers and redis-server share them: see docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

users=${1:-2000000}
pg_bin=$(dirname "$(readlink -f "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")")
# shellcheck source=bench/lib.sh
source bench/lib.sh
require redis-server redis-cli /usr/bin/time java python3 "$pg_bin/initdb" "$pg_bin/pg_ctl"
dir=$(mktemp -d)
jar="$dir/redis-om-batch.jar"
copy_jar "$jar"
as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); chown postgres "$dir"; chmod 755 "$dir"; fi
port=$(free_port) pg_port=$(free_port)
cleanup() {
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/pg" -m immediate stop >/dev/null 2>&1 || true
  [ "${KEEP:-}" = 1 ] && echo "bench: kept $dir" >&2 || rm -rf "$dir"
}
trap cleanup EXIT

start_redis() {
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" --dbfilename data.rdb \
    --daemonize yes --logfile "$dir/redis.log" >/dev/null
  until [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ]; do sleep 0.1; done
}
stop_redis() {
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  while redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done
}
server_cpu() { redis-cli -p "$port" info cpu | awk -F: '/^used_cpu_(user|sys):/ {s += $2} END {printf "%.6f", s}'; }

log "PostgreSQL and redis-server in $dir"
echo batch > "$dir/pgpass"
"${as_pg[@]}" "$pg_bin/initdb" -D "$dir/pg" -U batch --pwfile="$dir/pgpass" -A scram-sha-256 >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w \
  -o "-p $pg_port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
start_redis
log "loading $users users"
java -jar "$jar" --job=generateDemoData --count="$users" --redis.url="redis://127.0.0.1:$port" >/dev/null 2>&1
redis-cli -p "$port" save >/dev/null
cp "$dir/data.rdb" "$dir/pristine.rdb"

declare -A R
for workers in 1 2; do
  stop_redis; cp "$dir/pristine.rdb" "$dir/data.rdb"; start_redis
  db="bench$workers"
  PGPASSWORD=batch "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U batch -d postgres -c "CREATE DATABASE $db"
  export REDIS_OM_BATCH_REDIS_URL="redis://127.0.0.1:$port"
  export REDIS_OM_BATCH_JOB_REPOSITORY_URL="jdbc:postgresql://127.0.0.1:$pg_port/$db"
  export REDIS_OM_BATCH_JOB_REPOSITORY_USERNAME=batch REDIS_OM_BATCH_JOB_REPOSITORY_PASSWORD=batch
  log "$workers worker(s)"
  pids=()
  for w in $(seq 1 "$workers"); do
    /usr/bin/time -f "%U %S" -o "$dir/worker$workers-$w.time" java -jar "$jar" --job=worker --threads=2 \
      --worker.idle-exit=3s > "$dir/worker$workers-$w.log" 2>&1 &
    pids+=($!)
  done
  before=$(server_cpu); t0=$EPOCHREALTIME
  /usr/bin/time -f "%U %S" -o "$dir/manager$workers.time" java -jar "$jar" --job=migrateData --workers=remote \
    --datetime.keys=':app.models.User:*' --datetime.fields=created_at > "$dir/manager$workers.log" 2>&1
  t1=$EPOCHREALTIME; after=$(server_cpu)
  wait "${pids[@]}"
  bad=$(not_numeric "$port" ':app.models.User:*')
  manager_cpu=$(awk '{printf "%.2f", $1 + $2}' "$dir/manager$workers.time")
  workers_cpu=$(cat "$dir"/worker"$workers"-*.time | awk '{s += $1 + $2} END {printf "%.2f", s}')
  seconds=$(calc "printf \"%.2f\", $t1 - $t0")
  R[$workers,seconds]=$seconds
  R[$workers,kps]=$(calc "printf \"%.0f\", $users / $seconds")
  R[$workers,manager]=$(calc "printf \"%.2f\", $manager_cpu / $users * 1e6")
  R[$workers,workers]=$(calc "printf \"%.2f\", $workers_cpu / $users * 1e6")
  R[$workers,server]=$(calc "printf \"%.2f\", ($after - $before) / $users * 1e6")
  R[$workers,busy]=$(calc "printf \"%.2f\", ($after - $before) / $seconds")
  R[$workers,check]=$([ "$bad" = 0 ] && echo ok || echo "$bad bad")
  log "  $(grep -E 'applied \(|FAILED' "$dir/manager$workers.log" | tail -1)"
done

echo
echo "jar: $JAR; $users users; $(nproc) cores"
printf '%-44s %12s %12s %8s\n' "" "1 worker" "2 workers" "2 / 1"
for row in "seconds|manager wall time, s" "kps|keys/s (manager wall time)" "manager|manager CPU per key, us" \
    "workers|workers' CPU per key, us (all)" "server|server CPU per key, us" "busy|server busy share" \
    "check|check: every created_at numeric"; do
  key=${row%%|*}
  a=${R[1,$key]} b=${R[2,$key]}
  r=$([[ $a =~ ^[0-9.]+$ && $b =~ ^[0-9.]+$ ]] && calc "printf \"%.2f\", $b / $a" || echo "")
  printf '%-44s %12s %12s %8s\n' "${row##*|}" "$a" "$b" "$r"
done
