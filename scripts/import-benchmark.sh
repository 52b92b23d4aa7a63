#!/usr/bin/env bash
# The import benchmark: generates ACLED- and UCDP-shaped files (scripts/dataset-generate.py), imports
# each into a fresh SQLite log with the release build, and prints rows/s and peak resident memory,
# beside a floor measured in the same run: the sqlite3 tool loading the same CSV into a plain table
# (`.import --csv`: parsing and inserting, no checks, no events, no hashes). Run at two sizes, so
# that memory staying flat while the file grows tenfold shows the import streams.
#
# Usage: scripts/import-benchmark.sh [ROWS]   (default 100000; also runs ROWS/10)
#        THREATLEDGER=path/to/threatledger scripts/import-benchmark.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-100000}"
if [ "$rows" = "--help" ] || [ "$rows" = "-h" ]; then sed -n 2,9p "$0"; exit 0; fi
binary="${THREATLEDGER:-.build/release/threatledger}"
[ -x "$binary" ] || { echo "error: $binary is not built; run: swift build -c release --product threatledger" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "error: the sqlite3 tool is needed for the floor" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
printf '%-6s %8s %12s %12s %10s %14s\n' dataset rows "rows/s" "floor rows/s" ratio "peak RSS MB"
for dataset in acled ucdp; do
    for n in $((rows / 10)) "$rows"; do
        file="$work/$dataset-$n.csv"
        python3 scripts/dataset-generate.py "$dataset" "$n" >"$file" 2>/dev/null
        start=$(now)
        sqlite3 "$work/floor-$dataset-$n.sqlite" ".import --csv $file rows"
        floor=$(python3 -c "print($n / ($(now) - $start))")
        report=$("$binary" import "$dataset" "$file" --db "$work/log-$dataset-$n.sqlite" --format json 2>"$work/progress.txt") || {
            cat "$work/progress.txt" >&2
            exit 1
        }
        python3 - "$dataset" "$n" "$floor" "$report" <<'PY'
import json, sys
dataset, n, floor, report = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), json.loads(sys.argv[4])
assert report["rows"] == n, report
rate = report["rows_per_second"]
print(f"{dataset:<6} {n:>8} {rate:>12,.0f} {floor:>12,.0f} {rate / floor:>10.3f} {report['peak_rss_mb']:>14,.0f}"
      f"   (check {report['check_seconds']:.1f} s, write {report['write_seconds']:.1f} s)")
PY
    done
done
