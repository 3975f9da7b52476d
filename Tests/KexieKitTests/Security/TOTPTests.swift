import Foundation
import XCTest

@testable import KexieKit

final class TOTPTests: XCTestCase {
    private let rfcSecret = Array("12345678901234567890".utf8)

    /// RFC 6238 Appendix B. The RFC's reference code seeds SHA256 and SHA512 with 32- and 64-byte keys
    /// (the same digits repeated), which is what its table was computed with.
    func testRFC6238AppendixBVectors() {
        let times: [TimeInterval] = [59, 1_111_111_109, 1_111_111_111, 1_234_567_890, 2_000_000_000, 20_000_000_000]
        let expected: [TOTP.Algorithm: [String]] = [
            .sha1: ["94287082", "07081804", "14050471", "89005924", "69279037", "65353130"],
            .sha256: ["46119246", "68084774", "67062674", "91819424", "90698825", "77737706"],
            .sha512: ["90693936", "25091201", "99943326", "93441116", "38618901", "47863826"],
        ]
        let secrets: [TOTP.Algorithm: [UInt8]] = [
            .sha1: rfcSecret,
            .sha256: Array("12345678901234567890123456789012".utf8),
            .sha512: Array(String(repeating: "1234567890", count: 6).appending("1234").utf8),
        ]
        for algorithm in TOTP.Algorithm.allCases {
            let totp = TOTP(secret: secrets[algorithm]!, algorithm: algorithm, digits: 8)
            for (time, code) in zip(times, expected[algorithm]!) {
                XCTAssertEqual(totp.code(at: Date(timeIntervalSince1970: time)), code, "\(algorithm) at \(time)")
            }
        }
    }

    func testRFC6238TimeStepsFromAppendixB() {
        let totp = TOTP(secret: rfcSecret)
        XCTAssertEqual(totp.counter(at: Date(timeIntervalSince1970: 59)), 1)
        XCTAssertEqual(totp.counter(at: Date(timeIntervalSince1970: 1_111_111_109)), 0x23523EC)
        XCTAssertEqual(totp.counter(at: Date(timeIntervalSince1970: 20_000_000_000)), 0x27BC86AA)
        XCTAssertEqual(totp.counter(at: Date(timeIntervalSince1970: -5)), 0, "before 1970 clamps to step 0")
    }

    func testRFC4226AppendixDHOTPValues() {
        let totp = TOTP(secret: rfcSecret)
        let expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
        for (counter, code) in expected.enumerated() {
            XCTAssertEqual(totp.code(counter: UInt64(counter)), code, "counter \(counter)")
        }
    }

    func testDefaultsAreSixDigitsSHA1ThirtySeconds() {
        let totp = TOTP(secret: rfcSecret)
        XCTAssertEqual(totp.digits, 6)
        XCTAssertEqual(totp.period, 30)
        XCTAssertEqual(totp.algorithm, .sha1)
        // RFC 6238's SHA1 value at T=59 is 94287082; the 6-digit code is its last six digits.
        XCTAssertEqual(totp.code(at: Date(timeIntervalSince1970: 59)), "287082")
    }

    func testGeneratedSecretsAreTwentyFreshBytes() {
        let first = TOTP.generateSecret()
        let second = TOTP.generateSecret()
        XCTAssertEqual(first.count, 20)
        XCTAssertNotEqual(first, second)
        XCTAssertEqual(Base32.encode(first).count, 32)
    }

    // MARK: Base32

