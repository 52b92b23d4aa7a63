#!/usr/bin/env bash
# README's test command: the whole suite, on SQLite and on a real PostgreSQL 15 server.
# Starts a throwaway cluster on a loopback port (scripts/postgres-test-cluster.sh, installing Debian's
# postgresql if it is missing), runs `swift test` with the POSTGRES_* variables the tests read, and
# stops the cluster however the tests end. Extra arguments go to swift test (e.g. --filter Conformance).
set -euo pipefail
cd "$(dirname "$0")/.."

eval "$(scripts/postgres-test-cluster.sh start)"
trap 'scripts/postgres-test-cluster.sh stop >/dev/null 2>&1 || true' EXIT
swift test "$@"
