"""Helpers of the seed-coding worksheet: build claims from exact quotes of an article.

Every quote is looked up in the article text; positions count Unicode code points (Python str
indexes). A figure's, date's or place's words are looked up inside the claim's statement first, so
their spans lie inside the statement's span whenever the statement holds them.
"""
import hashlib
import json

ISIS = {"name": "ISIS", "name_as_written": "داعش", "type": "isis"}
ARTICLE = {"cited": None, "cited_as_written": None, "cited_type": "article", "hedged": False, "hedge_words": None,
           "evidence": None}
UNKNOWN_DATE = {"start": None, "end": None, "precision": "unknown", "basis": None, "words": None, "evidence": None,
                "note": None}


def actor(name, as_written, type_):
    return {"name": name, "name_as_written": as_written, "type": type_}


class Article:
    def __init__(self, path, source_id):
        with open(path, "rb") as f:
            self.text = f.read().decode("utf-8")
        self.sha = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
        self.source_id = source_id
        self.claims = []
        self.window = None  # (start, end) of the statement being coded

    def evidence(self, quote, occurrence=1, inside=True):
        text = self.text
        start = -1
        if inside and self.window is not None:
            found = text.find(quote, self.window[0])
            if found >= 0 and found + len(quote) <= self.window[1]:
                start = found
        if start < 0:
            for _ in range(occurrence):
                start = text.find(quote, start + 1)
                if start < 0:
                    raise SystemExit(f"{self.source_id}: quote not found: {quote!r}")
        end = start + len(quote)
        return {"article_sha256": self.sha,
                "quote": {"type": "TextQuoteSelector", "exact": quote, "prefix": text[max(0, start - 32):start],
                          "suffix": text[end:end + 32]},
                "position": {"type": "TextPositionSelector", "start": start, "end": end}}

    def date(self, start, end, precision, basis, words, note=None, occurrence=1):
        return {"start": start, "end": end, "precision": precision, "basis": basis, "words": words,
                "evidence": self.evidence(words, occurrence) if words else None, "note": note}

    def unknown_date(self, words=None, note=None):
        return {"start": None, "end": None, "precision": "unknown", "basis": None, "words": words,
                "evidence": self.evidence(words) if words else None, "note": note}

    def place(self, country, admin1=None, as_written=None, translit=None, words=None, note=None):
        return {"country": country, "admin1": admin1,
                "place": {"as_written": as_written, "transliteration": translit} if as_written else None,
                "coordinates": None, "evidence": self.evidence(words or as_written) if (words or as_written) else None,
                "note": note}

    def figure(self, measure, words, low, high, qualifier, unit="people", currency=None, basis="stated", note=None,
               part_of=None):
        return {"measure": measure, "unit": unit, "currency": currency, "low": low, "high": high,
                "qualifier": qualifier, "basis": basis, "note": note, "part_of": part_of,
                "evidence": self.evidence(words)}

    def cite(self, who, as_written, type_, hedge=None, words=None, occurrence=1):
        return {"cited": who, "cited_as_written": as_written, "cited_type": type_, "hedged": hedge is not None,
                "hedge_words": hedge, "evidence": self.evidence(words, occurrence, inside=False) if words else None}

    def stmt(self, quote, occurrence=1):
        """The statement's evidence. Call it as claim()'s fifth argument: Python evaluates arguments
        left to right, so the figures, dates and places after it are looked up inside it."""
        ev = self.evidence(quote, occurrence, inside=False)
        self.window = (ev["position"]["start"], ev["position"]["end"])
        return ev

    def claim(self, number, kind, scope, summary, ev, *, date=None, location=None, figures=(),
              perpetrator=ISIS, target=None, authority=None, attribution=ARTICLE, notes=None):
        resolve = lambda v: v
        claim = {
            "claim_id": f"{self.source_id}-{number:02d}", "source_id": self.source_id, "kind": kind, "scope": scope,
            "summary": summary, "statement": ev,
            "actors": {"perpetrator": perpetrator, "target": target, "authority": authority},
            "attribution": resolve(attribution),
            "date": resolve(date) if date is not None else dict(UNKNOWN_DATE),
            "location": resolve(location) if location is not None else
            {"country": None, "admin1": None, "place": None, "coordinates": None, "evidence": None, "note": None},
            "figures": [resolve(f) for f in figures], "notes": notes,
        }
        self.window = None
        self.claims.append(claim)
        return claim["claim_id"]


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
