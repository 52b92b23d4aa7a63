#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on a loopback port, for tests and local trials.
#
#   scripts/postgres-test-cluster.sh start   # installs Debian's postgresql if missing, starts, prints the env to export
#   scripts/postgres-test-cluster.sh env     # prints the POSTGRES_* variables the tests read
#   scripts/postgres-test-cluster.sh stop    # stops it and removes its data folder
#
# The cluster runs as the postgres user (initdb refuses root), listens only on 127.0.0.1, trusts
# loopback connections (it is disposable: never use these settings for real data), and lives in
# $THREATLEDGER_PG_DIR (default /tmp/threatledger-pg) on $THREATLEDGER_PG_PORT (default 54329).
set -euo pipefail

dir="${THREATLEDGER_PG_DIR:-/tmp/threatledger-pg}"
port="${THREATLEDGER_PG_PORT:-54329}"

bindir() {
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir
    else
        ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
    fi
}

install_if_missing() {
    if [ -z "$(bindir)" ] || [ ! -x "$(bindir)/initdb" ]; then
        echo "installing PostgreSQL from Debian's packages" >&2
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    fi
}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi
}

print_env() {
    echo "export POSTGRES_HOSTNAME=127.0.0.1"
    echo "export POSTGRES_PORT=$port"
    echo "export POSTGRES_USER=postgres"
    echo "export POSTGRES_PASSWORD="
    echo "export POSTGRES_DB=threatledger_test"
}

case "${1:-}" in
start)
    install_if_missing
    bin="$(bindir)"
    if [ -f "$dir/postmaster.pid" ] && as_postgres "'$bin/pg_ctl' -D '$dir' status" >/dev/null 2>&1; then
        echo "already running on port $port" >&2
    else
        rm -rf "$dir"
        mkdir -p "$dir"
        chown postgres:postgres "$dir" 2>/dev/null || true
        as_postgres "'$bin/initdb' -D '$dir' -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null"
        as_postgres "'$bin/pg_ctl' -D '$dir' -l '$dir/server.log' -w -o \"-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$dir' -c max_connections=200 -c fsync=on\" start >/dev/null"
        as_postgres "'$bin/psql' -h 127.0.0.1 -p $port -U postgres -d postgres -qc 'CREATE DATABASE threatledger_test'" >/dev/null
        echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port (data in $dir)" >&2
    fi
    print_env
    ;;
env)
    print_env
    ;;
stop)
    bin="$(bindir)"
    if [ -d "$dir" ]; then
        as_postgres "'$bin/pg_ctl' -D '$dir' -m fast stop" >/dev/null 2>&1 || true
        rm -rf "$dir"
    fi
    echo "stopped" >&2
    ;;
*)
    echo "usage: $0 start|env|stop" >&2
    exit 2
    ;;
esac