    func testBase32RFC4648Vectors() {
        let vectors = [
            ("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ]
        for (plain, encoded) in vectors {
            XCTAssertEqual(Base32.encode(Array(plain.utf8)), encoded)
            XCTAssertEqual(Base32.decode(encoded), Array(plain.utf8))
        }
        // RFC 4648 prints them padded; padding is accepted on input.
        XCTAssertEqual(Base32.decode("MZXW6YTBOI======"), Array("foobar".utf8))
        XCTAssertEqual(Base32.decode("MY======"), Array("f".utf8))
        XCTAssertEqual(Base32.encode(rfcSecret), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    }

    func testBase32RoundTripsEveryLengthAndByte() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...64 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = Base32.encode(bytes)
            XCTAssertFalse(encoded.contains("="))
            XCTAssertEqual(encoded, encoded.uppercased())
            XCTAssertEqual(Base32.decode(encoded), bytes, "length \(length)")
        }
        let allBytes = (0...255).map { UInt8($0) }
        XCTAssertEqual(Base32.decode(Base32.encode(allBytes)), allBytes)
    }

    func testBase32DecodingForgivesTypingButRejectsGarbage() {
        XCTAssertEqual(Base32.decode("gezd gnbv-gy3t qojq"), Base32.decode("GEZDGNBVGY3TQOJQ"))
        XCTAssertNil(Base32.decode("GEZ1"), "1 is not in the alphabet")
        XCTAssertNil(Base32.decode("GEZDGNBV0"), "0 is not in the alphabet")
        XCTAssertNil(Base32.decode("M"), "one symbol cannot encode a whole byte")
        XCTAssertNil(Base32.decode("MZX"), "three symbols cannot either")
        XCTAssertNil(TOTP(base32Secret: "not base32!"))
        XCTAssertEqual(TOTP(base32Secret: "gezdgnbvgy3tqojqgezdgnbvgy3tqojq")?.secret, rfcSecret)
    }

    // MARK: Matching and replay

    func testMatchReturnsTheCounterOfTheCurrentStep() {
        let totp = TOTP(secret: rfcSecret)
        let now = Date(timeIntervalSince1970: 1_700_000_015)
        let counter = totp.counter(at: now)
        XCTAssertEqual(totp.match(totp.code(at: now), at: now), counter)
    }

    func testWindowAcceptsNeighbouringStepsOnly() {
        let totp = TOTP(secret: rfcSecret)
        let now = Date(timeIntervalSince1970: 1_700_000_015)
        let counter = totp.counter(at: now)
        let previous = totp.code(counter: counter - 1)
        let next = totp.code(counter: counter + 1)
        let twoBack = totp.code(counter: counter - 2)

        XCTAssertEqual(totp.match(previous, at: now), counter - 1)
        XCTAssertEqual(totp.match(next, at: now), counter + 1)
        XCTAssertNil(totp.match(twoBack, at: now), "two steps back is outside window 1")
        XCTAssertEqual(totp.match(twoBack, at: now, window: 2), counter - 2)
        XCTAssertNil(totp.match(previous, at: now, window: 0), "window 0 accepts the current step only")
        XCTAssertNil(totp.match(totp.code(counter: counter + 100), at: now, window: 1_000_000), "the window is capped at 10")
    }

    func testStepBoundaries() {
        let totp = TOTP(secret: rfcSecret)
        let boundary: TimeInterval = 1_700_000_010  // a multiple of 30
        XCTAssertEqual(totp.counter(at: Date(timeIntervalSince1970: boundary - 0.001)), 56_666_666)
        XCTAssertEqual(totp.counter(at: Date(timeIntervalSince1970: boundary)), 56_666_667)
        XCTAssertEqual(totp.counter(at: Date(timeIntervalSince1970: boundary + 29.999)), 56_666_667)
        // A code read in the last second of its step and typed in the first second of the next one still works.
        let code = totp.code(at: Date(timeIntervalSince1970: boundary - 1))
        XCTAssertEqual(totp.match(code, at: Date(timeIntervalSince1970: boundary + 1)), 56_666_666)
        XCTAssertNil(totp.match(code, at: Date(timeIntervalSince1970: boundary + 31)))
    }

    func testWindowDoesNotReachBeforeStepZero() {
        let totp = TOTP(secret: rfcSecret)
        let start = Date(timeIntervalSince1970: 10)
        XCTAssertEqual(totp.match("755224", at: start), 0)
        XCTAssertEqual(totp.match("287082", at: start), 1)
        XCTAssertNil(totp.match("359152", at: start))
    }

    func testInputIsNormalizedAndValidated() {
        let totp = TOTP(secret: rfcSecret)
        let now = Date(timeIntervalSince1970: 59)
        XCTAssertEqual(totp.match("287 082", at: now), 1)
        XCTAssertEqual(totp.match(" 287082\n", at: now), 1)
        XCTAssertEqual(totp.match("２８７０８２", at: now), 1, "full-width digits from a Chinese input method")
        XCTAssertEqual(totp.match("287\u{3000}082", at: now), 1, "ideographic space")
        XCTAssertNil(totp.match("28708", at: now))
        XCTAssertNil(totp.match("2870820", at: now))
        XCTAssertNil(totp.match("28708a", at: now))
        XCTAssertNil(totp.match("", at: now))
        XCTAssertNil(totp.match("٢٨٧٠٨٢", at: now), "other scripts' digits are not accepted")
    }

    func testReplayIsRefusedOnceTheCounterIsStored() {
        let totp = TOTP(secret: rfcSecret)
        let now = Date(timeIntervalSince1970: 1_700_000_015)
        let code = totp.code(at: now)

        // First use: nothing stored yet.
        guard let used = totp.verify(code, at: now, lastUsedCounter: nil) else { return XCTFail("fresh code refused") }
        XCTAssertEqual(used, totp.counter(at: now))
        // The same code again, even within its own 30 seconds, is a replay.
        XCTAssertNil(totp.verify(code, at: now, lastUsedCounter: used))
        XCTAssertNil(totp.verify(code, at: now.addingTimeInterval(10), lastUsedCounter: used))
        // An older code that is still inside the window is refused too: its counter is not after the stored one.
        XCTAssertNil(totp.verify(totp.code(counter: used - 1), at: now, lastUsedCounter: used))
        // The next step's code is fine.
        let next = now.addingTimeInterval(30)
        XCTAssertEqual(totp.verify(totp.code(at: next), at: next, lastUsedCounter: used), used + 1)
        // match() itself knows nothing of storage; the caller compares with `>`.
        XCTAssertEqual(totp.match(code, at: now), used)
    }

    // MARK: Provisioning URI

    func testProvisioningURIWithChineseIssuer() throws {
        let totp = TOTP(secret: rfcSecret)
        let uri = totp.provisioningURI(issuer: "智慧科协", account: "zhang.san@example.com")
        XCTAssertEqual(
            uri,
            "otpauth://totp/%E6%99%BA%E6%85%A7%E7%A7%91%E5%8D%8F:zhang.san%40example.com"
                + "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=%E6%99%BA%E6%85%A7%E7%A7%91%E5%8D%8F"
                + "&algorithm=SHA1&digits=6&period=30"
        )
        let components = try XCTUnwrap(URLComponents(string: uri))
        XCTAssertEqual(components.scheme, "otpauth")
        XCTAssertEqual(components.host, "totp")
        XCTAssertEqual(components.path, "/智慧科协:zhang.san@example.com")
        let items = Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        XCTAssertEqual(items["issuer"], "智慧科协")
        XCTAssertEqual(items["secret"], totp.base32Secret)
    }

    func testProvisioningURIEscapesSeparatorsInNames() {
        let totp = TOTP(secret: rfcSecret, algorithm: .sha256, digits: 8, period: 60)
        let uri = totp.provisioningURI(issuer: "A&B: 科协", account: "li si?x=1")
        XCTAssertTrue(uri.hasPrefix("otpauth://totp/A%26B%3A%20%E7%A7%91%E5%8D%8F:li%20si%3Fx%3D1?secret="), uri)
        XCTAssertTrue(uri.hasSuffix("&issuer=A%26B%3A%20%E7%A7%91%E5%8D%8F&algorithm=SHA256&digits=8&period=60"), uri)
        XCTAssertEqual(
            totp.provisioningURI(issuer: "", account: "wang"),
            "otpauth://totp/wang?secret=\(totp.base32Secret)"
                + "&algorithm=SHA256&digits=8&period=60")
    }
}

final class RecoveryCodesTests: XCTestCase {
    private let codes = RecoveryCodes(key: Data(repeating: 7, count: 32))

