#!/usr/bin/env python3
"""Recompute a ThreatLedger SQLite log's hash chain independently of ThreatLedger's own code.

For auditors: this file and schemas/canonical-encoding.md are all it takes to check a log in
another language. Standard library only.

Usage: scripts/verify-chain.py LOG.sqlite
Prints `OK <events> <head position> <head hash>` and exits 0, or `FAIL <position> <reason>` and exits 1.
"""
import hashlib
import json
import math
import sqlite3
import sys


def js_number(value) -> str:
    """ECMAScript Number::toString, as RFC 8785 requires."""
    if isinstance(value, bool):
        raise TypeError("booleans are not numbers")
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise ValueError("JSON numbers are finite")
    if value == 0:
        return "0"
    if value < 0:
        return "-" + js_number(-value)
    if value.is_integer() and value < 2**53:
        return str(int(value))
    mantissa, _, exponent = repr(value).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    n = len(whole) + int(exponent or 0) - (len(whole + fraction) - len((whole + fraction).lstrip("0")))
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    sign = "+" if e >= 0 else "-"
    if k == 1:
        return f"{digits}e{sign}{abs(e)}"
    return f"{digits[0]}.{digits[1:]}e{sign}{abs(e)}"


def canonical(value) -> str:
    """RFC 8785 JSON Canonicalization Scheme."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return js_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(value[k]) for k in keys) + "}"
    raise TypeError(f"not JSON: {type(value)}")


def iso(micros: int) -> str:
    import datetime
    seconds, fraction = divmod(micros, 1_000_000)
    moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{fraction:06d}Z"


def main(path: str) -> int:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT position, event_id, stream, stream_version, type, schema_version, payload, recorded_at,"
        " recorded_by, correlation_id, causation_id, previous_hash, hash FROM events ORDER BY position")
    previous = bytes(32)
    expected = 1
    head = None
    for (position, event_id, stream, version, type_, schema_version, payload, recorded_at, recorded_by,
         correlation_id, causation_id, previous_hash, stored_hash) in rows:
        if position != expected:
            print(f"FAIL {position} expected position {expected}")
            return 1
        if bytes(previous_hash) != previous:
            print(f"FAIL {position} previous_hash does not match the hash of the event before")
            return 1
        envelope = {
            "event_id": event_id, "stream": stream, "stream_version": version, "position": position,
            "type": type_, "schema_version": schema_version, "payload": json.loads(payload),
            "metadata": {"recorded_at": iso(recorded_at), "recorded_by": recorded_by,
                         "correlation_id": correlation_id, "causation_id": causation_id},
        }
        digest = hashlib.sha256(previous + canonical(envelope).encode("utf-8")).digest()
        if digest != bytes(stored_hash):
            print(f"FAIL {position} stored hash {bytes(stored_hash).hex()} but recomputed {digest.hex()}")
            return 1
        if type_ == "SourceRegistered":
            article = json.loads(payload)
            if hashlib.sha256(article["text"].encode("utf-8")).hexdigest() != article["text_sha256"]:
                print(f"FAIL {position} article text does not match its text_sha256")
                return 1
        previous = digest
        head = (position, digest.hex())
        expected += 1
    if head is None:
        print("OK 0 0 " + bytes(32).hex())
    else:
        print(f"OK {expected - 1} {head[0]} {head[1]}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    sys.exit(main(sys.argv[1]))
