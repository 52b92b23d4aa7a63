#!/usr/bin/env bash
# README's test command: the whole suite, on SQLite and on a real PostgreSQL 15 server.
# Starts a throwaway cluster on a loopback port (scripts/postgres-test-cluster.sh, installing Debian's
# postgresql if it is missing), runs `swift test` with the POSTGRES_* variables the tests read, and
# stops the cluster however the tests end. Extra arguments go to swift test (e.g. --filter Conformance); without
# any, the deep-tampering suite runs afterwards on its own (THREATLEDGER_DEEP_TESTS=1).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-browser.sh  # chromium, chromium-driver and selenium for the workbench's browser tests
scripts/ensure-reference-validator.sh  # jsonschema, regress and rfc3339-validator for ReferenceValidatorTests
eval "$(scripts/postgres-test-cluster.sh start)"
trap 'scripts/postgres-test-cluster.sh stop >/dev/null 2>&1 || true' EXIT
swift test "$@"
# The deep-tampering suite (a generated 100,000-event log, tampered at random positions) takes minutes in
# a debug build; it runs alone after the rest, so it does not starve their time-bounded tests.
if [ $# -eq 0 ]; then
    THREATLEDGER_DEEP_TESTS=1 swift test --skip-build --filter DeepTamperingTests
fi
