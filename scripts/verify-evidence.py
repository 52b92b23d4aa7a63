#!/usr/bin/env python3
"""Check a ThreatLedger evidence bundle offline, independently of ThreatLedger's own code.

Usage: scripts/verify-evidence.py BUNDLE_DIR|BUNDLE.tar [--public-key HEX]

A bundle (`threatledger evidence`, or GET /v1/evidence) shows why one summary figure is what it is.
This checks, with Python's standard library and the code in this directory alone
(verify-chain.py's RFC 8785 encoding, verify-proof.py's RFC 9162 proofs and RFC 8032 Ed25519,
arabic_quantity.py's reading of Arabic figures):

  1. manifest.sig is the Ed25519 signature of manifest.json under the bundle's key (under
     --public-key, when given: pass the log keeper's published key, or the check shows only that
     the bundle is consistent under the key it carries), and head.json is a version-2 head signed
     by the same key;
  2. every file's SHA-256 is the one the manifest lists, and no file is missing or added;
  3. each event's hash, recomputed from its envelope (schemas/canonical-encoding.md), is the one
     it states, and its inclusion proof leads to the signed head's Merkle root;
  4. each article's text hashes to the SHA-256 its registration states;
  5. every quote of every claim (and of each source's publication date) stands at its code points
     in its article, with its prefix and suffix;
  6. each stated figure says what its words say (number, qualifier and measure);
  7. the figure follows from the claims by the rules the manifest names: the claims folded from
     their events (corrections applied; retractions, retracted sources, unlinked incident claims
     and the clocks honoured), placed in the region, reconciled per incident and summed (or the
     latest estimate taken).

Prints `OK …` lines and exits 0, or `FAIL <what>: <why>` and exits 1 at the first failure.
What a bundle cannot prove is in the manifest's `limits`.
"""
import hashlib
import importlib.util
import json
import os
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import arabic_quantity  # noqa: E402


def _load(name, file):
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, file))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


chain = _load("verify_chain", "verify-chain.py")
proofs = _load("verify_proof", "verify-proof.py")

INCIDENT_RULE = "widest-bounds-latest-best/v1 per incident, sum-of-incidents/v1"
STOCK_RULE = "latest-estimate/v1"
AGGREGATE_RULE = "aggregate claims, each as stated; not added to incidents"


class Failure(Exception):
    pass


def fail(what, why):
    raise Failure(f"{what}: {why}")


def read_bundle(path):
    """{relative path: bytes} of a bundle directory or tar archive."""
    files = {}
    if os.path.isdir(path):
        for root, _, names in os.walk(path):
            for name in names:
                full = os.path.join(root, name)
                with open(full, "rb") as f:
                    files[os.path.relpath(full, path).replace(os.sep, "/")] = f.read()
        return files
    with tarfile.open(path) as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        roots = {m.name.split("/", 1)[0] for m in members}
        if len(roots) != 1 or any("/" not in m.name for m in members):
            fail(path, "a bundle archive holds one directory")
        for m in members:
            files[m.name.split("/", 1)[1]] = tar.extractfile(m).read()
    return files


