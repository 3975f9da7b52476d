import Foundation
import XCTest

@testable import KexieKit

final class PasswordPolicyTests: XCTestCase {
    func testAcceptsEightCharactersFromThreeClasses() {
        XCTAssertEqual(PasswordPolicy().violations(password: "Kexie2026", username: "admin"), [])
        XCTAssertEqual(PasswordPolicy().violations(password: "kexie#2026", username: "admin"), [])
    }

    func testNamesEachBrokenRule() {
        XCTAssertEqual(PasswordPolicy().violations(password: "Ab1!", username: nil), [.tooShort])
        XCTAssertEqual(PasswordPolicy().violations(password: "abcdefgh", username: nil), [.tooFewClasses])
        XCTAssertEqual(PasswordPolicy().violations(password: "Zhang#2026", username: "ZHANG"), [.containsUsername])
        XCTAssertEqual(PasswordPolicy.Violation.tooFewClasses.message, "密码需包含大写字母、小写字母、数字、符号中的至少三类")
    }

    func testChineseCharactersCountAsSymbols() {
        XCTAssertEqual(PasswordPolicy().violations(password: "科协abc123", username: nil), [])
    }
}

final class SecretBoxTests: XCTestCase {
    let box = SecretBox(secret: Data(repeating: 1, count: 32))

    func testSealedValuesOpenAndDoNotContainThePlaintext() throws {
        let sealed = try box.seal("13812345678")
        XCTAssertFalse(sealed.contains("13812345678"))
        XCTAssertNotEqual(try box.seal("13812345678"), sealed, "a fresh nonce each time")
        XCTAssertEqual(try box.open(sealed), "13812345678")
    }

    func testAnotherKeyCannotOpenAndTamperingIsDetected() throws {
        let sealed = try box.seal("460100199001011234")
        XCTAssertThrowsError(try SecretBox(secret: Data(repeating: 2, count: 32)).open(sealed))
        var bytes = Data(base64Encoded: String(sealed.dropFirst(3)))!
        bytes[bytes.count - 1] ^= 1
        XCTAssertThrowsError(try box.open("v1:" + bytes.base64EncodedString()))
    }

    func testSealedFilesOpenToTheSameBytesAndHideThem() throws {
        let pdf = Data("%PDF-1.4 林海峰 身份证 460100198005120011".utf8)
        let sealed = try box.seal(pdf)
        XCTAssertEqual(sealed.first, 1, "version byte")
        XCTAssertEqual(sealed.count, pdf.count + 29, "version, nonce and tag around ciphertext of the same length")
        XCTAssertNil(sealed.range(of: Data("460100198005120011".utf8)))
        XCTAssertNotEqual(try box.seal(pdf), sealed, "a fresh nonce each time")
        XCTAssertEqual(try box.open(sealed), pdf)
        XCTAssertEqual(try box.open(try box.seal(Data())), Data())
    }

    func testSealedFilesRefuseAnotherKeyTamperingAndGarbage() throws {
        let sealed = try box.seal(Data([0x25, 0x50, 0x44, 0x46]))
        XCTAssertThrowsError(try SecretBox(secret: Data(repeating: 2, count: 32)).open(sealed)) { error in
            XCTAssertEqual(error as? SecretBox.Failure, .authenticationFailed)
        }
        var tampered = sealed
        tampered[tampered.count - 1] ^= 0x01
        XCTAssertThrowsError(try box.open(tampered)) { XCTAssertEqual($0 as? SecretBox.Failure, .authenticationFailed) }
        XCTAssertThrowsError(try box.open(Data("%PDF-1.4 plain".utf8))) { XCTAssertEqual($0 as? SecretBox.Failure, .malformedCiphertext) }
        XCTAssertEqual(
            Digest.sha256Hex(Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testLookupHashIsStableAndKeyed() {
        XCTAssertEqual(box.lookupHash("13812345678"), box.lookupHash("13812345678"))
        XCTAssertNotEqual(box.lookupHash("13812345678"), SecretBox(secret: Data(repeating: 2, count: 32)).lookupHash("13812345678"))
        XCTAssertNotEqual(box.lookupHash("13812345678"), Digest.sha256Hex("13812345678"))
    }
}

final class AuditChainTests: XCTestCase {
    private func chain(_ count: Int) -> [(content: AuditChain.Content, previousHash: String, hash: String)] {
        var previous = AuditChain.genesis
        return (1...count).map { index in
            let content = AuditChain.Content(
                sequence: Int64(index), occurredAt: "2026-11-23T12:00:0\(index % 10).000Z", actorID: "u", actorName: "张三",
                organizationID: "o", clientAddress: "127.0.0.1", action: "update", entityType: "organization",
                entityID: "e\(index)", summary: "name=科协\(index)")
            let hash = AuditChain.hash(previous: previous, content: content)
            defer { previous = hash }
            return (content, previous, hash)
        }
    }

    func testAnIntactChainVerifies() {
        XCTAssertNil(AuditChain.verify(chain(5), firstIsStart: true))
    }

    func testEditingAnyFieldBreaksTheChain() {
        var entries = chain(5)
        entries[2].content.summary = "name=篡改"
        XCTAssertEqual(AuditChain.verify(entries, firstIsStart: true), .contentChanged(sequence: 3))
    }

    func testRemovingARowIsAGap() {
        var entries = chain(5)
        entries.remove(at: 1)
        XCTAssertEqual(AuditChain.verify(entries, firstIsStart: true), .gap(after: 1, next: 3))
    }

    func testAPrunedPrefixIsAcceptedButNotARewrittenStart() {
        let entries = Array(chain(5).dropFirst(2))
        XCTAssertNil(AuditChain.verify(entries, firstIsStart: false))
        XCTAssertEqual(AuditChain.verify(entries, firstIsStart: true), .linkBroken(sequence: 3))
    }

    func testSeparatorsInsideFieldsCannotForgeAnotherContent() {
        let a = AuditChain.Content(
            sequence: 1, occurredAt: "t", actorID: "a\u{1F}b", actorName: "", organizationID: "", clientAddress: "", action: "",
            entityType: "", entityID: "", summary: "")
        let b = AuditChain.Content(
            sequence: 1, occurredAt: "t", actorID: "a", actorName: "b", organizationID: "", clientAddress: "", action: "", entityType: "",
            entityID: "", summary: "")
        XCTAssertNotEqual(
            AuditChain.hash(previous: AuditChain.genesis, content: a), AuditChain.hash(previous: AuditChain.genesis, content: b))
    }
}
