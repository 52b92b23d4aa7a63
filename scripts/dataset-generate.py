#!/usr/bin/env python3
"""Write a large ACLED- or UCDP-shaped CSV export for the import benchmark.

The rows are generated, not real data: deterministic (a fixed seed), with what real exports hold
and the import must handle (quoted commas, line breaks and doubled quotes inside notes, empty
coordinates and fatalities, Arabic and accented names, all three ACLED date precisions, UCDP
ranges). Every row is one ThreatLedger can import, so the benchmark measures the whole path.

Usage: scripts/dataset-generate.py acled|ucdp ROWS > FILE.csv
"""
import csv
import random
import sys

ACLED = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1",
         "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region",
         "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
         "notes", "fatalities", "tags", "timestamp"]
UCDP = ["id", "year", "type_of_violence", "side_a", "side_b", "source_article", "source_office", "source_date",
        "source_headline", "source_original", "where_prec", "where_coordinates", "adm_1", "adm_2", "latitude", "longitude",
        "country", "country_id", "region", "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b",
        "deaths_civilians", "deaths_unknown", "best", "high", "low", "number_of_sources"]
PLACES = [  # country, iso numeric, GW id, admin1, place, lat, lon, Arabic
    ("Syria", 760, 652, "Al Hasakeh", "Ghweiran", 36.4894, 40.7519, "غويران"),
    ("Syria", 760, 652, "Deir ez Zor", "Al Mayadin", 35.0207, 40.4506, "الميادين"),
    ("Syria", 760, 652, "Homs", "Tadmur", 34.5603, 38.2805, "تدمر"),
    ("Syria", 760, 652, "Ar Raqqa", "Ar Raqqa", 35.9528, 39.0079, "الرقة"),
    ("Iraq", 368, 645, "Diyala", "Baquba", 33.7476, 44.6431, "بعقوبة"),
    ("Iraq", 368, 645, "Kirkuk", "Daquq", 35.1397, 44.4486, "داقوق"),
    ("Iraq", 368, 645, "Al Anbar", "Rawa", 34.4676, 41.9143, "راوة"),
    ("Iraq", 368, 645, "Salah al Din", "Tikrit", 34.6071, 43.6782, "تكريت"),
]
EVENTS = [("Battles", "Armed clash", "Military Forces of {c}", 1), ("Explosions/Remote violence", "Remote explosive/landmine/IED",
          "Civilians ({c})", 7), ("Violence against civilians", "Attack", "Civilians ({c})", 7),
          ("Strategic developments", "Arrests", "Islamic State ({c})", 2)]


def acled_rows(count, rng):
    for n in range(count):
        country, iso, _, admin1, place, lat, lon, arabic = rng.choice(PLACES)
        event_type, sub, actor2, inter2 = rng.choice(EVENTS)
        actor1, inter1 = ("Islamic State ({c})", 2) if sub != "Arrests" else ("Military Forces of {c}", 1)
        year, month, day = rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28)
        fatalities = "" if rng.random() < 0.05 else str(rng.choice([0, 0, 1, 2, 3, 5, 7, 12, 20]))
        coordinates = ("", "") if rng.random() < 0.05 else (f"{lat + rng.uniform(-0.05, 0.05):.4f}", f"{lon + rng.uniform(-0.05, 0.05):.4f}")
        notes = (f"On {day} {['January','February','March','April','May','June','July','August','September','October','November','December'][month-1]} "
                 f"{year}, an event near {place} ({arabic}), {admin1}: {event_type.lower()}, {sub.lower()}; "
                 f"fatalities reported: {fatalities or 'unknown'}.")
        if n % 7 == 0:
            notes += '\nLocal sources called it "the worst in months", citing witnesses.'
        yield [f"{'SYR' if iso == 760 else 'IRQ'}{100000 + n}", f"{year:04d}-{month:02d}-{day:02d}", year, rng.choice([1, 1, 1, 2, 3]),
               "Strategic developments" if sub == "Arrests" else "Political violence", event_type, sub, actor1.format(c=country), "",
               inter1, actor2.format(c=country), "", inter2, f"{min(inter1, inter2)}{max(inter1, inter2)}",
               "Civilian targeting" if inter2 == 7 else "", iso, "Middle East", country, admin1, "", "", place, coordinates[0],
               coordinates[1], rng.choice([1, 2, 3]), "SOHR, local media", "National", notes, fatalities, "", 1700000000 + n]


def ucdp_rows(count, rng):
    for n in range(count):
        country, _, gw, admin1, place, lat, lon, arabic = rng.choice(PLACES)
        year, month, day = rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 21)
        span = rng.choice([0, 0, 0, 3, 6])
        low = rng.choice([0, 1, 2, 5, 9])
        high = low + rng.choice([0, 0, 2, 10])
        best = (low + high) // 2
        civilians = rng.random() < 0.3
        yield [500000 + n, year, 3 if civilians else 1, "IS" if civilians else f"Government of {country}",
               "Civilians" if civilians else "IS", f"Agency report, {year}-{month:02d}-{day:02d}", "Agency",
               f"{year:04d}-{month:02d}-{day + span:02d}", f"Clashes near {place}, {arabic}, {best} dead",
               f"Agency; local sources, \"{place}\"", rng.choice([1, 2, 3, 4]), f"{place} town", f"{admin1} governorate", "",
               f"{lat:.4f}", f"{lon:.4f}", country, gw, "Middle East", 1, 1 if span == 0 else 3,
               f"{year:04d}-{month:02d}-{day:02d}", f"{year:04d}-{month:02d}-{day + span:02d}", 0, 0 if civilians else best,
               best if civilians else 0, 0, best, high, low, 1]


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("acled", "ucdp") or not sys.argv[2].isdigit():
        sys.exit(__doc__)
    dataset, count = sys.argv[1], int(sys.argv[2])
    rng = random.Random(16)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(ACLED if dataset == "acled" else UCDP)
    rows = acled_rows(count, rng) if dataset == "acled" else ucdp_rows(count, rng)
    for number, row in enumerate(rows, 1):
        writer.writerow(row)
        if number % 20000 == 0:
            print(f"dataset-generate: {number} rows", file=sys.stderr)


if __name__ == "__main__":
    main()
