#!/usr/bin/env bash
# The quick start in one command, on a fresh Debian machine: installs what is missing, builds the jar, starts a
# throwaway redis-server, loads Redis OM-shaped demo users, runs --job=migrateData with the built-in datetime
# migration and the sample migrations, shows one user before and after, runs it again (nothing left to do for the
# users; the sample migration of Customers, which matched nothing, stays pending), and stops.
#   bash scripts/demo.sh [USERS]      (default 100000)
# The server takes a free port, in SERVER_PORT_RANGE (e.g. 20000-20999) when that is set, as the tests' servers do.
set -euo pipefail
cd "$(dirname "$0")/.."
users=${1:-100000}

bash scripts/install-test-deps.sh
mvn -B -q -DskipTests package

work=$(mktemp -d)
port=$(python3 - <<'PICK'
import os, random, socket, sys
text = os.environ.get("SERVER_PORT_RANGE", "").strip()
if not text:
    candidates = [0]
else:
    try:
        low, high = (int(bound) for bound in text.split("-"))
        assert 1024 <= low <= high <= 65535
    except (ValueError, AssertionError):
        sys.exit(f"SERVER_PORT_RANGE={text}: expected LOW-HIGH, two ports from 1024 to 65535 with LOW <= HIGH")
    candidates = random.sample(range(low, high + 1), min(1000, high - low + 1))
for candidate in candidates:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        print(s.getsockname()[1])
        sys.exit(0)
sys.exit(f"no free port in SERVER_PORT_RANGE={text}")
PICK
)
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --daemonize yes \
  --logfile "$work/redis.log"
trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done

jar=batch-job/target/redis-om-batch.jar
common=(--redis.url="redis://127.0.0.1:$port" --job-repository.url="jdbc:h2:file:$work/jobs")
java -jar "$jar" --job=generateDemoData --count="$users" "${common[@]}"

key=$(redis-cli -p "$port" randomkey)
echo "--- before: $key"; redis-cli -p "$port" hgetall "$key" | paste - -

migrate=(java -jar "$jar" --job=migrateData "${common[@]}" --datetime.keys=':app.models.User:*'
  --datetime.fields=created_at --migrations.jars=sample-migrations/target/sample-migrations.jar)
"${migrate[@]}"

echo "--- after: $key"; redis-cli -p "$port" hgetall "$key" | paste - -
echo "--- applied (redis_om:applied_migrations):"; redis-cli -p "$port" smembers redis_om:applied_migrations
echo "--- the same command again:"
"${migrate[@]}"
