import Testing
import ThreatLedgerCore

@Suite struct SignedHeadTests {
    let hash = SHA256Hash.of(text: "head")
    let time = RecordTime(microsecondsSinceEpoch: 1_767_225_600_000_000)

    @Test func aSignedHeadVerifiesAndSurvivesItsJSON() throws {
        let (privateKey, publicKey) = SignedHead.generateKey()
        let head = try SignedHead.sign(position: 42, hash: hash, recordedAt: time, privateKey: privateKey)
        #expect(head.signatureIsValid())
        #expect(head.signatureIsValid(trusting: publicKey))
        let read = try SignedHead(json: try JSONParser().parse(CanonicalJSON.string(head.json)))
        #expect(read == head && read.signatureIsValid(trusting: publicKey))
    }

    @Test func anAlteredHeadOrAnotherKeyDoesNotVerify() throws {
        let (privateKey, _) = SignedHead.generateKey()
        let (_, otherPublic) = SignedHead.generateKey()
        let head = try SignedHead.sign(position: 42, hash: hash, recordedAt: time, privateKey: privateKey)
        #expect(!head.signatureIsValid(trusting: otherPublic))
        let moved = SignedHead(position: 43, hash: head.hash, recordedAt: head.recordedAt, publicKey: head.publicKey, signature: head.signature)
        #expect(!moved.signatureIsValid())
        let rehashed = SignedHead(position: 42, hash: .genesis, recordedAt: head.recordedAt, publicKey: head.publicKey, signature: head.signature)
        #expect(!rehashed.signatureIsValid())
        #expect(throws: SignedHeadError.badKey) { try SignedHead.sign(position: 1, hash: hash, recordedAt: time, privateKey: [1, 2, 3]) }
    }
}
