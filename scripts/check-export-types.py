#!/usr/bin/env python3
"""Load ThreatLedger's dataset-shaped CSV exports with pandas and check each column's type.

An analyst's first step with an ACLED or UCDP file is `pandas.read_csv`; this checks that
ThreatLedger's exports load the same way: count and code columns are numeric with whole
values, coordinates are floating point in range, dates parse as ISO dates, identifiers and
words stay text. Exits 1, naming the file, column and why, on the first column that does not.

Usage: scripts/check-export-types.py acled FILE.csv [ucdp FILE.csv] [csv FILE.csv]
"""
import sys

import pandas as pd

WHOLE = {
    "acled": ["year", "time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision", "fatalities", "timestamp",
              "tl_quote_start", "tl_quote_end"],
    "ucdp": ["year", "type_of_violence", "where_prec", "event_clarity", "date_prec", "deaths_a", "deaths_b", "deaths_civilians",
             "deaths_unknown", "best", "high", "low", "number_of_sources", "tl_quote_start", "tl_quote_end"],
    "csv": ["quote_start", "quote_end", "revision", "geo_precision", "killed_low", "killed_best", "killed_high", "where_prec"],
}
COORDINATES = {"latitude": 90, "longitude": 180}
DATES = {
    "acled": ["event_date"],
    "ucdp": ["date_start", "date_end", "source_date"],
    "csv": ["event_date_start", "event_date_end", "source_published_start"],
}
TEXT = {
    "acled": ["event_id_cnty", "notes", "country", "tl_claim_id", "tl_article_sha256"],
    "ucdp": ["id", "source_headline", "country", "tl_claim_id", "tl_article_sha256"],
    "csv": ["claim_id", "article_sha256", "summary", "quote"],
}


def fail(path, column, why):
    sys.exit(f"{path}: column {column}: {why}")


def check(kind, path):
    frame = pd.read_csv(path, keep_default_na=True)
    if len(frame) == 0:
        fail(path, "-", "no rows")
    for column in WHOLE[kind]:
        if column not in frame:
            fail(path, column, "missing")
        values = frame[column]
        if not pd.api.types.is_numeric_dtype(values):
            fail(path, column, f"loads as {values.dtype}, not a number")
        present = values.dropna()
        if not (present == present.round()).all():
            fail(path, column, "holds a value that is not a whole number")
    for column, limit in COORDINATES.items():
        values = frame[column]
        if not pd.api.types.is_float_dtype(values):
            fail(path, column, f"loads as {values.dtype}, not floating point")
        if (values.dropna().abs() > limit).any():
            fail(path, column, f"holds a value beyond ±{limit}")
    for column in DATES[kind]:
        present = frame[column].dropna().astype(str)
        try:
            pd.to_datetime(present, format="%Y-%m-%d", errors="raise")
        except (ValueError, TypeError) as error:
            fail(path, column, f"holds a value that is not a YYYY-MM-DD date ({error})")
    for column in TEXT[kind]:
        values = frame[column]
        if pd.api.types.is_numeric_dtype(values) and values.notna().any():
            fail(path, column, f"loads as {values.dtype}; it should stay text")
    print(f"{path}: {len(frame)} rows, {len(frame.columns)} columns load with pandas {pd.__version__} as typed")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if not arguments or len(arguments) % 2 or any(kind not in WHOLE for kind in arguments[::2]):
        sys.exit(__doc__)
    for kind, path in zip(arguments[::2], arguments[1::2]):
        check(kind, path)
