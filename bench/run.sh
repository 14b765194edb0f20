#!/usr/bin/env bash
# Rerunnable benchmark of --job=migrateData with the built-in datetime migration, on a throwaway local redis-server.
#
#   bash bench/run.sh [USERS ...]        default: 2000000 6000000
#
# Variables:
#   JAR          the jar to measure (default batch-job/target/redis-om-batch.jar, built if missing); a copy is used,
#                so a rebuild during a long benchmark does not pull the jar out from under it
#   JAVA_OPTS    JVM options for every jar run (default: the JVM's own defaults), e.g. "-Xms256m -Xmx256m"
#   JAVA_VARIANTS space-separated list of one more JVM option each, after JAVA_OPTS, "-" for none (e.g.
#                "- @deploy/jvm.options", the project's argument file): every MODES variant is run with each, on
#                freshly loaded data, and gets its own column. A variant ending in "+cds" also runs the migration
#                with a class data sharing archive that a dry run of the same command (--dry-run, on the same data,
#                which it does not change) wrote just before (-XX:ArchiveClassesAtExit), as docs/operations.md
#                advises: e.g. "@deploy/jvm.options+cds", "-+cds". Default: "- @deploy/jvm.options" (the JVM's own
#                defaults, as a bare java -jar runs, and the options file the image and the manifests give).
#   MIGRATE_OPTS extra jar options for every migrateData run (the script passes --progress.interval=1 itself)
#   MODES        space-separated list of variants, each one more jar option (e.g. "--write-mode=conditional
#                --write-mode=overwrite"): each is run on freshly loaded data, one after another, for each size, and
#                gets its own column in the table. Default: one run with no extra option.
#   KEEP=1       keep each size's temporary folder (logs, progress lines, INFO cpu samples, RDB file) for a look
#
# For each size: starts redis-server on a free port in a temporary folder, loads USERS Redis OM-shaped users once
# (generateDemoData) and saves them as an RDB file; every run below starts the server again from that file, so each
# run sees the same fresh, unconverted data. Then:
#   ceiling          redis-benchmark -P 64 (50 clients) of HGETALL and of HSET on one five-field user hash:
#                    one read plus one write per key, ceiling = 1/(1/hgetall + 1/hset) keys/s
#   baseline         bench/PipelinedBaseline.java (one thread, raw RESP2, per SCAN page one pipelined HMGET batch
#                    and one pipelined HSET batch). Its keys/s, CPU and server CPU are its own measurement of its
#                    walk (from the first SCAN to the last reply; JVM start and in-memory compile excluded; run
#                    with the JVM's defaults, not JAVA_OPTS):
#                    baseline keys/s, baseline CPU per key (this JVM's process CPU during the walk / keys),
#                    server CPU per key and busy share during the baseline (INFO cpu deltas, read on its connection)
#   per mode, on fresh data, java -jar JAR --job=migrateData --progress.interval=1 under /usr/bin/time:
#     commandstats   printed as the run ends: each command's calls per 1,000 keys and microseconds per key (INFO
#                    commandstats, reset just before the run; wall time inside the server: see bench/lib.sh)
#     whole          keys/s of the whole process: keys / wall time of the java command (JVM start to exit)
#     warm           keys/s once warm, from the progress lines ("HH:MM:SS.mmm INFO  <id>: P% walked, R read, ...",
#                    one a second) of the migration, ending with its final line ("HH:MM:SS.mmm INFO  <id>: applied
#                    (execution N): R read, ...", taken as 100% walked; without it a short run would lose up to its
#                    last second; a final line without a timestamp is not used): A = the first of these lines with
#                    P >= 30, B = the last one (the "applied" line, else the last progress line);
#                    warm = (R_B - R_A) / (time_B - time_A). "read" counts re-reads too (under 0.1%).
#     JVM CPU/key    (user + sys CPU seconds of the java process, /usr/bin/time %U %S, whole process) / keys
#     server CPU     a background loop samples INFO cpu (used_cpu_user + used_cpu_sys, all of redis-server's
#                    threads) about once a second with a timestamp, plus one sample just before and one just after
#                    the java command; the server's CPU at any moment is interpolated linearly between the two
#                    samples around it. Data phase: from D = the last progress line that still shows 0 read (the
#                    first one if none does: lines showing 0 read come while the job is still starting) to B above.
#                    server CPU per key, data phase = (cpu(B) - cpu(D)) / (R_B - R_D)
#                    server busy share, data phase = (cpu(B) - cpu(D)) / (time_B - time_D), of one core
#                    server busy share, whole process = server CPU from just before to just after the java command
#                    / its wall time
#     warm CPU       the same loop samples the java process's CPU (/proc/PID/stat utime + stime, all threads); from
#                    A to B above (once warm): JVM CPU per key, warm = (jvm(B) - jvm(A)) / (R_B - R_A), and the
#                    server's over the same window. JVM CPU above its warm rate = JVM CPU - JVM CPU per key, warm *
#                    keys: what the process spent beyond its warm rate (start, compiling, the slower code before it
#                    is compiled, the end), a fixed cost that the whole-process ratio spreads over the keys.
#     peak RSS       maximum resident set size of the migration JVM (/usr/bin/time %M)
#     check          afterwards every created_at must be numeric (one Lua script over all users); same after the
#                    baseline
#     startup        then, on the job repository the migration just created: one unmeasured run of each, then the
#                    median wall time of 5 runs of --job=status (nothing pending) and of --job=migrateData (with
#                    the same options as the migration; nothing pending, checked in its log); and status again
#                    with a class data sharing archive made as deploy/kubernetes/Dockerfile makes it
# Ratios: whole/baseline and warm/baseline (keys/s), whole/ceiling, warm/ceiling and baseline/ceiling, JVM CPU per key
# / server CPU per key in the data phase (and the same for the baseline), and the two once warm. Only figures from
# the same run compare: this machine kind is a shared VM whose speed moves a lot.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C # decimal points in awk, date and $EPOCHREALTIME

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2000000 6000000)
read -r -a modes <<< "${MODES:-}"
[ ${#modes[@]} -gt 0 ] || modes=("")
read -r -a variants <<< "${JAVA_VARIANTS:-}"
[ ${#variants[@]} -gt 0 ] || variants=(- @deploy/jvm.options)
runs=() # "JVM variant|jar option variant"
for variant in "${variants[@]}"; do for mode in "${modes[@]}"; do runs+=("$variant|$mode"); done; done
# shellcheck source=bench/lib.sh
source bench/lib.sh
require redis-server redis-cli redis-benchmark /usr/bin/time java python3 # apt-get install redis-server redis-tools time
jar=$(mktemp --suffix=.jar)
copy_jar "$jar"
keys_pattern=':app.models.User:*'

dir='' port='' sampler=''
cleanup() {
  [ -z "$sampler" ] || kill "$sampler" 2>/dev/null || true
  [ -z "$port" ] || redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  [ -z "$dir" ] || [ "${KEEP:-}" = 1 ] || rm -rf "$dir"
  rm -f "$jar"
}
trap cleanup EXIT
ratio() { [[ $1 =~ ^[0-9.]+$ && $2 =~ ^[0-9.]+$ ]] && calc "printf \"%.2f\", $1 / $2" || echo n/a; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

start_server() { # from $dir/data.rdb if there is one
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" --dbfilename data.rdb \
    --daemonize yes --logfile "$dir/redis.log" >/dev/null
  local tries=0
  until [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ]; do # LOADING while it reads the RDB file
    sleep 0.1
    (( ++tries < 6000 )) || { log "redis-server did not come up, see $dir/redis.log"; exit 1; }
  done
}
stop_server() {
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  while redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done
}
fresh_data() { stop_server; ln -f "$dir/pristine.rdb" "$dir/data.rdb"; start_server; }

server_cpu() { redis-cli -p "$port" info cpu | awk -F: '/^used_cpu_(user|sys):/ {s += $2} END {printf "%.6f", s}'; }
# CPU seconds (user + sys, all threads) of the java process that process $1 started; nothing before it starts or
# after it ends.
java_cpu() {
  local pid
  pid=$(pgrep -P "$1" -x java | head -1) || true
  [ -z "$pid" ] || awk -v tck="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / tck }' \
    "/proc/$pid/stat" 2>/dev/null || true
}
# Background: "epoch_seconds server_cpu_seconds [jvm_cpu_seconds]" about once a second (1 s sleep plus one
# redis-cli) into $1; the JVM's when $2, the parent of the java process, is given and it has started.
start_sampler() {
  ( while :; do echo "$EPOCHREALTIME $(server_cpu) ${2:+$(java_cpu "$2")}"; sleep 1; done ) > "$1" & sampler=$!
}
stop_sampler() { kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; sampler=''; }

# Requests per second that redis-benchmark reports for one command (pipelined 64 deep, 50 clients).
rps() {
  redis-benchmark -p "$port" -P 64 -n 2000000 -q "$@" | tr '\r' '\n' \
    | sed -n 's/.* \([0-9.]*\) requests per second.*/\1/p' | tail -1
}

# Wall seconds of one command (output discarded).
wall() { local s=$EPOCHREALTIME; "$@" >/dev/null 2>&1 || true; calc "printf \"%.2f\", $EPOCHREALTIME - $s"; }

# Results: R[column,figure]; one column per size and mode.
declare -A R
columns=()

for users in "${sizes[@]}"; do
  dir=$(mktemp -d)
  port=$(free_port)
  log "$users users: generating on port $port in $dir"
  start_server
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -jar "$jar" --job=generateDemoData --count="$users" --redis.url="redis://127.0.0.1:$port" \
    --job-repository.url="jdbc:h2:file:$dir/demo-repo" >/dev/null
  keys=$(redis-cli -p "$port" dbsize)
  redis-cli -p "$port" save >/dev/null
  mv "$dir/data.rdb" "$dir/pristine.rdb"

  log "$users users: ceiling (redis-benchmark)"
  # A five-field user hash like the ones loaded.
  redis-cli -p "$port" hset bench:user pk 01HZY3J3M1X2Q7W8E9R0T5Y6U7 name "Ada Lovelace" \
    email ada.lovelace1@example.com age 36 created_at 2024-01-15T10:30:00Z >/dev/null
  hgetall=$(rps hgetall bench:user)
  hset=$(rps hset bench:user created_at 1705314600.0)
  ceiling=$(calc "printf \"%.0f\", 1/(1/$hgetall + 1/$hset)")

  log "$users users: baseline"
  fresh_data
  /usr/bin/time -f '%U %S %M' -o "$dir/baseline.time" java bench/PipelinedBaseline.java --port "$port" \
    --pattern "$keys_pattern" --field created_at > "$dir/baseline.out"
  # baseline: N keys, C changed, S s, K keys/s, cpu X s (x us/key), server cpu Y s (y us/key)
  read -r b_kps b_cpu b_srv b_busy < <(awk '/^baseline:/ { gsub(/[(),]/, ""); for (i = 1; i <= NF; i++) {
      if ($i == "s" && s == "") s = $(i-1); if ($i == "keys/s") k = $(i-1)
      if ($i == "cpu") c[++n] = $(i+1); if ($i == "us/key") u[++m] = $(i-1) }
    printf "%.0f %s %s %.2f\n", k, u[1], u[2], c[2] / s }' "$dir/baseline.out")
  b_bad=$(not_numeric "$port" "$keys_pattern")
  log "  $(cat "$dir/baseline.out"); process: $(awk '{printf "%.2f s CPU, peak RSS %.0f MB", $1 + $2, $3 / 1024}' "$dir/baseline.time")"

  for run in "${runs[@]}"; do
    variant=${run%%|*} mode=${run#*|}
    cds=''
    [[ $variant != *+cds ]] || { variant=${variant%+cds}; cds="$dir/run-${#columns[@]}.jsa"; }
    # shellcheck disable=SC2206 # JAVA_OPTS is a list of options
    jvm=(${JAVA_OPTS:-})
    [ "$variant" = - ] || jvm+=("$variant")
    jvm_base=("${jvm[@]}") # without the archive, for the startup rows' own archive
    col=${#columns[@]}
    columns+=("$col")
    repo="$dir/repo-$col"
    log "$users users: migrateData $(echo ${MIGRATE_OPTS:-} $mode) (JVM: ${jvm[*]:-defaults})"
    fresh_data
    if [ -n "$cds" ]; then
      java "${jvm[@]}" -XX:ArchiveClassesAtExit="$cds" -jar "$jar" --job=migrateData --dry-run \
        --redis.url="redis://127.0.0.1:$port" --job-repository.url="jdbc:h2:file:$dir/cds-dry-run-${#columns[@]}" \
        --datetime.keys="$keys_pattern" --datetime.fields=created_at ${MIGRATE_OPTS:-} $mode > "$dir/cds-dry-run.log" 2>&1
      [ -s "$cds" ] || { tail -5 "$dir/cds-dry-run.log" >&2; log "no archive from the dry run"; exit 1; }
      jvm+=(-XX:SharedArchiveFile="$cds")
      variant+="+cds"
    fi
    migrate=(java "${jvm[@]}" -jar "$jar" --job=migrateData --redis.url="redis://127.0.0.1:$port"
      --job-repository.url="jdbc:h2:file:$repo" --datetime.keys="$keys_pattern" --datetime.fields=created_at
      --progress.interval=1 ${MIGRATE_OPTS:-} $mode)
    redis-cli -p "$port" config resetstat > /dev/null
    cpu_before=$(server_cpu)
    echo "$EPOCHREALTIME $cpu_before" > "$dir/cpu.samples"
    t0=$EPOCHREALTIME
    /usr/bin/time -f '%U %S %M' -o "$dir/migrate.time" "${migrate[@]}" > "$dir/run.log" 2>&1 &
    timed=$!
    start_sampler "$dir/cpu.samples.1" "$timed"
    if ! wait "$timed"; then
      tail -20 "$dir/run.log" >&2
      log "migrateData failed: ${migrate[*]}"
      exit 1
    fi
    t1=$EPOCHREALTIME
    cpu_after=$(server_cpu)
    stop_sampler
    # The JVM's whole CPU as it exited closes its samples: the sampler's last tick may come before the run's last
    # progress line, and the figures once warm need a JVM sample on each side of it.
    jvm_total=$(awk '{printf "%.2f", $1 + $2}' "$dir/migrate.time")
    { cat "$dir/cpu.samples.1"; echo "$t1 $cpu_after $jvm_total"; } | sort -g -k1,1 >> "$dir/cpu.samples"
    command_stats "${mode:-default}" "$users" "$port"

    # Progress lines as "epoch percent read", for the first migration reporting progress. Their clock is the local
    # time of day: epoch = t0 - (t0's time of day) + time of day (+ a day if the run crossed midnight).
    t0_day=$(date -d "@$t0" +%H:%M:%S.%N | awk -F: '{print $1 * 3600 + $2 * 60 + $3}')
    awk -v t0="$t0" -v t0_day="$t0_day" '/% walked, / || / applied \(execution / {
        if ($1 !~ /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/) next
        if (id == "") id = $3; if ($3 != id) next
        split($1, hms, ":"); t = t0 - t0_day + hms[1] * 3600 + hms[2] * 60 + hms[3]; if (t < t0 - 1) t += 86400
        p = 100; for (i = 1; i <= NF; i++) { if ($i == "walked,") p = $(i-1); if ($i == "read,") r = $(i-1) }
        sub(/%/, "", p); sub(/,/, ".", p); gsub(/[^0-9]/, "", r)
        printf "%.3f %s %s\n", t, p, r }' "$dir/run.log" > "$dir/progress"
    # warm keys/s, server CPU per key and busy share in the data phase; the JVM's and the server's CPU per key once
    # warm (see the header).
    read -r warm srv_key srv_busy jvm_warm srv_warm < <(awk '
      function at(t, n, T, C,   i) { # CPU at time t, interpolated between the n samples T (times), C (CPU)
        if (t <= T[1]) return C[1]
        for (i = 2; i <= n; i++) if (t <= T[i]) return C[i-1] + (C[i] - C[i-1]) * (t - T[i-1]) / (T[i] - T[i-1])
        return C[n] }
      FILENAME == ARGV[1] { st[++ns] = $1; sc[ns] = $2; if (NF > 2) { jt[++nj] = $1; jc[nj] = $3 } next }
      { n++; if (n == 1 || $3 == 0) { td = $1; rd = $3 } if (ta == "" && $2 >= 30) { ta = $1; ra = $3 } tb = $1; rb = $3 }
      END {
        warm = (ta != "" && tb > ta) ? sprintf("%.0f", (rb - ra) / (tb - ta)) : "n/a"
        if (n < 2 || ns < 2 || rb <= rd) { print warm, "n/a", "n/a", "n/a", "n/a"; exit }
        c = at(tb, ns, st, sc) - at(td, ns, st, sc)
        # Once warm: only where JVM samples surround the window (a sample a second; a run shorter than a few
        # seconds after 30% walked has none).
        if (warm == "n/a" || nj < 2 || jt[1] > ta || jt[nj] < tb) { jw = "n/a"; sw = "n/a" } else {
          jw = sprintf("%.2f", (at(tb, nj, jt, jc) - at(ta, nj, jt, jc)) / (rb - ra) * 1e6)
          sw = sprintf("%.2f", (at(tb, ns, st, sc) - at(ta, ns, st, sc)) / (rb - ra) * 1e6) }
        printf "%s %.2f %.2f %s %s\n", warm, c / (rb - rd) * 1e6, c / (tb - td), jw, sw }' \
      "$dir/cpu.samples" "$dir/progress")
    bad=$(not_numeric "$port" "$keys_pattern")

    log "$users users: startup times"
    status=(java "${jvm[@]}" -jar "$jar" --job=status --redis.url="redis://127.0.0.1:$port"
      --job-repository.url="jdbc:h2:file:$repo" --datetime.keys="$keys_pattern" --datetime.fields=created_at)
    "${status[@]}" > "$dir/status.log" 2>&1 || true
    "${migrate[@]}" > "$dir/noop.log" 2>&1 || true
    grep -q 'nothing pending' "$dir/status.log" && grep -q 'nothing pending' "$dir/noop.log" \
      && nothing='' || nothing=' (something was pending!)'
    status_s=$(for _ in 1 2 3 4 5; do wall "${status[@]}"; echo; done | median)
    noop_s=$(for _ in 1 2 3 4 5; do wall "${migrate[@]}"; echo; done | median)
    # The same status with a class data sharing archive made as deploy/kubernetes/Dockerfile makes it: a training
    # run that has no Redis to reach (it fails at its first connection, having loaded most classes).
    java "${jvm_base[@]}" -XX:ArchiveClassesAtExit="$dir/app.jsa" -jar "$jar" --job=status \
      --redis.url=redis://127.0.0.1:1 --redis.retries=0 --job-repository.url="jdbc:h2:file:$dir/cds-training" \
      > "$dir/cds-training.log" 2>&1 || true
    status_cds=(java "${jvm_base[@]}" -XX:SharedArchiveFile="$dir/app.jsa" -jar "$jar" --job=status
      --redis.url="redis://127.0.0.1:$port" --job-repository.url="jdbc:h2:file:$repo"
      --datetime.keys="$keys_pattern" --datetime.fields=created_at)
    "${status_cds[@]}" > "$dir/status-cds.log" 2>&1 || true
    grep -q 'nothing pending' "$dir/status-cds.log" || nothing="$nothing (status with CDS: $(tail -1 "$dir/status-cds.log"))"
    status_cds_s=$(for _ in 1 2 3 4 5; do wall "${status_cds[@]}"; echo; done | median)

    read -r jvm_cpu rss < <(awk '{printf "%.2f %.0f\n", $1 + $2, $3 / 1024}' "$dir/migrate.time")
    seconds=$(calc "printf \"%.2f\", $t1 - $t0")
    kps=$(calc "printf \"%.0f\", $keys / $seconds")
    jvm_key=$(calc "printf \"%.2f\", $jvm_cpu / $keys * 1e6")
    R[$col,users]=$keys
    R[$col,mode]=${mode:-"(none)"}
    R[$col,variant]=$variant
    R[$col,check]=$([ "$bad" = 0 ] && echo ok || echo "$bad bad")
    R[$col,seconds]=$seconds
    R[$col,whole]=$kps
    R[$col,warm]=$warm
    R[$col,baseline]=$b_kps
    R[$col,whole_base]=$(ratio "$kps" "$b_kps")
    R[$col,warm_base]=$(ratio "$warm" "$b_kps")
    R[$col,ceiling]=$ceiling
    R[$col,whole_ceil]=$(ratio "$kps" "$ceiling")
    R[$col,warm_ceil]=$(ratio "$warm" "$ceiling")
    R[$col,base_ceil]=$(ratio "$b_kps" "$ceiling")
    R[$col,jvm_key]=$jvm_key
    R[$col,srv_key]=$srv_key
    R[$col,jvm_srv]=$(ratio "$jvm_key" "$srv_key")
    R[$col,jvm_warm]=$jvm_warm
    R[$col,srv_warm]=$srv_warm
    R[$col,warm_ratio]=$(ratio "$jvm_warm" "$srv_warm")
    R[$col,jvm_fixed]=$([[ $jvm_warm =~ ^[0-9.]+$ ]] && calc "printf \"%.1f\", $jvm_cpu - $jvm_warm * $keys / 1e6" || echo n/a)
    R[$col,srv_busy]=$srv_busy
    R[$col,srv_busy_whole]=$(calc "printf \"%.2f\", ($cpu_after - $cpu_before) / $seconds")
    R[$col,b_key]=$b_cpu
    R[$col,b_srv_key]=$b_srv
    R[$col,b_ratio]=$(ratio "$b_cpu" "$b_srv")
    R[$col,b_busy]=$b_busy
    R[$col,b_check]=$([ "$b_bad" = 0 ] && echo ok || echo "$b_bad bad")
    R[$col,status]=$status_s
    R[$col,status_cds]=$status_cds_s
    R[$col,noop]=$noop_s$nothing
    R[$col,rss]=$rss
    log "  $seconds s, $kps keys/s whole, $warm warm; $(grep -E 'applied \(|FAILED' "$dir/run.log" | tail -1 | sed -E 's/^[0-9:.]+ +[A-Z]+ +//')"
    log "  HGETALL $hgetall/s, HSET $hset/s; JVM $jvm_cpu s CPU; server $(calc "printf \"%.1f\", $cpu_after - $cpu_before") s CPU over the whole process"
  done
  stop_server
  port=''
  if [ "${KEEP:-}" = 1 ]; then log "kept $dir"; else rm -rf "$dir"; fi
  dir=''
done

rows=(
  "users (keys)|users"
  "MIGRATE_OPTS variant (MODES)|mode"
  "JVM option variant (JAVA_VARIANTS)|variant"
  "check: every created_at numeric|check"
  "whole process, s|seconds"
  "keys/s, whole process|whole"
  "keys/s, warm (after 30% walked)|warm"
  "keys/s, baseline|baseline"
  "  whole / baseline|whole_base"
  "  warm / baseline|warm_base"
  "ceiling, keys/s (redis-benchmark)|ceiling"
  "  whole / ceiling|whole_ceil"
  "  warm / ceiling|warm_ceil"
  "  baseline / ceiling|base_ceil"
  "JVM CPU per key, us (whole process)|jvm_key"
  "server CPU per key, us (data phase)|srv_key"
  "  JVM CPU / server CPU per key|jvm_srv"
  "JVM CPU per key, us, warm|jvm_warm"
  "server CPU per key, us, warm|srv_warm"
  "  JVM / server, warm|warm_ratio"
  "JVM CPU above its warm rate, s|jvm_fixed"
  "server busy share, data phase|srv_busy"
  "server busy share, whole process|srv_busy_whole"
  "baseline CPU per key, us|b_key"
  "server CPU per key, us (baseline)|b_srv_key"
  "  baseline CPU / server CPU per key|b_ratio"
  "server busy share, baseline|b_busy"
  "baseline check|b_check"
  "startup --job=status, s (median of 5)|status"
  "  the same with a CDS archive (the image's)|status_cds"
  "startup migrateData, nothing pending, s|noop"
  "peak RSS of the migration JVM, MB|rss"
)
echo
echo "JAVA_OPTS='${JAVA_OPTS:-}' MIGRATE_OPTS='${MIGRATE_OPTS:-}' jar: $JAR"
for row in "${rows[@]}"; do
  printf '%-42s' "${row%%|*}"
  for col in "${columns[@]}"; do printf ' %26s' "${R[$col,${row##*|}]}"; done
  echo
done
