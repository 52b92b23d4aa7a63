import Crypto

/// The hash chain that makes the log tamper-evident.
///
/// `hash(n) = SHA-256(hash(n-1) ‖ canonical bytes of event n)`, where `hash(0)` is 32 zero bytes and
/// the canonical bytes are ``RecordedEvent/canonicalBytes``: RFC 8785 JSON of the envelope without
/// its hashes. Because the position and the stream version are inside the hashed bytes, editing,
/// deleting, inserting or reordering any event breaks every hash from that event on.
/// `schemas/canonical-encoding.md` documents the same rule for auditors in other languages, and
/// `scripts/verify-chain.py` recomputes it independently.
public enum EventChain {
    /// The chain hash of an event whose canonical bytes are `canonicalBytes`, following `previous`.
    public static func hash(previous: SHA256Hash, canonicalBytes: [UInt8]) -> SHA256Hash {
        var hasher = SHA256()
        hasher.update(data: previous.bytes)
        hasher.update(data: canonicalBytes)
        return SHA256Hash(uncheckedBytes: Array(hasher.finalize()))
    }
}
