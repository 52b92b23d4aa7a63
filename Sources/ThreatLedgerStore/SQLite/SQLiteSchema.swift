/// The SQLite layout of a ThreatLedger log, version by version.
///
/// - `events` is a STRICT table keyed by the gapless global position. `event_id` and
///   `(stream, stream_version)` are unique. Payloads are stored as their RFC 8785 canonical text,
///   exactly the bytes the chain hashes; record times as integer microseconds (UTC).
/// - Triggers refuse UPDATE and DELETE on `events`, and any INSERT whose position is not the
///   next one, so even a buggy writer cannot leave a gap.
/// - `PRAGMA application_id` marks the file as a ThreatLedger log; `PRAGMA user_version` is the
///   layout version below.
enum SQLiteSchema {
    /// 'TLG1' as a big-endian integer.
    static let applicationID: Int64 = 0x544C_4731
    static let currentVersion: Int64 = 1

    static let version1 = """
        CREATE TABLE events (
            position       INTEGER PRIMARY KEY CHECK (position >= 1),
            event_id       TEXT    NOT NULL UNIQUE,
            stream         TEXT    NOT NULL,
            stream_version INTEGER NOT NULL CHECK (stream_version >= 1),
            type           TEXT    NOT NULL,
            schema_version INTEGER NOT NULL,
            payload        TEXT    NOT NULL,
            recorded_at    INTEGER NOT NULL,
            recorded_by    TEXT    NOT NULL,
            correlation_id TEXT,
            causation_id   TEXT,
            previous_hash  BLOB    NOT NULL,
            hash           BLOB    NOT NULL,
            UNIQUE (stream, stream_version)
        ) STRICT;
        CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'threatledger: events are append-only; UPDATE is refused'); END;
        CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'threatledger: events are append-only; DELETE is refused'); END;
        CREATE TRIGGER events_gapless BEFORE INSERT ON events
        WHEN NEW.position <> COALESCE((SELECT MAX(position) FROM events), 0) + 1
        BEGIN SELECT RAISE(ABORT, 'threatledger: positions are gapless; INSERT out of order is refused'); END;
        """
}