def json_file(files, name):
    if name not in files:
        fail(name, "missing")
    try:
        return json.loads(files[name].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        fail(name, f"not valid JSON ({error})")


# --- 1, 2: signatures and files ----------------------------------------------------------
def check_signatures_and_files(files, trusted):
    manifest = json_file(files, "manifest.json")
    if manifest.get("type") != "threatledger-evidence/v1":
        fail("manifest.json", f"not a ThreatLedger evidence bundle (type {manifest.get('type')!r})")
    try:
        key = bytes.fromhex(manifest["public_key"])
        signature = bytes.fromhex(files.get("manifest.sig", b"").decode("ascii").strip())
    except (KeyError, ValueError, UnicodeDecodeError):
        fail("manifest.sig", "not a hex signature, or the manifest names no public key")
    if trusted is not None and key != trusted:
        fail("manifest.json", f"signed by key {key.hex()[:16]}…, not the trusted key {trusted.hex()[:16]}…")
    if not proofs.ed25519_verify(key, files["manifest.json"], signature):
        fail("manifest.json", "its Ed25519 signature (manifest.sig) does not verify: the manifest or the signature was changed")
    print(f"OK manifest.json signed by {key.hex()}" + (" (the trusted key)" if trusted else " (no --public-key given: compare it with the log keeper's published key)"))
    listed = manifest.get("files", {})
    for name in sorted(set(files) - {"manifest.json", "manifest.sig"}):
        if name not in listed:
            fail(name, "a file the manifest does not list")
        if hashlib.sha256(files[name]).hexdigest() != listed[name]:
            fail(name, f"its SHA-256 is {hashlib.sha256(files[name]).hexdigest()}, the manifest lists {listed[name]}: the file was changed")
    for name in listed:
        if name not in files:
            fail(name, "listed in the manifest but missing")
    if files.get("public-key.txt", b"").decode("ascii", "replace").strip() != key.hex():
        fail("public-key.txt", "not the manifest's key")
    print(f"OK {len(listed)} files match the SHA-256 the manifest lists")
    head = json_file(files, manifest.get("head", "head.json"))
    if head.get("type") != "threatledger-head/v2":
        fail("head.json", f"a {head.get('type')} head signs no Merkle root")
    signed = {k: head[k] for k in ("type", "position", "hash", "recorded_at", "tree_root", "previous_head") if k in head}
    if bytes.fromhex(head.get("public_key", "")) != key:
        fail("head.json", "signed by another key than the manifest")
    if not proofs.ed25519_verify(key, chain.canonical(signed).encode("utf-8"), bytes.fromhex(head.get("signature", ""))):
        fail("head.json", "its Ed25519 signature does not verify")
    print(f"OK head.json: the log's head at position {head['position']}, Merkle root {head['tree_root']}, signed by the same key")
    return manifest, head


# --- 3, 4: events and articles -----------------------------------------------------------
def check_events(files, manifest, head):
    size, root = head["position"], bytes.fromhex(head["tree_root"])
    position_limit = manifest["clocks"]["position"]
    if not isinstance(position_limit, int) or position_limit > size:
        fail("manifest.json", f"the figure's position {position_limit} is past the signed head {size}")
    events = []
    for entry in manifest["events"]:
        name = entry["file"]
        document = json_file(files, name)
        envelope = document["envelope"]
        what = f"{name} (event {envelope.get('position')})"
        for field in ("position", "type", "stream"):
            if envelope.get(field) != entry.get(field):
                fail(what, f"its {field} is not the manifest's")
        previous = bytes.fromhex(document["previous_hash"])
        digest = hashlib.sha256(previous + chain.canonical(envelope).encode("utf-8")).digest()
        if digest.hex() != document["hash"]:
            fail(what, f"its envelope hashes to {digest.hex()}, not its stated hash {document['hash']}: the event was changed")
        inclusion = document["inclusion"]
        if inclusion.get("leaf_index") != envelope["position"] - 1 or inclusion.get("tree_size") != size:
            fail(what, "its inclusion proof is for another leaf or another tree than the signed head's")
        path = [bytes.fromhex(h) for h in inclusion["path"]]
        if not proofs.verify_inclusion(proofs.leaf_hash(digest), envelope["position"] - 1, size, path, root):
            fail(what, f"its inclusion proof does not lead to the signed root {head['tree_root']}")
        if envelope["position"] > position_limit:
            fail(what, f"recorded after the figure's position {position_limit}")
        events.append(envelope)
    events.sort(key=lambda e: e["position"])
    streams = {}
    for event in events:
        streams.setdefault(event["stream"], []).append(event["stream_version"])
    for stream, versions in streams.items():
        if versions != list(range(1, len(versions) + 1)):
            fail(f"stream {stream}", f"its events are versions {versions}: one is missing")
    print(f"OK {len(events)} events: each hash recomputed, each in the signed tree of {size} events")
    articles = {}
    for event in events:
        if event["type"] != "SourceRegistered":
            continue
        payload = event["payload"]
        text = payload.get("text", "")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest != payload["text_sha256"]:
            fail(f"source {payload['source_id']}", f"its text hashes to {digest}, not its text_sha256")
        name = f"articles/{digest}.txt"
        if files.get(name) != text.encode("utf-8"):
            fail(name, f"not the text source {payload['source_id']} registered")
        articles[digest] = text
    print(f"OK {len(articles)} articles: each text hashes to its registered SHA-256")
    return events, articles


# --- the fold --------------------------------------------------------------------------
def corrected(fields, correction):
    fields = dict(fields)
    for key, value in (correction.get("changes") or {}).items():
        fields[key] = value
    figures = [dict(f) for f in fields.get("figures", [])]
    for update in correction.get("figure_updates") or []:
        if isinstance(update.get("index"), int):
            targets = [update["index"]] if update["index"] < len(figures) else []
        else:
            targets = [i for i, f in enumerate(figures) if f.get("measure") == update.get("measure")]
        for i in targets:
            figure = figures[i]
            if figure.get("measure") != update.get("measure"):
                continue
            for key in ("low", "high", "qualifier", "basis", "note", "evidence"):
                if key in update:
                    figure[key] = update[key]
            if "basis" in update and update["basis"] != "dataset":
                figure.pop("dataset_fields", None)
            if "evidence" in update:
                source = update.get("source_id")
                if source is None or source == fields.get("source_id"):
                    figure.pop("source_id", None)
                else:
                    figure["source_id"] = source
    fields["figures"] = figures
    return fields


def fold(events):
    """Sources (corrections applied, `retracted` set), claims and incidents (unlinks applied) as
    the events leave them."""
    sources, claims, incidents = {}, {}, {}
    for event in events:
        payload, kind = event["payload"], event["type"]
        if kind == "SourceRegistered":
            sources[payload["source_id"]] = dict(payload, retracted=False)
        elif kind == "SourceCorrected" and payload["source_id"] in sources:
            sources[payload["source_id"]].update(payload.get("changes") or {})
        elif kind == "SourceRetracted" and payload["source_id"] in sources:
            sources[payload["source_id"]]["retracted"] = True
        elif kind == "IncidentUnlinked" and payload["incident_id"] in incidents:
            incident = dict(incidents[payload["incident_id"]])
            leaving = set(payload["claim_ids"])
            incident["claim_ids"] = [c for c in incident["claim_ids"] if c not in leaving]
            incidents[payload["incident_id"]] = incident
        elif kind == "ClaimRecorded":
            claims[payload["claim_id"]] = {"coded": payload, "retracted": False, "position": event["position"]}
        elif kind in ("ClaimCorrected", "ClaimRetracted"):
            claim = claims.get(payload["claim_id"])
            if claim is None:
                continue
            if kind == "ClaimCorrected":
                claim["coded"] = corrected(claim["coded"], payload)
            else:
                claim["retracted"] = True
        elif kind == "IncidentLinked":
            incidents[payload["incident_id"]] = payload
    return sources, claims, incidents


def clock_kept(claim, sources, clocks):
    def certainly_by(date, day):
        return bool(date) and date.get("start") is not None and date.get("end") is not None and date["end"] <= day
    if clocks.get("reported_by"):
        source = sources.get(claim["coded"]["source_id"])
        if source is None or not certainly_by(source.get("published"), clocks["reported_by"]):
            return False
    if clocks.get("occurred_by") and not certainly_by(claim["coded"].get("date"), clocks["occurred_by"]):
        return False
    return True


# --- 5, 6: quotes and words ------------------------------------------------------------
def check_quote(evidence, articles, what):
    text = articles.get(evidence.get("article_sha256"))
    if text is None:
        fail(what, f"quotes article {evidence.get('article_sha256')}, which the bundle does not hold")
    start, end = evidence["position"]["start"], evidence["position"]["end"]
    quote = evidence["quote"]
    if text[start:end] != quote["exact"]:
        fail(what, f"the article holds «{text[start:end]}» at code points {start}–{end}, not «{quote['exact']}»")
    prefix, suffix = quote.get("prefix", ""), quote.get("suffix", "")
    if text[max(0, start - len(prefix)):start] != prefix or text[end:end + len(suffix)] != suffix:
        fail(what, "the words around the quote are not its prefix and suffix")


def check_claims(claims, sources, articles):
    quotes = 0
    for source_id, source in sorted(sources.items()):
        evidence = (source.get("published") or {}).get("evidence")
        if evidence:
            check_quote(evidence, articles, f"source {source_id} published date")
            quotes += 1
    for claim_id, claim in sorted(claims.items()):
        coded = claim["coded"]
        statement = coded.get("statement")
        places = [("statement", statement)]
        places += [(f"{field}.evidence", (coded.get(field) or {}).get("evidence")) for field in ("attribution", "date", "location")]
        places += [(f"figures[{i}].evidence", f.get("evidence")) for i, f in enumerate(coded.get("figures", []))]
        for field, evidence in places:
            if evidence:
                check_quote(evidence, articles, f"claim {claim_id} {field}")
                quotes += 1
        for i, figure in enumerate(coded.get("figures", [])):
            if figure.get("basis") == "dataset":
                continue
            problem = arabic_quantity.figure_problem(figure, statement)
            if problem:
                fail(f"claim {claim_id} figures[{i}] ({figure.get('measure')})", problem)
    print(f"OK {quotes} quotes stand at their code points; every stated figure says what its words say")


# --- 7: the figure by its rules ----------------------------------------------------------
def totals(measure, figures):
    t = {"low": 0, "best": 0, "high": 0, "count": 0, "numbered": False, "currency": None}
    for f in figures:
        if f.get("measure") != measure or f.get("part_of") is not None:
            continue
        low, high, qualifier = f.get("low"), f.get("high"), f.get("qualifier")
        best = low if qualifier in ("exact", "about", "at_least", "more_than") else (high if qualifier == "up_to" else None)
        t["low"] += low or 0
        t["best"] = None if t["best"] is None or best is None else t["best"] + best
        t["high"] = None if t["high"] is None or high is None else t["high"] + high
        t["count"] += 1
        t["numbered"] = t["numbered"] or low is not None or high is not None
        t["currency"] = t["currency"] or f.get("currency")
    return t


def day_key(date):
    return (0, "") if date is None else (1, date)


class Figure:
    def __init__(self, manifest, sources, claims, incidents):
        self.region, self.kind = manifest["region"], manifest.get("kind")
        self.placements, self.sources = manifest["placements"], sources
        # A claim stands when neither it nor its source is retracted, and the clocks keep it.
        self.claims = {i: c for i, c in claims.items()
                       if not c["retracted"] and not (sources.get(c["coded"]["source_id"]) or {}).get("retracted")
                       and clock_kept(c, sources, manifest["clocks"])}
        self.incidents = incidents
        for claim_id, claim in claims.items():
            placed = self.placements.get(claim_id)
            if placed is None or placed.get("country") != (claim["coded"].get("location") or {}).get("country"):
                fail(f"claim {claim_id}", "the manifest places it in another country than it is coded in")

    def published(self, claim):
        return day_key(((self.sources.get(claim["coded"]["source_id"]) or {}).get("published") or {}).get("start"))

    def in_region(self, country, region_key):
        return self.region == country or self.region == region_key

    def claim(self, claim_id, what):
        if claim_id not in self.claims:
            fail(what, f"counts claim {claim_id}, which the bundle does not hold as standing (missing, retracted or outside the clocks)")
        return self.claims[claim_id]

    def reconcile(self, measure, ids, currency):
        stating = []
        for claim_id in ids:
            figures = self.claims[claim_id]["coded"].get("figures", [])
            if currency is not None:
                figures = [f for f in figures if f.get("currency") == currency]
            t = totals(measure, figures)
            if t["count"] > 0:
                stating.append((claim_id, t))
        if not stating:
            return None
        numbered = [s for s in stating if s[1]["numbered"]]
        claim_ids = sorted(s[0] for s in stating)
        if not numbered:
            return {"low": None, "best": None, "high": None, "numbered": False, "best_from": None, "claim_ids": claim_ids, "sum_low": 0}
        with_best = sorted((s for s in numbered if s[1]["best"] is not None),
                           key=lambda s: (self.published(self.claims[s[0]]), self.claims[s[0]]["position"]))
        low = min(s[1]["low"] for s in numbered)
        high = max(s[1]["high"] for s in numbered) if all(s[1]["high"] is not None for s in numbered) else None
        best = with_best[-1][1]["best"] if with_best else None
        return {"low": low, "best": best, "high": high, "numbered": True, "best_from": with_best[-1][0] if with_best else None,
                "claim_ids": claim_ids, "sum_low": low}

    def unit(self, part, what):
        """The claims of an incident part (placed where most of them are) or of a claim part."""
        if part["id"].startswith("incident:"):
            incident = self.incidents.get(part["id"][len("incident:"):])
            if incident is None:
                fail(what, "names an incident the bundle does not hold")
            kind = incident["kind"]
            ids = sorted((i for i in incident["claim_ids"] if i in self.claims), key=lambda i: self.claims[i]["position"])
            if not ids:
                fail(what, "an incident with no standing claim")

            def most_common(values):
                counts = {}
                for v in values:
                    counts[v] = counts.get(v, 0) + 1
                return min(counts, key=lambda v: (-counts[v], v)) if counts else None
            country = most_common([self.placements[i]["country"] for i in ids if self.placements[i]["country"] is not None])
            in_country = [i for i in ids if self.placements[i]["country"] == country and self.placements[i].get("admin1") is not None]
            admin1 = most_common([self.placements[i]["admin1"] for i in in_country])
            key = next((self.placements[i]["region"] for i in in_country if self.placements[i]["admin1"] == admin1), country)
            if not self.in_region(country, key):
                fail(what, f"the incident is placed in {key}, not in {self.region}")
        else:
            claim_id = part["id"][len("claim:"):]
            claim = self.claim(claim_id, what)
            kind, ids = claim["coded"]["kind"], [claim_id]
            placed = self.placements[claim_id]
            if not self.in_region(placed["country"], placed["region"]):
                fail(what, f"claim {claim_id} is placed in {placed['region']}, not in {self.region}")
        if self.kind is not None and kind != self.kind:
            fail(what, f"of kind {kind}, not the figure's {self.kind}")
        if part["kind"] != kind:
            fail(what, f"stated as kind {part['kind']}, but its events say {kind}")
        return ids

    def check_section(self, section, measure):
        what = f"{section['section']}.{section['key']}"
        total = {"low": 0, "best": 0, "high": 0, "parts": 0, "unknown_parts": 0, "claim_ids": set(), "superseded_claim_ids": []}

        def add(low, best, high, numbered, ids):
            total["claim_ids"].update(ids)
            if not numbered:
                total["unknown_parts"] += 1
                return
            total["parts"] += 1
            total["low"] += low
            total["best"] = None if total["best"] is None or best is None else total["best"] + best
            total["high"] = None if total["high"] is None or high is None else total["high"] + high

        def same(part, low, best, high, numbered, part_what):
            got = (part["low"], part["best"], part["high"], part["numbered"])
            if got != (low, best, high, numbered):
                fail(part_what, f"states low {got[0]}, best {got[1]}, high {got[2]}, but its claims give low {low}, best {best}, high {high}")

        kind = section["section"]
        if kind in ("figures", "amounts_seized"):
            if section["rule"] != INCIDENT_RULE:
                fail(what, f"names the rule {section['rule']!r}, which this checker does not know")
            currency = section["key"] if kind == "amounts_seized" else None
            reconciled_measure = "amount" if kind == "amounts_seized" else section["key"]
            if kind == "figures" and section["key"] != measure:
                fail(what, f"a section of {section['key']} in a bundle of {measure}")
            for part in section["parts"]:
                part_what = f"{what} part {part['id']}"
                ids = self.unit(part, part_what)
                r = self.reconcile(reconciled_measure, ids, currency)
                if r is None:
                    fail(part_what, f"none of its claims states {reconciled_measure}")
                if r["claim_ids"] != sorted(part["claim_ids"]):
                    fail(part_what, f"lists claims {part['claim_ids']}, but those stating it are {r['claim_ids']}")
                same(part, r["low"], r["best"], r["high"], r["numbered"], part_what)
                if part.get("best_from") != r["best_from"]:
                    fail(part_what, f"takes its best estimate from {part.get('best_from')}, the rule takes {r['best_from']}")
                add(r["sum_low"], r["best"] if r["best"] is not None else r["sum_low"], r["high"], r["numbered"], r["claim_ids"])
        elif kind == "latest_estimates":
            if section["rule"] != STOCK_RULE:
                fail(what, f"names the rule {section['rule']!r}, which this checker does not know")
            base, _, currency = section["key"].partition(" ")
            ranked = []
            for part in section["parts"]:
                claim_id = part["id"][len("claim:"):]
                claim = self.claim(claim_id, f"{what} part {part['id']}")
                if claim["coded"].get("scope") != "situation" or self.placements[claim_id]["region"] != self.region:
                    fail(f"{what} part {part['id']}", f"not a situation claim placed at {self.region}")
                figures = [f for f in claim["coded"].get("figures", []) if not currency or f.get("currency") == currency]
                t = totals(base, figures)
                if not t["numbered"]:
                    fail(f"{what} part {part['id']}", f"states no number of {base}")
                as_of = (claim["coded"].get("date") or {}).get("end") or ((self.sources.get(claim["coded"]["source_id"]) or {}).get("published") or {}).get("end")
                ranked.append(((day_key(as_of), self.published(claim), t["high"] if t["high"] is not None else t["low"]), claim_id, t, part))
            if any(ranked[i][0] < ranked[i + 1][0] for i in range(len(ranked) - 1)):
                fail(what, "its estimates are not in the rule's order (latest first)")
            for index, (_, claim_id, t, part) in enumerate(ranked):
                same(part, t["low"], t["best"], t["high"], True, f"{what} part {part['id']}")
                if part["superseded"] != (index > 0):
                    fail(f"{what} part {part['id']}", "superseded is not what the rule gives")
            if ranked:
                _, claim_id, t, _ = ranked[0]
                add(t["low"], t["best"], t["high"], True, [claim_id])
                total["superseded_claim_ids"] = sorted(r[1] for r in ranked[1:])
        elif kind == "aggregate_figures":
            if section["rule"] != AGGREGATE_RULE:
                fail(what, f"names the rule {section['rule']!r}, which this checker does not know")
            base, _, currency = section["key"].partition(" ")
            for part in section["parts"]:
                claim_id = part["id"][len("claim:"):]
                claim = self.claim(claim_id, f"{what} part {part['id']}")
                placed = self.placements[claim_id]
                if claim["coded"].get("scope") != "aggregate" or not self.in_region(placed["country"], placed["region"]):
                    fail(f"{what} part {part['id']}", f"not an aggregate claim in {self.region}")
                t = totals(base, claim["coded"].get("figures", []))
                if (t["currency"] or "") != currency:
                    fail(f"{what} part {part['id']}", f"states {base} in {t['currency']}, not {currency or 'no currency'}")
                same(part, t["low"] if t["numbered"] else None, t["best"], t["high"], t["numbered"], f"{what} part {part['id']}")
                add(t["low"], t["best"] if t["best"] is not None else t["low"], t["high"], t["numbered"], [claim_id])
        else:
            fail(what, f"a section this checker does not know ({kind})")
        known = total["parts"] > 0
        expected = {
            "low": total["low"] if known else None, "best": total["best"] if known else None, "high": total["high"] if known else None,
            "parts": total["parts"], "unknown_parts": total["unknown_parts"], "claim_ids": sorted(total["claim_ids"]),
            "superseded_claim_ids": total["superseded_claim_ids"],
        }
        if section["total"] != expected:
            fail(what, f"states the total {json.dumps(section['total'])}, but its parts give {json.dumps(expected)} by {section['rule']}")
        print(f"OK {what} = low {expected['low']}, best {expected['best']}, high {expected['high']}: follows from "
              f"{len(section['parts'])} part(s), {len(expected['claim_ids'])} claim(s) by {section['rule']}")


def main():
    args = sys.argv[1:]
    trusted = None
    if "--public-key" in args:
        i = args.index("--public-key")
        try:
            trusted = bytes.fromhex(args[i + 1])
        except (IndexError, ValueError):
            raise SystemExit("--public-key takes 64 hex digits")
        del args[i:i + 2]
    if len(args) != 1:
        raise SystemExit(__doc__)
    try:
        files = read_bundle(args[0])
        manifest, head = check_signatures_and_files(files, trusted)
        events, articles = check_events(files, manifest, head)
        sources, claims, incidents = fold(events)
        check_claims(claims, sources, articles)
        figure = Figure(manifest, sources, claims, incidents)
        if not manifest.get("sections"):
            fail("manifest.json", "states no figure")
        for section in manifest["sections"]:
            figure.check_section(section, manifest["measure"])
    except Failure as failure:
        print(f"FAIL {failure}")
        return 1
    except (KeyError, TypeError, ValueError, AttributeError, tarfile.TarError, OSError) as error:
        print(f"FAIL the bundle is malformed: {type(error).__name__}: {error}")
        return 1
    print(f"OK {manifest['measure']} in {manifest['region']} follows from the bundle's claims; "
          f"see the manifest's limits for what a bundle cannot prove")
    return 0


if __name__ == "__main__":
    sys.exit(main())