    func testGeneratesDistinctCodesFromTheUnambiguousAlphabet() {
        let generated = RecoveryCodes.generate()
        XCTAssertEqual(generated.count, 10)
        XCTAssertEqual(Set(generated).count, 10)
        for code in generated {
            XCTAssertEqual(code.count, 9)
            XCTAssertEqual(Array(code)[4], "-")
            XCTAssertTrue(code.replacingOccurrences(of: "-", with: "").allSatisfy { RecoveryCodes.alphabet.contains($0) }, code)
            XCTAssertEqual(RecoveryCodes.normalize(code), code)
        }
        XCTAssertEqual(RecoveryCodes.alphabet.count, 32)
        for ambiguous in "01lo" { XCTAssertFalse(RecoveryCodes.alphabet.contains(ambiguous)) }
        XCTAssertEqual(RecoveryCodes.generate(count: 3).count, 3)
    }

    func testManyCodesAreUnique() {
        let many = RecoveryCodes.generate(count: 2_000)
        XCTAssertEqual(Set(many).count, 2_000)
        // Every symbol shows up: nothing in the alphabet is unreachable.
        XCTAssertEqual(Set(many.joined().filter { $0 != "-" }), Set(RecoveryCodes.alphabet))
    }

    func testNormalizationForgivesCaseSpacesAndDashes() {
        for typed in ["k7m2-9xq4", "K7M2-9XQ4", "k7m29xq4", " k7m2 9xq4 ", "k7m2 - 9xq4", "k7-m2-9x-q4", "k7m2—9xq4", "Ｋ７Ｍ２－９ＸＱ４"] {
            XCTAssertEqual(RecoveryCodes.normalize(typed), "k7m2-9xq4", typed)
        }
        for bad in ["", "k7m2-9xq", "k7m2-9xq44", "k7m0-9xq4", "k7m1-9xq4", "k7ml-9xq4", "k7mo-9xq4", "k7m2/9xq4", "科协科协科协科协"] {
            XCTAssertNil(RecoveryCodes.normalize(bad), bad)
        }
    }

