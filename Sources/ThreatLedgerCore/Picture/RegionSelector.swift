/// Which region keys a user's `--region` (or `?region=`) names: a country with its divisions (`SY`),
/// or one division (`SY/Al-Hasakah`). Division names match leniently: case, spaces, hyphens,
/// apostrophes and a leading "al" do not matter, so `SY/Hasakah` finds `SY/Al-Hasakah`.
public enum RegionSelector {
    /// The selected keys, or nil when none matches.
    public static func select(_ keys: [String], region: String?) -> [String]? {
        guard let region else { return keys }
        let wanted = comparable(region)
        let selected = keys.filter { key in
            comparable(key) == wanted || (!region.contains("/") && key.lowercased().hasPrefix(region.lowercased() + "/"))
        }
        return selected.isEmpty ? nil : selected
    }

    /// The one key that is the region itself (not its divisions).
    public static func exact(_ keys: [String], region: String) -> String? {
        keys.first { comparable($0) == comparable(region) }
    }

    /// The country a user's region names, as region keys spell it (`sy/hasakah` → `SY`), or
    /// `unplaced`.
    public static func canonicalCountry(_ region: String) -> String {
        if region.lowercased() == "unplaced" { return "unplaced" }
        return String(region.split(separator: "/", maxSplits: 1).first ?? "").uppercased()
    }

    /// The countries with claims, for error messages.
    public static func countries(_ keys: [String]) -> [String] {
        Set(keys.map { $0.split(separator: "/").first.map(String.init) ?? $0 }).sorted()
    }

    static func comparable(_ region: String) -> String {
        let parts = region.lowercased().split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return parts.first ?? "" }
        var division = parts[1].filter { $0 != " " && $0 != "-" && $0 != "'" }
        if division.hasPrefix("al"), division.count > 4 { division.removeFirst(2) }
        return parts[0] + "/" + division
    }
}
