#!/usr/bin/env bash
# Scores `threatledger propose` against the coded seeds: recall, precision, figures exact, dates
# within the coded range, per article and overall (see scripts/propose-eval.py).
# Usage: scripts/propose-eval.sh [path/to/threatledger]   (default: builds and uses the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-}"
if [ -z "$binary" ]; then
  swift build -c release --product threatledger >&2
  binary=.build/release/threatledger
fi
python3 scripts/propose-eval.py "$binary" seeds
