#!/usr/bin/env bash
# Rerunnable benchmark of a Redis Cluster against one server: the same migration on the same number of users.
#
#   bash bench/cluster.sh [USERS]        default 2000000
#
# Variables: JAR (default batch-job/target/redis-om-batch.jar, built if missing; a copy is used), JAVA_OPTS (JVM
# options for the migration runs, e.g. "-Xms1g -Xmx1g @deploy/jvm.options"), ROUNDS (default 3: the cluster and the
# one server each migrated that many times, in turns, each time on freshly loaded users; the ratios of each round and
# their medians are printed, since one round's ratio moves by several percent on a shared VM), KEEP=1 keeps the
# temporary folder.
#
# Starts a local cluster of 3 masters without replicas (redis-cli --cluster create, loopback, no persistence), loads
# USERS Redis OM-shaped users into it (generateDemoData), runs --job=migrateData (the built-in datetime migration,
# default options) on it under /usr/bin/time, then does the same on one redis-server. Reports from the same run: keys/s
# of the whole process, the JVM's CPU per key, the servers' CPU per key in all and per master (INFO cpu before and
# after), and a check that every created_at is numeric. On a 2-core machine the three masters and the JVM share two
# cores: see docs/performance.md. STATS=1 also prints, per run, each command's calls and microseconds per key summed
# over the servers (INFO commandstats, reset before the run; wall time inside the server, so a busy machine inflates
# it: compare commands within a run).
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

users=${1:-2000000}
# shellcheck source=bench/lib.sh
source bench/lib.sh
require redis-server redis-cli /usr/bin/time java python3
servers_in_temporary_folder
jar="$dir/redis-om-batch.jar"
copy_jar "$jar"

# A port whose cluster bus port (port + 10000) is free too.
cluster_port() {
  python3 -c 'import socket
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
    if p + 10000 > 65535: continue
    t = socket.socket()
    try:
        t.bind(("127.0.0.1", p + 10000)); print(p); break
    except OSError: pass'
}
numeric_check() { # PORT...: users whose created_at is not numeric, over all the given servers
  local bad=0
  for p in "$@"; do bad=$((bad + $(not_numeric "$p" ':app.models.User:*'))); done
  echo "$bad"
}

# migrate NAME URL PORT...: runs the migration and prints one result line.
migrate() {
  local name=$1 url=$2; shift 2
  local before=() after=() p i
  for p in "$@"; do
    [ "${STATS:-}" = 1 ] && redis-cli -p "$p" config resetstat >/dev/null
    before+=("$(cpu_of "$p")")
  done
  local t0=$EPOCHREALTIME
  # shellcheck disable=SC2086
  /usr/bin/time -f '%U %S %M' -o "$dir/$name.time" java ${JAVA_OPTS:-} -jar "$jar" --job=migrateData \
    --redis.url="$url" --job-repository.url="jdbc:h2:file:$dir/repo-$name" --datetime.keys=':app.models.User:*' \
    --datetime.fields=created_at > "$dir/$name.log" 2>&1 || { tail -20 "$dir/$name.log" >&2; exit 1; }
  local wall
  wall=$(calc "printf \"%.2f\", $EPOCHREALTIME - $t0")
  for p in "$@"; do after+=("$(cpu_of "$p")"); done
  [ "${STATS:-}" = 1 ] && command_stats "$name" "$users" "$@"
  local per_master="" total=0
  for i in "${!before[@]}"; do
    local used
    used=$(calc "printf \"%.3f\", ${after[$i]} - ${before[$i]}")
    total=$(calc "printf \"%.3f\", $total + $used")
    per_master+=" $(calc "printf \"%.2f\", $used * 1e6 / $users")"
  done
  read -r user sys rss < "$dir/$name.time"
  R[$name]="$wall $(calc "printf \"%.0f\", $users / $wall") $(calc "printf \"%.2f\", ($user + $sys) * 1e6 / $users") \
