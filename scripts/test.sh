#!/usr/bin/env bash
# The test command README gives: installs what the tests need, then builds and runs every test
# (unit tests with Surefire, then the integration tests against real redis-server processes with Failsafe).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
mvn -B verify "$@"
