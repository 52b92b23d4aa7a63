#!/usr/bin/env python3
"""The seed-coding worksheet: writes seeds/sources.jsonl, seeds/claims/*.jsonl and seeds/incidents.jsonl.

Each article_NNN.py holds one article's claims as the coder wrote them, quoting the article's exact
words; this script resolves every quote to W3C Web Annotation selectors (positions in Unicode code
points) and writes the files `threatledger ingest seeds/` reads and checks. The seeds/ files are
what is ingested; this worksheet is how they were made, kept so a reviewer can read the coding as
prose-like code and regenerate it.

Usage: scripts/seed-coding/code_seeds.py [--check]   (--check: fail if seeds/ differs from the worksheet)
"""
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import article_000, article_001, article_002, article_003, article_004  # noqa: E402
from coding import write_jsonl  # noqa: E402

ROOT = HERE.parent.parent
SEEDS = ROOT / "seeds"
ARTICLES = [
    (article_000, "000_a896289027671bb9.txt"), (article_001, "001_5a9ba17097eb5f86.txt"),
    (article_002, "002_9fda8b7b93fb41eb.txt"), (article_003, "003_1aee4b5224ae9675.txt"),
    (article_004, "004_4842e351d2c85202.txt"),
]


def brief(claim, field):
    """The value of a claim's field that an incident's disagreement records."""
    if field == "date":
        d = claim["date"]
        return {k: d[k] for k in ("start", "end", "precision", "basis", "words")}
    measure = field.split(".", 1)[1]
    return [{k: f[k] for k in ("low", "high", "qualifier", "unit")} | {"words": f["evidence"]["quote"]["exact"]}
            for f in claim["figures"] if f["measure"] == measure]


INCIDENTS = [
    ("hasakah-prison-assault-2022", "ISIS assault on the al-Sina'a (Ghwayran) prison in al-Hasakah, January 2022",
     "prison_break",
     ["a896289027671bb9-11", "a896289027671bb9-16", "9fda8b7b93fb41eb-05", "1aee4b5224ae9675-03",
      "1aee4b5224ae9675-05", "1aee4b5224ae9675-06"],
     [("date", "a896… says January 2022 and, elsewhere, 'last year' (2022); 9fda… puts the Ghwayran events three "
               "months before May 2022 (February 2022); 1aee… from a Thursday to the end of that week, inferred "
               "20–23 January 2022.")],
     "The same prison in al-Hasakah: a896… names a prison in Hasakah city and 'al-Sina'a prison', 9fda… 'Ghwayran "
     "prison', 1aee… an SDF detention centre in Hasakah governorate; all three describe ISIS storming it in early 2022."),
    ("baghuz-fall-2019", "Fall of al-Baghuz and end of ISIS's territorial 'caliphate' in Syria, 2019", "territorial",
     ["a896289027671bb9-01", "5a9ba17097eb5f86-01", "9fda8b7b93fb41eb-01", "1aee4b5224ae9675-14",
      "4842e351d2c85202-02", "4842e351d2c85202-05"],
     [("date", "Five sources, five datings: 'three years' before February 2023 (2020); 'nearly two years' before "
               "August 2020; May 2019; spring 2019; and a Saturday inferred as 23 March 2019.")],
     "Each describes ISIS's last territory in Syria falling (al-Baghuz, the last pocket in eastern Syria) or the "
     "victory over it being declared."),
    ("us-doj-crypto-seizure-2020", "US Justice Department seizure of cryptocurrency funding ISIS and al-Qaeda, August 2020",
     "financing_seizure",
     ["a896289027671bb9-23", "5a9ba17097eb5f86-06", "5a9ba17097eb5f86-08"],
     [("figures.amount", "a896… and 5a9b… (citing officials) say 'millions of dollars'; 5a9b… quoting John Demers "
                         "says 'about two million dollars'.")],
     "The same announcement: the US Department of Justice seizing cryptocurrency used by ISIS and al-Qaeda."),
    ("udhaim-attack-2022", "ISIS attack on an army post near al-Udhaim, Diyala, January 2022", "attack",
     ["1aee4b5224ae9675-01", "1aee4b5224ae9675-10"], [],
     "The article's summary bullet and its body tell the same attack."),
    ("mayadin-attack-2020", "ISIS attack on a government post near al-Mayadin, 14 August 2020", "attack",
     ["5a9ba17097eb5f86-02", "5a9ba17097eb5f86-03"], [],
     "The second sentence ('وأضافت') details the attack the first reports."),
    ("breaking-the-walls-campaign", "ISIS's 'Breaking the Walls' prison campaign before the 2014 caliphate",
     "prison_break", ["a896289027671bb9-12", "1aee4b5224ae9675-04"], [],
     "Both name the campaign 'Breaking the Walls' (كسر الجدران) of the years before 2014."),
]


def main():
    sources, claims_by_file, claims = [], {}, {}
    for module, file in ARTICLES:
        article, meta = module.code(str(SEEDS / "articles" / file))
        sources.append({"source_id": article.source_id, "file": f"articles/{file}", "text_sha256": article.sha,
                        "language": "ar", **meta})
        claims_by_file[f"claims/{article.source_id}.jsonl"] = article.claims
        claims.update({c["claim_id"]: c for c in article.claims})
    incidents = []
    for incident_id, label, kind, ids, disagreements, note in INCIDENTS:
        incidents.append({
            "incident_id": incident_id, "label": label, "kind": kind, "claim_ids": ids,
            "disagreements": [{"field": field, "values": [{"claim_id": i, "value": brief(claims[i], field)} for i in ids
                                                          if brief(claims[i], field) != []], "note": text}
                              for field, text in disagreements],
            "note": note})
    outputs = {"sources.jsonl": sources, "incidents.jsonl": incidents, **claims_by_file}
    check = "--check" in sys.argv
    stale = []
    for name, records in outputs.items():
        path = SEEDS / name
        text = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if stale:
        sys.exit("seeds/ differs from the worksheet: " + ", ".join(stale))
    print(f"{'checked' if check else 'wrote'} {len(sources)} sources, {len(claims)} claims, {len(incidents)} incidents")


if __name__ == "__main__":
    main()