$(calc "printf \"%.2f\", $total * 1e6 / $users") $(calc "printf \"%.2f\", $total / $wall") $(numeric_check "$@")|${per_master# }"
  log "  $name: $(grep -E 'applied \(execution' "$dir/$name.log" | tail -1)"
}

declare -A R
rounds=${ROUNDS:-3}
masters=()
for _ in 1 2 3; do
  p=$(cluster_port)
  start_node "$p" --cluster-enabled yes --cluster-config-file "$dir/nodes-$p.conf" --cluster-node-timeout 5000
  masters+=("$p")
done
redis-cli --cluster create "${masters[@]/#/127.0.0.1:}" --cluster-replicas 0 --cluster-yes >/dev/null
until [ "$(redis-cli -p "${masters[0]}" cluster info | tr -d '\r' | awk -F: '/cluster_state/ {print $2}')" = ok ]; do
  sleep 0.2
done
cluster_url="redis-cluster://$(IFS=,; echo "${masters[*]/#/127.0.0.1:}")"
single=$(free_port)
start_node "$single"

# load NAME URL PORT...: flushes the servers and loads the users afresh.
load() {
  local name=$1 url=$2; shift 2
  for p in "$@"; do redis-cli -p "$p" flushall >/dev/null; done
  java -jar "$jar" --job=generateDemoData --count="$users" --redis.url="$url" \
    --job-repository.url="jdbc:h2:file:$dir/demo-$name" >/dev/null 2>&1
}

for round in $(seq 1 "$rounds"); do
  log "round $round of $rounds: $users users into a 3-master cluster ($cluster_url)"
  load "cluster-$round" "$cluster_url" "${masters[@]}"
  log "  keys per master: $(for p in "${masters[@]}"; do redis-cli -p "$p" dbsize; done | paste -sd' ')"
  migrate "cluster-$round" "$cluster_url" "${masters[@]}"
  log "round $round of $rounds: $users users into one redis-server"
  load "single-$round" "redis://127.0.0.1:$single" "$single"
  migrate "single-$round" "redis://127.0.0.1:$single" "$single"
done
for p in "${masters[@]}" "$single"; do redis-cli -p "$p" shutdown nosave >/dev/null 2>&1 || true; done

echo "JAVA_OPTS='${JAVA_OPTS:-}' users: $users; cores: $(nproc); rounds: $rounds"
row() { printf '%-44s %16s %16s\n' "$@"; }
field() { echo "${R[$1]%%|*}" | cut -d' ' -f"$2"; } # NAME COLUMN: one figure of a run
ratios=() # per round: keys/s, JVM, servers, cluster against one server
for round in $(seq 1 "$rounds"); do
  echo "round $round"
  row "" "3-master cluster" "one server"
  i=1
  for label in "whole process, s" "keys/s, whole process" "JVM CPU per key, us" "servers' CPU per key, us (all)" \
    "servers' busy cores, average" "users whose created_at is not numeric"; do
    row "$label" "$(field "cluster-$round" $i)" "$(field "single-$round" $i)"
    i=$((i + 1))
  done
  row "server CPU per key, us, per master" "${R[cluster-$round]#*|}" "${R[single-$round]#*|}"
  ratios+=("$(calc "printf \"%.2f %.2f %.2f\", $(field "cluster-$round" 2) / $(field "single-$round" 2), \
$(field "cluster-$round" 3) / $(field "single-$round" 3), $(field "cluster-$round" 4) / $(field "single-$round" 4)")")
done
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
echo "cluster against one server, per round and the median:"
for column in 1 2 3; do
  label=$(echo "keys/s (whole process)|JVM CPU per key|servers' CPU per key" | cut -d'|' -f"$column")
  values=$(printf '%s\n' "${ratios[@]}" | cut -d' ' -f"$column")
  printf '  %-40s %s   median %s\n' "$label" "$(echo "$values" | paste -sd' ')" "$(echo "$values" | median)"
done
