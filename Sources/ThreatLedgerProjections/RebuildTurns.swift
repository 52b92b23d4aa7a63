/// Rebuilds of one projection inside one process take turns: the second waits for the first and
/// then rebuilds in its turn, where the rebuild lock would refuse it as if another process held it
/// (a rebuild awaits the index's reads, so a second can start on the same actor meanwhile).
public actor RebuildTurns {
    private var running = Set<String>()

    public init() {}

    /// Runs `body` once no other rebuild of `name` in this process is running.
    func inTurn<T: Sendable>(_ name: String, _ body: () async throws(ProjectionError) -> T) async throws(ProjectionError) -> T {
        while running.contains(name) { try? await Task.sleep(for: .milliseconds(20)) }
        running.insert(name)
        defer { running.remove(name) }
        return try await body()
    }
}
