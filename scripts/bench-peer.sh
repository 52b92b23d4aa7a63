#!/usr/bin/env bash
# The peer comparison of issue 8: the same append-then-read-all workload, with the same payloads,
# through ThreatLedger and through the Python `eventsourcing` library, on SQLite and on PostgreSQL.
#
#   scripts/bench-peer.sh [--events N] [--rounds R] [--sequential]     (defaults 100000 and 3)
#
# --sequential: ThreatLedger prepares each batch only after the previous one is appended
# (threatledger-bench --peer-workload … --sequential), as the peer does, instead of preparing the
# next batch while the current one is written.
#
# 1. builds threatledger-bench (release) and writes N generated events as append JSONL;
# 2. installs eventsourcing[postgres] from PyPI into a virtual environment (.build/peer-venv);
# 3. starts the throwaway PostgreSQL cluster of scripts/postgres-test-cluster.sh unless
#    POSTGRES_HOSTNAME is set (and stops it afterwards if it started it);
# 4. runs the workload through both, on both backends, R rounds with the two alternating (each run
#    on a fresh database), and prints the median events/s side by side with the ratio of medians
#    ThreatLedger / eventsourcing (above 1 means ThreatLedger is ahead) and the range of the rounds'
#    own ratios. Rounds, because this kind of machine drifts by tens of percent from minute to minute.
#
# ThreatLedger's side parses, validates (schemas, domain rules, quotes against their article),
# canonically encodes and hash-chains every event; the peer's side stores each payload as its JSON
# transcoder encodes it, with its own per-stream optimistic concurrency. See scripts/bench_peer.py.
set -euo pipefail
cd "$(dirname "$0")/.."

events=100000
rounds=3
tl_mode=()
while [ $# -gt 0 ]; do
    case "$1" in
    --events) events="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --sequential) tl_mode=(--sequential); shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "bench-peer.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

echo "bench-peer: building threatledger-bench (release)" >&2
swift build -c release --product threatledger-bench >&2
bench="$(swift build -c release --show-bin-path)/threatledger-bench"

venv=.build/peer-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import eventsourcing.postgres" 2>/dev/null; then
    echo "bench-peer: installing eventsourcing from PyPI into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q 'eventsourcing[postgres]==9.5.6' >&2
fi

started_pg=no
if [ -z "${POSTGRES_HOSTNAME:-}" ]; then
    eval "$(scripts/postgres-test-cluster.sh start)"
    started_pg=yes
fi
work="$(mktemp -d)"
cleanup() {
    rm -rf "$work"
    if [ "$started_pg" = yes ]; then scripts/postgres-test-cluster.sh stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

"$bench" --events "$events" --export-events "$work/events.jsonl"
pg_url="postgres://${POSTGRES_USER:-postgres}@${POSTGRES_HOSTNAME}:${POSTGRES_PORT:-5432}/${POSTGRES_DB:-postgres}"
schema_suffix="$$"
pg_args=(--host "$POSTGRES_HOSTNAME" --port "${POSTGRES_PORT:-5432}" --user "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}")
[ -n "${POSTGRES_PASSWORD:-}" ] && pg_args+=(--password "$POSTGRES_PASSWORD")

psql_bin="$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | tail -n 1)"
drop_schemas() {
    [ -n "$psql_bin" ] || return 0
    PGPASSWORD="${POSTGRES_PASSWORD:-}" "$psql_bin" -h "$POSTGRES_HOSTNAME" -p "${POSTGRES_PORT:-5432}" -U "${POSTGRES_USER:-postgres}" \
        -d "${POSTGRES_DB:-postgres}" -qc "DROP SCHEMA IF EXISTS peer_tl_$1 CASCADE; DROP SCHEMA IF EXISTS peer_es_$1 CASCADE" >/dev/null 2>&1 || true
}

results="$work/results.jsonl"
for round in $(seq 1 "$rounds"); do
    suffix="${schema_suffix}_$round"
    echo "bench-peer: round $round of $rounds: ThreatLedger on SQLite" >&2
    echo "{\"round\":$round,\"who\":\"tl\",\"backend\":\"sqlite\",\"figures\":$("$bench" --peer-workload "$work/events.jsonl" --db "$work/tl-$round.sqlite" "${tl_mode[@]}")}" >>"$results"
    echo "bench-peer: round $round of $rounds: eventsourcing on SQLite" >&2
    echo "{\"round\":$round,\"who\":\"es\",\"backend\":\"sqlite\",\"figures\":$("$venv/bin/python" scripts/bench_peer.py "$work/events.jsonl" --sqlite "$work/es-$round.sqlite")}" >>"$results"
    rm -f "$work"/*.sqlite*
    echo "bench-peer: round $round of $rounds: ThreatLedger on PostgreSQL" >&2
    echo "{\"round\":$round,\"who\":\"tl\",\"backend\":\"postgres\",\"figures\":$("$bench" --peer-workload "$work/events.jsonl" --db "$pg_url?schema=peer_tl_$suffix" "${tl_mode[@]}")}" >>"$results"
    echo "bench-peer: round $round of $rounds: eventsourcing on PostgreSQL" >&2
    echo "{\"round\":$round,\"who\":\"es\",\"backend\":\"postgres\",\"figures\":$("$venv/bin/python" scripts/bench_peer.py "$work/events.jsonl" "${pg_args[@]}" --schema "peer_es_$suffix")}" >>"$results"
    drop_schemas "$suffix"
done

python3 - "$events" "$rounds" "$results" "${tl_mode[@]}" <<'PY'
import json, statistics, sys
events, rounds, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
mode = "one batch at a time" if "--sequential" in sys.argv[4:] else "next batch prepared while one is written"
runs = [json.loads(line) for line in open(path)]
print(f"append-then-read-all, {events} events, batches of 1000 ({mode}), {rounds} round(s) (median events/s)")
print(f"{'backend':<11}{'step':<8}{'ThreatLedger':>14}{'eventsourcing':>15}{'ratio':>8}   rounds' ratios")
for backend, name in (("sqlite", "SQLite"), ("postgres", "PostgreSQL")):
    for step in ("append", "read"):
        key = f"{step}_events_per_s"
        tl = {r["round"]: r["figures"][key] for r in runs if r["who"] == "tl" and r["backend"] == backend}
        es = {r["round"]: r["figures"][key] for r in runs if r["who"] == "es" and r["backend"] == backend}
        a, b = statistics.median(tl.values()), statistics.median(es.values())
        ratios = sorted(tl[k] / es[k] for k in tl)
        print(f"{name:<11}{step:<8}{a:>14,.0f}{b:>15,.0f}{a / b:>8.2f}   {ratios[0]:.2f}–{ratios[-1]:.2f}")
PY
