#!/usr/bin/env bash
# The peer comparison of issue 8: the same append-then-read-all workload, with the same payloads,
# through ThreatLedger and through the Python `eventsourcing` library, on SQLite and on PostgreSQL.
#
#   scripts/bench-peer.sh [--events N]     (default 100000)
#
# 1. builds threatledger-bench (release) and writes N generated events as append JSONL;
# 2. installs eventsourcing[postgres] from PyPI into a virtual environment (.build/peer-venv);
# 3. starts the throwaway PostgreSQL cluster of scripts/postgres-test-cluster.sh unless
#    POSTGRES_HOSTNAME is set (and stops it afterwards if it started it);
# 4. runs the workload through both, on both backends, and prints events/s side by side with the
#    ratio ThreatLedger / eventsourcing (above 1 means ThreatLedger is ahead).
#
# ThreatLedger's side parses, validates (schemas, domain rules, quotes against their article),
# canonically encodes and hash-chains every event; the peer's side stores each payload as its JSON
# transcoder encodes it, with its own per-stream optimistic concurrency. See scripts/bench_peer.py.
set -euo pipefail
cd "$(dirname "$0")/.."

events=100000
while [ $# -gt 0 ]; do
    case "$1" in
    --events) events="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

echo "bench-peer: ThreatLedger on SQLite" >&2
tl_sqlite="$("$bench" --peer-workload "$work/events.jsonl" --db "$work/threatledger.sqlite")"
echo "bench-peer: eventsourcing on SQLite" >&2
es_sqlite="$("$venv/bin/python" scripts/bench_peer.py "$work/events.jsonl" --sqlite "$work/eventsourcing.sqlite")"
echo "bench-peer: ThreatLedger on PostgreSQL" >&2
tl_pg="$("$bench" --peer-workload "$work/events.jsonl" --db "$pg_url?schema=peer_tl_$schema_suffix")"
echo "bench-peer: eventsourcing on PostgreSQL" >&2
es_pg="$("$venv/bin/python" scripts/bench_peer.py "$work/events.jsonl" "${pg_args[@]}" --schema "peer_es_$schema_suffix")"
psql_bin="$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | tail -n 1)"
if [ -n "$psql_bin" ]; then
    PGPASSWORD="${POSTGRES_PASSWORD:-}" "$psql_bin" -h "$POSTGRES_HOSTNAME" -p "${POSTGRES_PORT:-5432}" -U "${POSTGRES_USER:-postgres}" \
        -d "${POSTGRES_DB:-postgres}" -qc "DROP SCHEMA IF EXISTS peer_tl_$schema_suffix CASCADE; DROP SCHEMA IF EXISTS peer_es_$schema_suffix CASCADE" >/dev/null 2>&1 || true
fi

python3 - "$events" "$tl_sqlite" "$es_sqlite" "$tl_pg" "$es_pg" <<'PY'
import json, sys
events = sys.argv[1]
tl_sqlite, es_sqlite, tl_pg, es_pg = (json.loads(a) for a in sys.argv[2:6])
print(f"append-then-read-all, {events} events, batches of 1000 (events/s)")
print(f"{'backend':<11}{'step':<8}{'ThreatLedger':>14}{'eventsourcing':>15}{'ratio':>8}")
for name, tl, es in (("SQLite", tl_sqlite, es_sqlite), ("PostgreSQL", tl_pg, es_pg)):
    for step in ("append", "read"):
        a, b = tl[f"{step}_events_per_s"], es[f"{step}_events_per_s"]
        print(f"{name:<11}{step:<8}{a:>14,}{b:>15,}{a / b:>8.2f}")
PY
