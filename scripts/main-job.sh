#!/usr/bin/env bash
# README's main job, on the embedded SQLite default: build the tool, ingest the seed corpus into the
# log (checked first, all or nothing), rebuild the projections, and print the per-region summary.
# Safe to run again: event ids derive from content, so a re-run appends nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== building threatledger" >&2
swift build --product threatledger >&2
bin="$(swift build --show-bin-path)/threatledger"
export THREATLEDGER_DB="${THREATLEDGER_DB:-threatledger.sqlite}"

echo "== ingesting seeds/ into $THREATLEDGER_DB" >&2
"$bin" ingest seeds/
echo "== verifying the log: chain, every rule, every quote in its article, triggers" >&2
"$bin" verify
echo "== rebuilding the projections" >&2
"$bin" rebuild
echo "== the per-region threat summary" >&2
"$bin" summary
