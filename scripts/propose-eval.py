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
Then the same overall with `--include-unanchored` (sentences with a trigger but no figure, date or
place proposed too). Then leave-one-article-out: for each article, the lexicon triggers and gazetteer places that only
its matched proposals used (read from the proposals' cues) are left out (`propose --exclude`) and
that article is scored again. Last, the time `propose` takes on a 10 KB article (the seed articles
joined until 10 KB), median of 7 runs of the process, beside `selector` on the same file (the same
start, read and hash, without proposing) as the floor.
Standard library only; exits non-zero when a proposal fails to parse.
"""
import re
import statistics
import tempfile
import time
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
    return (f"{name:21} recall (incident) {ratio(s['incident_matched'], s['incident'])} ({s['incident_matched']}/{s['incident']})  "
            f"recall (all) {ratio(s['matched'], s['coded'])} ({s['matched']}/{s['coded']})  "
            f"precision {ratio(s['matched'], s['proposed'])} ({s['matched']}/{s['proposed']})  "
            f"figures exact {ratio(s['figures_exact'], s['figures_coded'])} ({s['figures_exact']}/{s['figures_coded']})  "
            f"dates within {ratio(s['dates_within'], s['matched'])}")


def propose(binary, path, published, exclude=(), unanchored=False):
    args = [binary, "propose", path, "--published", f"{published['start']}/{published['precision']}"]
    if unanchored:
        args.append("--include-unanchored")
    for entry in exclude:
        args += ["--exclude", entry]
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{path}: propose failed: {result.stderr.strip()}")
    proposed = [json.loads(l)["payload"] for l in result.stdout.splitlines() if l.strip()]
    return [p for p in proposed if "claim_id" in p]


def entries_used(matched_proposals):
    used = set()
    for p in matched_proposals:
        for cue in p["proposal"]["cues"]:
            used.update(re.findall(r"(?:lexicon|gazetteer) «([^»]+)»", cue))
    return used


def matched_proposals(coded, proposed):
    ids = set()
    for c in coded:
        cs = span(c["statement"])
        for p in proposed:
            if p["kind"] == c["kind"] and overlap(cs, span(p["statement"])) * 2 >= cs[1] - cs[0]:
                ids.add(p["claim_id"])
    return [p for p in proposed if p["claim_id"] in ids]


def timed(args):
    start = time.perf_counter()
    subprocess.run(args, capture_output=True, check=True)
    return (time.perf_counter() - start) * 1000


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    binary = sys.argv[1]
    seeds = sys.argv[2] if len(sys.argv) > 2 else "seeds"
    sources = {s["source_id"]: s for s in load(os.path.join(seeds, "sources.jsonl"))}
    total = None
    runs = {}
    for name in sorted(os.listdir(os.path.join(seeds, "articles"))):
        source_id = name.split("_", 1)[1].rsplit(".", 1)[0]
        published = sources[source_id]["published"]
        path = os.path.join(seeds, "articles", name)
        proposed = propose(binary, path, published)
        coded = load(os.path.join(seeds, "claims", f"{source_id}.jsonl"))
        runs[source_id] = (path, published, coded, entries_used(matched_proposals(coded, proposed)))
        s = score(coded, proposed)
        print(line(source_id, s))
        total = s if total is None else {k: total[k] + s[k] for k in s}
    print(line("overall", total))
    total = None
    for source_id, (path, published, coded, _) in runs.items():
        s = score(coded, propose(binary, path, published, unanchored=True))
        total = s if total is None else {k: total[k] + s[k] for k in s}
    print(line("--include-unanchored", total))

    print("leave-one-article-out (entries only that article's matched proposals used, left out):")
    total = None
    for source_id, (path, published, coded, used) in runs.items():
        others = set().union(*(u for other, (_, _, _, u) in runs.items() if other != source_id))
        only = sorted(used - others)
        s = score(coded, propose(binary, path, published, only))
        print(line(source_id, s) + f"  ({len(only)} left out: {', '.join(only) or 'none'})")
        total = s if total is None else {k: total[k] + s[k] for k in s}
    print(line("overall", total))

    text = ""
    for name in sorted(os.listdir(os.path.join(seeds, "articles"))):
        with open(os.path.join(seeds, "articles", name), encoding="utf-8") as f:
            text += f.read() + "\n"
        if len(text.encode("utf-8")) >= 10_240:
            break
    encoded = text.encode("utf-8")
    while len(encoded) > 10_240:
        text = text[:-1]
        encoded = text.encode("utf-8")
    with tempfile.NamedTemporaryFile("wb", suffix=".txt", delete=False) as f:
        f.write(encoded)
        article = f.name
    try:
        propose_ms = statistics.median(timed([binary, "propose", article, "--published", "2024-01-01"]) for _ in range(7))
        floor_ms = statistics.median(timed([binary, "selector", article, text[:20]]) for _ in range(7))
    finally:
        os.unlink(article)
    print(f"propose on a {len(encoded) / 1024:.1f} KB article: median {propose_ms:.1f} ms per run of the process; "
          f"floor (selector on the same file: start, read, hash) {floor_ms:.1f} ms; proposing itself about {propose_ms - floor_ms:.1f} ms")


if __name__ == "__main__":
    main()
