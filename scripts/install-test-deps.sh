#!/usr/bin/env bash
# Installs what the build and the tests need on a Debian machine, when it is missing:
# a JDK 17+, Maven, redis-server, openssl (throwaway TLS certificates) and PostgreSQL's server binaries
# (the tests start their own servers on free ports; nothing is left running).
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

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
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
