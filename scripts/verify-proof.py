#!/usr/bin/env python3
"""Check a ThreatLedger Merkle proof offline, independently of ThreatLedger's own code.

Usage: scripts/verify-proof.py PROOF.json [HEAD.json] [--public-key HEX]

PROOF.json is what `threatledger prove` prints: an inclusion proof (`threatledger-inclusion-proof/v1`:
event POSITION is leaf POSITION-1 of the tree of TREE_SIZE events) or a consistency proof
(`threatledger-consistency-proof/v1`: the tree of TREE_SIZE events extends the tree of OLD_SIZE).
The tree is RFC 9162's (Certificate Transparency 2.0, section 2.1) over the events' chain hashes:
leaf = SHA-256(0x00 || event hash), node = SHA-256(0x01 || left || right); the proofs are checked
with RFC 9162's own algorithms (2.1.3.2 and 2.1.4.2).

A signed head (the proof's `signed_head`, `old_signed_head`, or HEAD.json) is checked too: its
Ed25519 signature (RFC 8032, implemented below from the RFC's reference code) over the RFC 8785
JSON of its fields, under --public-key when given, and that its tree root and size are the proof's.
Prints `OK …` lines and exits 0, or `FAIL <reason>` and exits 1. Standard library only.
"""
import hashlib
import json
import sys

# --- Ed25519 verification (RFC 8032, section 6) ---------------------------------------------
P = 2**255 - 19
Q = 2**252 + 27742317777372353535851937790883648493


def _inv(x):
    return pow(x, P - 2, P)


D = -121665 * _inv(121666) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _add(a, b):
    aa, bb = (a[1] - a[0]) * (b[1] - b[0]) % P, (a[1] + a[0]) * (b[1] + b[0]) % P
    cc, dd = 2 * a[3] * b[3] * D % P, 2 * a[2] * b[2] % P
    e, f, g, h = bb - aa, dd - cc, dd + cc, bb + aa
    return (e * f, g * h, f * g, e * h)


def _mul(s, point):
    result = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            result = _add(result, point)
        point = _add(point, point)
        s >>= 1
    return result


def _equal(a, b):
    return (a[0] * b[2] - b[0] * a[2]) % P == 0 and (a[1] * b[2] - b[1] * a[2]) % P == 0


def _recover_x(y, sign):
    if y >= P:
        return None
    x2 = (y * y - 1) * _inv(D * y * y + 1)
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    if (x & 1) != sign:
        x = P - x
    return x


_GY = 4 * _inv(5) % P
_GX = _recover_x(_GY, 0)
G = (_GX, _GY, 1, _GX * _GY % P)


def _decompress(data):
    if len(data) != 32:
        return None
    y = int.from_bytes(data, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % P)


def ed25519_verify(public, message, signature):
    if len(public) != 32 or len(signature) != 64:
        return False
    a = _decompress(public)
    r = _decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= Q:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % Q
    return _equal(_mul(s, G), _add(r, _mul(h, a)))


# --- RFC 9162 Merkle proofs ------------------------------------------------------------------
def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def _walk(fn, sn):
    """One step of RFC 9162's verification walk: whether the next proof hash is a left sibling,
    and fn, sn after climbing (past the levels where the node is a right child with no sibling)."""
    left = bool(fn & 1) or fn == sn
    if left and not fn & 1:
        while True:
            fn >>= 1
            sn >>= 1
            if fn & 1 or fn == 0:
                break
    return left, fn >> 1, sn >> 1


def verify_inclusion(leaf, index, size, path, root):
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        left, fn, sn = _walk(fn, sn)
        r = node_hash(p, r) if left else node_hash(r, p)
    return sn == 0 and r == root


def verify_consistency(old_size, size, old_root, root, path):
    if old_size > size:
        return False
    if old_size == size:
        return not path and old_root == root
    if not path:
        return False
    if old_size & (old_size - 1) == 0:
        path = [old_root] + path
    fn, sn = old_size - 1, size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        left, fn, sn = _walk(fn, sn)
        if left:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
        else:
            sr = node_hash(sr, c)
    return fr == old_root and sr == root and sn == 0


# --- Signed heads ----------------------------------------------------------------------------
def check_head(head, public_key, size, root, what):
    kind = head.get("type")
    if kind != "threatledger-head/v2":
        raise SystemExit(f"FAIL {what}: a {kind} head signs no tree root")
    signed = {k: head[k] for k in ("type", "position", "hash", "recorded_at", "tree_root", "previous_head") if k in head}
    message = json.dumps(signed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    key = bytes.fromhex(head["public_key"])
    if public_key is not None and key != public_key:
        raise SystemExit(f"FAIL {what}: signed by {key.hex()[:16]}…, not the trusted key")
    if not ed25519_verify(key, message, bytes.fromhex(head["signature"])):
        raise SystemExit(f"FAIL {what}: the Ed25519 signature does not verify")
    if head["position"] != size or bytes.fromhex(head["tree_root"]) != root:
        raise SystemExit(f"FAIL {what}: it signs the tree of {head['position']} events with root {head['tree_root']}, not the proof's")
    print(f"OK {what}: Ed25519 signature by {key.hex()[:16]}… over the tree of {size} events")


def main():
    args = [a for a in sys.argv[1:]]
    public_key = None
    if "--public-key" in args:
        i = args.index("--public-key")
        public_key = bytes.fromhex(args[i + 1])
        del args[i:i + 2]
    if not args:
        raise SystemExit(__doc__)
    with open(args[0], encoding="utf-8") as f:
        proof = json.load(f)
    path = [bytes.fromhex(h) for h in proof["path"]]
    root = bytes.fromhex(proof["tree_root"])
    size = proof["tree_size"]
    if proof.get("type") == "threatledger-inclusion-proof/v1":
        event = bytes.fromhex(proof["event_hash"])
        if leaf_hash(event) != bytes.fromhex(proof["leaf_hash"]):
            raise SystemExit("FAIL leaf_hash is not SHA-256(0x00 || event_hash)")
        if not verify_inclusion(leaf_hash(event), proof["position"] - 1, size, path, root):
            raise SystemExit(f"FAIL event {proof['position']} is not shown to be in the tree of {size} with root {proof['tree_root']}")
        print(f"OK event {proof['position']} (hash {proof['event_hash']}) is in the tree of {size} events, root {proof['tree_root']}")
    elif proof.get("type") == "threatledger-consistency-proof/v1":
        old_root = bytes.fromhex(proof["old_root"])
        if not verify_consistency(proof["old_size"], size, old_root, root, path):
            raise SystemExit(f"FAIL the tree of {size} events is not shown to extend the tree of {proof['old_size']}")
        print(f"OK the tree of {size} events (root {proof['tree_root']}) extends the tree of {proof['old_size']} (root {proof['old_root']})")
        if "old_signed_head" in proof:
            check_head(proof["old_signed_head"], public_key, proof["old_size"], old_root, "old signed head")
    else:
        raise SystemExit(f"FAIL {args[0]} is not a ThreatLedger proof (type {proof.get('type')!r})")
    heads = []
    if "signed_head" in proof:
        heads.append((proof["signed_head"], "signed head"))
    if len(args) > 1:
        with open(args[1], encoding="utf-8") as f:
            heads.append((json.load(f), args[1]))
    for head, what in heads:
        check_head(head, public_key, size, root, what)


if __name__ == "__main__":
    main()
