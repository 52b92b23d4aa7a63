#!/usr/bin/env bash
# README's main job, on the embedded SQLite default: build the tool, load the corpus into the log,
# and check the log. Safe to run again: event ids derive from content, so a re-run appends nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== building threatledger"
swift build --product threatledger
bin="$(swift build --show-bin-path)/threatledger"
export THREATLEDGER_DB="${THREATLEDGER_DB:-threatledger.sqlite}"

echo "== appending seeds/examples/append-example.jsonl to $THREATLEDGER_DB"
"$bin" append seeds/examples/append-example.jsonl
echo "== verifying the hash chain"
"$bin" verify
echo "== the log"
"$bin" stats
"$bin" log
