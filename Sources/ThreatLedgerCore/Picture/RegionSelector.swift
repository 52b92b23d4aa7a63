/// Which region keys a user's `--region` (or `?region=`) names: a country with its divisions (`SY`),
/// or one division, by ISO 3166-2 code (`SY-HA`) or by name (`SY/Al-Hasakah`, `SY/Hasakah`), which
/// the gazetteer resolves to the code the keys use (``RegionPlace``). A division the gazetteer
/// cannot place is keyed by name, and names match leniently: case, spaces, hyphens, apostrophes and a
/// leading "al" do not matter.
public enum RegionSelector {
    /// The selected keys, or nil when none matches.
    public static func select(_ keys: [String], region: String?) -> [String]? {
        guard let region else { return keys }
        let wanted = resolved(region)
        let selected: [String]
        if wanted.country != nil && wanted.admin1 == nil {
            selected = keys.filter { RegionPlace(key: $0).country == wanted.country }
        } else {
            let key = comparable(wanted.key)
            selected = keys.filter { comparable($0) == key }
        }
        return selected.isEmpty ? nil : selected
    }

    /// The one key that is the region itself (not its divisions).
    public static func exact(_ keys: [String], region: String) -> String? {
        let key = comparable(resolved(region).key)
        return keys.first { comparable($0) == key }
    }

    /// The country a user's region names, as region keys spell it (`sy/hasakah`, `SY-HA` → `SY`), or
    /// `unplaced`.
    public static func canonicalCountry(_ region: String) -> String {
        resolved(region).country ?? "unplaced"
    }

    /// The countries with claims, for error messages.
    public static func countries(_ keys: [String]) -> [String] {
        Set(keys.map { RegionPlace(key: $0).country ?? $0 }).sorted()
    }

    /// The place a user's words name, with a division named in words resolved to its code.
    static func resolved(_ region: String) -> RegionPlace {
        if region.lowercased() == "unplaced" { return RegionPlace(country: nil, admin1: nil) }
        if let slash = region.firstIndex(of: "/") {
            let country = region[..<slash].uppercased()
            let name = String(region[region.index(after: slash)...])
            return RegionPlace(country: country, admin1: RegionPlace.division(of: name, in: country))
        }
        return RegionPlace(key: region.uppercased())
    }

    static func comparable(_ region: String) -> String {
        let parts = region.lowercased().split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return parts.first ?? "" }
        var division = parts[1].filter { $0 != " " && $0 != "-" && $0 != "'" }
        if division.hasPrefix("al"), division.count > 4 { division.removeFirst(2) }
        return parts[0] + "/" + division
    }
}
