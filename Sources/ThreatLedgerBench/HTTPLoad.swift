import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One keep-alive HTTP/1.1 connection to a loopback server, with blocking sockets: each load
/// client is a thread of its own, as a load generator's are (wrk's model), so the clients never
/// wait on the server's scheduler or on one another.
final class HTTPConnection {
    private let fd: Int32
    private var buffer: [UInt8] = []

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw Failure(description: "connect to 127.0.0.1:\(port): errno \(errno)")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    /// Sends one request and reads its whole response; returns the status and the body.
    func send(method: String, path: String, token: String, body: [UInt8]? = nil) throws -> (status: Int, body: [UInt8]) {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        let request = Array((head + "\r\n").utf8) + (body ?? [])
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Failure(description: "write: errno \(errno)") }
            sent += n
        }
        // Headers.
        var end: Int?
        while end == nil {
            end = Self.find([13, 10, 13, 10], in: buffer)
            if end == nil { try fill() }
        }
        let header = String(decoding: buffer[..<end!], as: UTF8.self)
        buffer.removeFirst(end! + 4)
        let lines = header.split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.split(separator: " ").count >= 2, let status = Int(statusLine.split(separator: " ")[1]) else {
            throw Failure(description: "bad status line: \(lines.first ?? "")")
        }
        var length: Int?
        var chunked = false
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = parts[0].lowercased()
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            if name == "content-length" { length = Int(value) }
            if name == "transfer-encoding", value.lowercased().contains("chunked") { chunked = true }
        }
        if chunked {
            var result: [UInt8] = []
            while true {
                var lineEnd = Self.find([13, 10], in: buffer)
                while lineEnd == nil {
                    try fill()
                    lineEnd = Self.find([13, 10], in: buffer)
                }
                let size = Int(String(decoding: buffer[..<lineEnd!], as: UTF8.self).split(separator: ";")[0], radix: 16) ?? 0
                buffer.removeFirst(lineEnd! + 2)
                while buffer.count < size + 2 { try fill() }
                result += buffer[..<size]
                buffer.removeFirst(size + 2)
                if size == 0 { return (status, result) }
            }
        }
        let count = length ?? 0
        while buffer.count < count { try fill() }
        let body = Array(buffer[..<count])
        buffer.removeFirst(count)
        return (status, body)
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { throw Failure(description: n == 0 ? "the server closed the connection" : "read: errno \(errno)") }
        buffer += chunk[..<n]
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}

/// A bounded load on a running server: `clients` threads, each with one keep-alive connection,
/// share `requests` GETs drawn from `paths`; meanwhile one more thread POSTs `writes` bodies, one
/// every `writeEvery`. Reports requests/s (2xx only), latencies and failures.
struct HTTPLoad {
    let port: Int
    let token: String
    let clients: Int
    let requests: Int
    let paths: [String]
    let writePath: String
    let writes: [[UInt8]]
    let writeEvery: Duration

    struct Result {
        var seconds: Double = 0
        var ok = 0
        var failed = 0
        var latenciesMs: [Double] = []
        /// The same latencies by route (the path before `?`).
        var latenciesByRoute: [String: [Double]] = [:]
        /// The slowest request seen, with its path.
        var slowest: (ms: Double, path: String) = (0, "")
        var writesOK = 0
        var writesFailed = 0
        var writeLatenciesMs: [Double] = []
        var firstFailure: String?
    }

    /// Shared state of a run, guarded by a lock.
    private final class Shared: @unchecked Sendable {
        let lock = NSLock()
        var next = 0
        var result = Result()
        var readersDone = false
    }

    func run() -> Result {
        let shared = Shared()
        let group = DispatchGroup()
        let start = DispatchTime.now()
        for client in 0..<clients {
            group.enter()
            let thread = Thread { [self] in
                defer { group.leave() }
                var local: [Double] = []
                var byRoute: [String: [Double]] = [:]
                var slowest: (ms: Double, path: String) = (0, "")
                var ok = 0
                var failed = 0
                var failure: String?
                var connection = try? HTTPConnection(port: port)
                var random = SplitMix64(seed: UInt64(client + 1))
                while true {
                    shared.lock.lock()
                    let mine = shared.next
                    shared.next += 1
                    shared.lock.unlock()
                    guard mine < requests else { break }
                    let path = paths[random.below(paths.count)]
                    let t = DispatchTime.now()
                    do {
                        if connection == nil { connection = try HTTPConnection(port: port) }
                        let response = try connection!.send(method: "GET", path: path, token: token)
                        if (200..<300).contains(response.status) {
                            ok += 1
                        } else {
                            failed += 1
                            failure = failure ?? "\(response.status) on \(path): \(String(decoding: response.body.prefix(200), as: UTF8.self))"
                        }
                    } catch {
                        failed += 1
                        failure = failure ?? "\(path): \(error)"
                        connection = nil
                    }
                    let ms = Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1e6
                    local.append(ms)
                    byRoute[String(path.prefix { $0 != "?" }), default: []].append(ms)
                    if ms > slowest.ms { slowest = (ms, path) }
                }
                shared.lock.lock()
                shared.result.ok += ok
                shared.result.failed += failed
                shared.result.latenciesMs += local
                shared.result.latenciesByRoute.merge(byRoute) { $0 + $1 }
                if slowest.ms > shared.result.slowest.ms { shared.result.slowest = slowest }
                shared.result.firstFailure = shared.result.firstFailure ?? failure
                shared.lock.unlock()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        let writer = DispatchGroup()
        writer.enter()
        let writeThread = Thread { [self] in
            defer { writer.leave() }
            var connection = try? HTTPConnection(port: port)
            let interval = Double(writeEvery.components.seconds) + Double(writeEvery.components.attoseconds) / 1e18
            for body in writes {
                shared.lock.lock()
                let done = shared.readersDone
                shared.lock.unlock()
                if done { break }
                let t = DispatchTime.now()
                var outcome: (Bool, String?) = (false, nil)
                do {
                    if connection == nil { connection = try HTTPConnection(port: port) }
                    let response = try connection!.send(method: "POST", path: writePath, token: token, body: body)
                    outcome = ((200..<300).contains(response.status), "\(response.status): \(String(decoding: response.body.prefix(200), as: UTF8.self))")
                } catch {
                    outcome = (false, "\(error)")
                    connection = nil
                }
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1e9
                shared.lock.lock()
                if outcome.0 {
                    shared.result.writesOK += 1
                } else {
                    shared.result.writesFailed += 1
                    shared.result.firstFailure = shared.result.firstFailure ?? "append \(outcome.1 ?? "")"
                }
                shared.result.writeLatenciesMs.append(elapsed * 1000)
                shared.lock.unlock()
                if elapsed < interval { usleep(useconds_t((interval - elapsed) * 1e6)) }
            }
        }
        writeThread.start()
        group.wait()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        shared.lock.lock()
        shared.readersDone = true
        shared.lock.unlock()
        writer.wait()
        var result = shared.result
        result.seconds = seconds
        return result
    }
}
