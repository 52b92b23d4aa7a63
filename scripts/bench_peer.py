#!/usr/bin/env python3
"""The peer side of scripts/bench-peer.sh: the same append-then-read-all workload through the Python
`eventsourcing` library's application recorder (its persistence layer: optimistic concurrency per
stream, a totally ordered notification log), on SQLite or PostgreSQL.

Each JSONL line (the file `threatledger-bench --export-events` writes) becomes a StoredEvent: the
stream as originator id, the next version of that stream, the event type as topic, and the payload
encoded by the library's JSONTranscoder. Lines are appended in batches of 1,000 (one insert_events
call, one transaction each); then every notification is read back and its state decoded.
Prints one JSON object with the figures.
"""
import argparse
import json
import sys
import time

from eventsourcing.persistence import JSONTranscoder, StoredEvent


def batches(path, size):
    batch = []
    with open(path, "rb") as handle:
        for line in handle:
            if line.strip():
                batch.append(line)
            if len(batch) == size:
                yield batch
                batch = []
    if batch:
        yield batch


def recorder_for(args):
    if args.sqlite:
        from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

        datastore = SQLiteDatastore(args.sqlite, originator_id_type="text")
        recorder = SQLiteApplicationRecorder(datastore)
    else:
        import psycopg
        from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

        with psycopg.connect(host=args.host, port=args.port, user=args.user, dbname=args.dbname, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{args.schema}"')
        datastore = PostgresDatastore(args.dbname, args.host, args.port, args.user, args.password or "",
                                      schema=args.schema, originator_id_type="text")
        recorder = PostgresApplicationRecorder(datastore)
    recorder.create_table()
    return recorder


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", help="JSONL of events (threatledger-bench --export-events)")
    parser.add_argument("--sqlite", help="SQLite database file to create")
    parser.add_argument("--host"), parser.add_argument("--port", type=int), parser.add_argument("--user")
    parser.add_argument("--password"), parser.add_argument("--dbname"), parser.add_argument("--schema", default="peer")
    args = parser.parse_args()
    if not args.sqlite and not args.host:
        parser.error("give --sqlite FILE or --host/--port/--user/--dbname for PostgreSQL")

    recorder = recorder_for(args)
    transcoder = JSONTranscoder()
    versions = {}
    appended = 0
    start = time.perf_counter()
    for batch in batches(args.file, 1000):
        stored = []
        for line in batch:
            event = json.loads(line)
            stream = event["stream"]
            version = versions.get(stream, 0) + 1
            versions[stream] = version
            stored.append(StoredEvent(originator_id=stream, originator_version=version, topic=event["type"],
                                      state=transcoder.encode(event["payload"])))
        recorder.insert_events(stored)
        appended += len(stored)
        if appended % 50000 < 1000:
            print(f"peer:   {appended} appended", file=sys.stderr)
    append_seconds = time.perf_counter() - start

    start = time.perf_counter()
    read = 0
    position = 1
    while True:
        page = recorder.select_notifications(position, 1000)
        for notification in page:
            transcoder.decode(notification.state)
        read += len(page)
        if len(page) < 1000:
            break
        position = page[-1].id + 1
    read_seconds = time.perf_counter() - start
    print(json.dumps({"events": appended, "read": read,
                      "append_events_per_s": round(appended / append_seconds),
                      "read_events_per_s": round(read / read_seconds)}))


if __name__ == "__main__":
    main()
