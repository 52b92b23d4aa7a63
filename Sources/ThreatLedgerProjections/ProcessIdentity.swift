import Foundation

/// Who this process is, as rebuild locks and records name it: `role (pid N on host)`.
package enum ProcessIdentity {
    package static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, 255)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    package static func holder(role: String) -> String {
        "\(role) (pid \(getpid()) on \(hostName))"
    }
}
