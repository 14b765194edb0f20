#!/usr/bin/env bash
# Rerunnable benchmark of a copy to another Redis against the same migration in place.
#
#   bash bench/copy.sh [USERS]        default 2000000
#
# Variables: JAR (default batch-job/target/redis-om-batch.jar, built if missing; a copy is used), JAVA_OPTS (JVM
# options for the migration runs, e.g. "-Xms1g -Xmx1g"), KEEP=1 keeps the temporary folder.
#
# Loads USERS Redis OM-shaped users into one redis-server and runs --job=migrateData (the built-in datetime migration,
# default options) on it in place, under /usr/bin/time. Then loads the same users (same seed) into a fresh server and
# runs the same command with --target.url naming a third, empty server: the copy, converting the users on the way.
# Then, on fresh servers again, the same copy without the migration: what copying alone costs.
# Reports from the same run: keys/s of the whole process, the JVM's CPU per key, each server's CPU per key (INFO cpu
# before and after), peak RSS, and checks that every created_at is numeric where the migration ran and that the
# source of the copy still holds its ISO values. On a 2-core machine the servers and the JVM share two cores.
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
started=""
start_server() { # sets $started to the new server's port
  started=$(free_port)
  start_node "$started"
}
load() { # PORT
  java -jar "$jar" --job=generateDemoData --count="$users" --redis.url="redis://127.0.0.1:$1" \
    --job-repository.url="jdbc:h2:file:$dir/demo-$1" >/dev/null 2>&1
}
per_key() { calc "printf \"%.2f\", ($1) * 1e6 / $users"; }

# run NAME SOURCE_PORT [TARGET_PORT]: migrateData in place, or copying to the target; prints one result line.
declare -A R
run() {
  local name=$1 source=$2 target=${3:-} extra=()
  [ -n "$target" ] && extra=(--target.url="redis://127.0.0.1:$target")
  local s0 t0=0 s1 t1=0 began=$EPOCHREALTIME
  s0=$(cpu_of "$source"); [ -n "$target" ] && t0=$(cpu_of "$target")
  # shellcheck disable=SC2086
  /usr/bin/time -f '%U %S %M' -o "$dir/$name.time" java ${JAVA_OPTS:-} -jar "$jar" --job=migrateData \
    --redis.url="redis://127.0.0.1:$source" "${extra[@]}" --job-repository.url="jdbc:h2:file:$dir/repo-$name" \
    "${migration[@]}" > "$dir/$name.log" 2>&1 \
    || { tail -20 "$dir/$name.log" >&2; exit 1; }
  local wall
  wall=$(calc "printf \"%.2f\", $EPOCHREALTIME - $began")
  s1=$(cpu_of "$source"); [ -n "$target" ] && t1=$(cpu_of "$target")
  read -r user sys rss < "$dir/$name.time"
  local migrated=${target:-$source}
  R[$name]="$wall $(calc "printf \"%.0f\", $users / $wall") $(per_key "$user + $sys") \
$(per_key "$s1 - $s0") $(per_key "$t1 - $t0") $((rss / 1024)) $(not_numeric "$migrated" ':app.models.User:*')"
  log "  $name: $(grep -E '^copy of|applied (on the way|\(execution)' "$dir/$name.log" | paste -sd' ')"
}

migration=(--datetime.keys=':app.models.User:*' --datetime.fields=created_at)
start_server; inplace=$started
log "$users users into one redis-server; migrateData in place"
load "$inplace"
run inplace "$inplace"
redis-cli -p "$inplace" shutdown nosave >/dev/null 2>&1 || true

start_server; source_port=$started
start_server; target_port=$started
log "$users users into another; migrateData --target.url to an empty third"
load "$source_port"
iso_before=$(not_numeric "$source_port" ':app.models.User:*')
run copy "$source_port" "$target_port"
iso_after=$(not_numeric "$source_port" ':app.models.User:*')
redis-cli -p "$source_port" shutdown nosave >/dev/null 2>&1 || true
redis-cli -p "$target_port" shutdown nosave >/dev/null 2>&1 || true

start_server; source_port=$started
start_server; target_port=$started
log "$users users into another; migrateData --target.url without the migration (copy only)"
load "$source_port"
migration=()
run copyonly "$source_port" "$target_port"

echo "JAVA_OPTS='${JAVA_OPTS:-}' users: $users; cores: $(nproc); $(redis-server --version | cut -d' ' -f1-3)"
row() { printf '%-50s %14s %18s %14s\n' "$@"; }
row "" "in place" "copy, converting" "copy only"
i=0
for label in "whole process, s" "keys/s, whole process" "JVM CPU per key, us" \
  "source server CPU per key, us" "target server CPU per key, us" "peak RSS, MB" \
  "users whose created_at is not numeric (migrated)"; do
  read -r -a a <<< "${R[inplace]}"
  read -r -a b <<< "${R[copy]}"
  read -r -a c <<< "${R[copyonly]}"
  row "$label" "${a[$i]}" "${b[$i]}" "${c[$i]}"
  i=$((i + 1))
done
row "  copy keys/s / in-place keys/s" "$(calc "printf \"%.2f\", $(echo "${R[copy]}" | cut -d' ' -f2) / \
$(echo "${R[inplace]}" | cut -d' ' -f2)")" "$(calc "printf \"%.2f\", $(echo "${R[copyonly]}" | cut -d' ' -f2) / \
$(echo "${R[inplace]}" | cut -d' ' -f2)")"
row "source ISO values before / after the copy (equal)" "$iso_before" "$iso_after" ""
