#!/usr/bin/env bash
# Installs what the build and the tests need on a Debian machine, when it is missing:
# a JDK 17+, Maven, redis-server, openssl (throwaway TLS certificates), PostgreSQL's server binaries, docker-compose
# (to validate docker-compose.yml) and, on bookworm,
# valkey-server 8 from bookworm-backports (the cluster tests run on Redis 7.0 and on Valkey 8, whose cluster nodes
# keep one dictionary per slot). The tests start their own servers on free ports; nothing is left running.
set -euo pipefail

# Debian's postgresql package puts initdb under /usr/lib/postgresql/<version>/bin, not on the PATH.
have_initdb() {
  command -v initdb >/dev/null 2>&1 || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
have_initdb || missing+=(postgresql)
# ComposeFileTest checks docker-compose.yml with `docker-compose config` (Compose's own schema; no engine needed).
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

# Debian packages Valkey 8 in bookworm-backports only. Its suite is added next to the machine's own bookworm entry
# (same mirror, same component, same key), so a machine behind a mirror keeps using it.
backports_sources=/etc/apt/sources.list.d/bookworm-backports.sources
add_bookworm_backports() {
  if grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    return 0
  fi
  local entry
  entry=$(awk 'BEGIN { RS = ""; FS = "\n" }
    {
      uris = ""; suites = ""; components = ""; signed = ""
      for (i = 1; i <= NF; i++) {
        if ($i ~ /^URIs:/) uris = substr($i, 6)
        if ($i ~ /^Suites:/) suites = " " substr($i, 8) " "
        if ($i ~ /^Components:/) components = substr($i, 12)
        if ($i ~ /^Signed-By:/) signed = substr($i, 11)
      }
      if (suites ~ / bookworm / && uris != "") {
        print "Types: deb\nURIs:" uris "\nSuites: bookworm-backports\nComponents:" components
        if (signed != "") print "Signed-By:" signed
        exit
      }
    }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  if [ -z "$entry" ]; then
    # One-line format: deb [options] URI bookworm component...
    entry=$(grep -hsE '^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?[^[:space:]]+[[:space:]]+bookworm[[:space:]]' \
      /etc/apt/sources.list /etc/apt/sources.list.d/*.list | head -n 1 \
      | sed -E 's/^(deb[[:space:]]+(\[[^]]*\][[:space:]]+)?[^[:space:]]+[[:space:]]+)bookworm([[:space:]])/\1bookworm-backports\3/' || true)
    backports_sources=/etc/apt/sources.list.d/bookworm-backports.list
  fi
  if [ -z "$entry" ]; then
    echo "no bookworm entry in the apt sources to take the mirror from: not installing valkey-server" \
      "(the Valkey cluster tests will be skipped)" >&2
    return 1
  fi
  echo "adding the bookworm-backports suite to $backports_sources"
  printf '%s\n' "$entry" | $sudo tee "$backports_sources" >/dev/null
}

want_valkey=false
if ! command -v valkey-server >/dev/null 2>&1 && [ -r /etc/os-release ] \
    && [ "$(. /etc/os-release && echo "${VERSION_CODENAME:-}")" = bookworm ]; then
  want_valkey=true
fi

if [ ${#missing[@]} -eq 0 ] && [ "$want_valkey" = false ]; then
  exit 0
fi

if [ "$want_valkey" = true ] && ! add_bookworm_backports; then
  want_valkey=false
fi
$sudo apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ "$want_valkey" = true ]; then
  echo "installing: valkey-server valkey-tools (bookworm-backports)"
  $sudo apt-get install -y -qq --no-install-recommends -t bookworm-backports valkey-server valkey-tools >/dev/null
  $sudo service valkey-server stop >/dev/null 2>&1 || true
fi
# Debian's packages start a system redis on 6379 and a PostgreSQL cluster on 5432; the tests use neither, so leave
# the machine as it was.
if [[ " ${missing[*]} " == *" redis-server "* ]]; then
  $sudo service redis-server stop >/dev/null 2>&1 || true
fi
if [[ " ${missing[*]} " == *" postgresql "* ]]; then
  $sudo service postgresql stop >/dev/null 2>&1 || true
fi
command -v redis-server >/dev/null
command -v openssl >/dev/null
have_initdb