    func testOnlyKeyedHashesAreStoredAndTheyMatchNormalizedInput() throws {
        let hash = try XCTUnwrap(codes.hash("k7m2-9xq4"))
        XCTAssertEqual(hash.count, 64)
        XCTAssertTrue(hash.allSatisfy(\.isHexDigit))
        XCTAssertFalse(hash.contains("k7m2"))
        XCTAssertEqual(codes.hash("K7M2 9XQ4"), hash)
        XCTAssertNotEqual(RecoveryCodes(key: Data(repeating: 8, count: 32)).hash("k7m2-9xq4"), hash, "the key matters")
        XCTAssertNotEqual(codes.hash("k7m2-9xq5"), hash)
        XCTAssertNil(codes.hash("not a code"))
    }

    func testMatchIndexFindsTheCodeToCrossOff() {
        let generated = RecoveryCodes.generate()
        let stored = generated.compactMap { codes.hash($0) }
        XCTAssertEqual(stored.count, generated.count)
        XCTAssertEqual(codes.matchIndex(of: generated[3].uppercased(), in: stored), 3)
        var remaining = stored
        remaining.remove(at: 3)
        XCTAssertNil(codes.matchIndex(of: generated[3], in: remaining), "a used code is gone")
        XCTAssertNil(codes.matchIndex(of: "garbage", in: stored))
    }
}
