/// A location inside a JSON document, written as a JSON Pointer-like dotted path
/// (`payload.figures[2].low`) so that an error names the exact failing field.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public private(set) var components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    public static let root = JSONPath()

    public func appending(_ key: String) -> JSONPath { appending(component: .key(key)) }

    public func appending(index: Int) -> JSONPath { appending(component: .index(index)) }

    private func appending(component: Component) -> JSONPath {
        var extended: [Component] = []
        extended.reserveCapacity(components.count + 1)  // one allocation per step, not two
        extended.append(contentsOf: components)
        extended.append(component)
        return JSONPath(extended)
    }

    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += key
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text.isEmpty ? "(document)" : text
    }
}
