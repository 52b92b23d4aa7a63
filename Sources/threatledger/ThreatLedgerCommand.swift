import ArgumentParser

/// `threatledger`: the operator's and auditor's command line over the event log.
@main
struct ThreatLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "threatledger",
        abstract: "An auditable, hash-chained event log of claims about ISIS activity in news articles.",
        discussion: """
            Every change is an event appended to one hash-chained log; nothing is updated or deleted.
            The log lives in a SQLite file or in a PostgreSQL schema: --db PATH or --db postgres://user@host:port/db[?schema=name],
            or THREATLEDGER_DB, or threatledger.sqlite here. Only init, ingest, append and copy --to create a log;
            every other command refuses a place that holds none.
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, IngestCommand.self, SummaryCommand.self, ProvenanceCommand.self, ClaimsCommand.self, TraceCommand.self,
            HistoryCommand.self, CorrectCommand.self, RetractCommand.self, UnlinkCommand.self, DiffCommand.self, TimelineCommand.self, RebuildCommand.self,
            RebuildsCommand.self, ScheduleCommand.self, BackupCommand.self, RestoreCommand.self, ServeCommand.self, TokenCommand.self, CopyCommand.self,
            HeadCommand.self, ProveCommand.self, EvidenceCommand.self,
            KeygenCommand.self, AppendCommand.self, ImportCommand.self, ProposeCommand.self, SelectorCommand.self, SourceCommand.self, LogCommand.self,
            VerifyCommand.self,
            StatsCommand.self,
        ]
    )
}
