#!/usr/bin/env python3
"""Scores `threatledger propose` against the coded seeds (issue 18's measure).

Usage: scripts/propose-eval.py THREATLEDGER [SEEDS]

For each seed article, runs `THREATLEDGER propose ARTICLE --published START/PRECISION` (the seed
source's publication date) and matches proposals to the coded claims one to one: a proposal
matches a coded claim of the same kind whose statement it overlaps by at least half of the coded
statement's code points; each side is matched once (greedy, largest overlap first). Prints per
article and overall: recall of incident-scope claims and of all claims, precision (against coded
claims only), figures exact among matched claims (a coded figure counts as found when a proposed
figure of the matched claim has the same measure, low, high and qualifier), and dates within the
coded range (a proposed day or range inside the coded one; both unknown counts as within).
Standard library only; exits non-zero when a proposal fails to parse.
"""
import json
import os
import subprocess
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def overlap(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def span(evidence):
    return evidence["position"]["start"], evidence["position"]["end"]


def figure_key(f):
    return f["measure"], f.get("low"), f.get("high"), f["qualifier"]


def date_within(proposed, coded):
    if coded.get("start") is None:
        return proposed.get("start") is None
    if proposed.get("start") is None:
        return False
    return coded["start"] <= proposed["start"] and proposed["end"] <= coded["end"]


def score(coded, proposed):
    pairs = []
    for i, c in enumerate(coded):
        cs = span(c["statement"])
        for j, p in enumerate(proposed):
            if p["kind"] != c["kind"]:
                continue
            o = overlap(cs, span(p["statement"]))
            if o * 2 >= cs[1] - cs[0]:
                pairs.append((o, i, j))
    pairs.sort(reverse=True)
    used_c, used_p, matched = set(), set(), []
    for o, i, j in pairs:
        if i in used_c or j in used_p:
            continue
        used_c.add(i)
        used_p.add(j)
        matched.append((coded[i], proposed[j]))
    incident = [c for c in coded if c["scope"] == "incident"]
    incident_matched = [c for c, _ in matched if c["scope"] == "incident"]
    figures_coded = figures_found = 0
    dates_within = 0
    for c, p in matched:
        keys = [figure_key(f) for f in p["figures"]]
        for f in c["figures"]:
            if f.get("basis") != "stated":
                continue
            figures_coded += 1
            if figure_key(f) in keys:
                figures_found += 1
        if date_within(p["date"], c["date"]):
            dates_within += 1
    return {
        "coded": len(coded), "proposed": len(proposed), "matched": len(matched),
        "incident": len(incident), "incident_matched": len(incident_matched),
        "figures_coded": figures_coded, "figures_exact": figures_found, "dates_within": dates_within,
    }


def ratio(a, b):
    return f"{100 * a / b:5.1f}%" if b else "   —  "


def line(name, s):
    return (f"{name:18} recall (incident) {ratio(s['incident_matched'], s['incident'])} ({s['incident_matched']}/{s['incident']})  "
            f"recall (all) {ratio(s['matched'], s['coded'])} ({s['matched']}/{s['coded']})  "
            f"precision {ratio(s['matched'], s['proposed'])} ({s['matched']}/{s['proposed']})  "
            f"figures exact {ratio(s['figures_exact'], s['figures_coded'])} ({s['figures_exact']}/{s['figures_coded']})  "
            f"dates within {ratio(s['dates_within'], s['matched'])}")


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    binary = sys.argv[1]
    seeds = sys.argv[2] if len(sys.argv) > 2 else "seeds"
    sources = {s["source_id"]: s for s in load(os.path.join(seeds, "sources.jsonl"))}
    total = None
    for name in sorted(os.listdir(os.path.join(seeds, "articles"))):
        source_id = name.split("_", 1)[1].rsplit(".", 1)[0]
        published = sources[source_id]["published"]
        result = subprocess.run(
            [binary, "propose", os.path.join(seeds, "articles", name), "--published", f"{published['start']}/{published['precision']}"],
            capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"{name}: propose failed: {result.stderr.strip()}")
        proposed = [json.loads(l)["payload"] for l in result.stdout.splitlines() if l.strip()]
        proposed = [p for p in proposed if "claim_id" in p]
        coded = load(os.path.join(seeds, "claims", f"{source_id}.jsonl"))
        s = score(coded, proposed)
        print(line(source_id, s))
        total = s if total is None else {k: total[k] + s[k] for k in s}
    print(line("overall", total))


if __name__ == "__main__":
    main()
