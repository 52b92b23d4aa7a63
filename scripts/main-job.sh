#!/usr/bin/env bash
# README's main job, on the embedded SQLite default: build the tool, ingest the seed corpus into the
# log, verify it, and list the claims. Safe to run again: event ids derive from content, so a re-run appends nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== building threatledger"
swift build --product threatledger
bin="$(swift build --show-bin-path)/threatledger"
export THREATLEDGER_DB="${THREATLEDGER_DB:-threatledger.sqlite}"

echo "== ingesting seeds/ into $THREATLEDGER_DB (checked first; all or nothing)"
"$bin" ingest seeds/
echo "== verifying the hash chain and every stored article"
"$bin" verify
echo "== the current claims"
"$bin" claims
"$bin" stats
