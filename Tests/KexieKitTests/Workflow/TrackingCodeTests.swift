import Foundation
import XCTest

@testable import KexieKit

final class TrackingCodeTests: XCTestCase {
    /// SplitMix64, so the tests see the same codes every run.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func testFormatAndRoundTrip() throws {
        var generator = SeededGenerator(state: 42)
        for _ in 0..<500 {
            let code = TrackingCode.generate(using: &generator)
            let text = code.description
            XCTAssertEqual(text.count, 17)
            XCTAssertTrue(text.hasPrefix("KX-"))
            XCTAssertEqual(text.split(separator: "-").map(\.count), [2, 4, 4, 4])
            XCTAssertEqual(code.canonical.count, 12)
            XCTAssertTrue(code.canonical.allSatisfy { TrackingCode.alphabet.contains($0) })
            XCTAssertEqual(try TrackingCode.parse(text), code)
            XCTAssertEqual(try TrackingCode.parse(code.canonical), code)
        }
    }

    func testAlphabetHasNoLookAlikes() {
        XCTAssertEqual(TrackingCode.alphabet.count, 31)
        XCTAssertEqual(Set(TrackingCode.alphabet).count, 31)
        for symbol in "01ILO" { XCTAssertFalse(TrackingCode.alphabet.contains(symbol)) }
    }

    func testParseIsLenientAboutHowPeopleType() throws {
        var generator = SeededGenerator(state: 7)
        let code = TrackingCode.generate(using: &generator)
        let lower = code.description.lowercased()
        let spaced = code.canonical.enumerated().map { "\($0.offset % 3 == 0 ? " " : "")\($0.element)" }.joined()
        // Full-width as typed with a Chinese IME.
        let fullWidth = String(
            String.UnicodeScalarView(
                code.description.unicodeScalars.map {
                    $0 == "-" ? $0 : (Unicode.Scalar($0.value + 0xFEE0) ?? $0)
                }))
        for variant in [lower, " \(code.description) ", spaced, "kx \(code.canonical)", fullWidth, "KX—" + code.canonical] {
            XCTAssertEqual(try TrackingCode.parse(variant), code, variant)
        }
    }

    func testEverySingleSubstitutionIsDetected() {
        var generator = SeededGenerator(state: 99)
        for _ in 0..<20 {
            let symbols = Array(TrackingCode.generate(using: &generator).canonical)
            for position in symbols.indices {
                for replacement in TrackingCode.alphabet where replacement != symbols[position] {
                    var typo = symbols
                    typo[position] = replacement
                    XCTAssertThrowsError(try TrackingCode.parse(String(typo))) { error in
                        XCTAssertEqual(error as? TrackingCodeError, .checksumMismatch)
                    }
                }
            }
        }
    }

    func testEverySwapOfTwoDifferentSymbolsIsDetected() {
        var generator = SeededGenerator(state: 5)
        for _ in 0..<20 {
            let symbols = Array(TrackingCode.generate(using: &generator).canonical)
            for i in symbols.indices {
                for j in symbols.indices where j > i && symbols[i] != symbols[j] {
                    var typo = symbols
                    typo.swapAt(i, j)
                    XCTAssertThrowsError(try TrackingCode.parse(String(typo)), "\(i)↔\(j)")
                }
            }
        }
    }

    func testMalformedInputIsRejectedWithAReason() {
        XCTAssertThrowsError(try TrackingCode.parse("KX-7F3M-Q9TC")) { error in
            XCTAssertEqual(error as? TrackingCodeError, .wrongLength(8))
            XCTAssertEqual((error as? TrackingCodeError)?.code, "tracking_code.length")
        }
        XCTAssertThrowsError(try TrackingCode.parse("")) { error in
            XCTAssertEqual(error as? TrackingCodeError, .wrongLength(0))
        }
        XCTAssertThrowsError(try TrackingCode.parse("KX-7F3M-Q9TC-2HP0")) { error in
            XCTAssertEqual(error as? TrackingCodeError, .invalidCharacter("0"))
            XCTAssertTrue((error as? TrackingCodeError)?.message.contains("0、1、I、L、O") ?? false)
        }
        XCTAssertThrowsError(try TrackingCode.parse("KX-查询码查询码查询-码查询码")) { error in
            XCTAssertEqual((error as? TrackingCodeError)?.code, "tracking_code.invalid_character")
        }
    }

    func testCodableUsesTheDisplayForm() throws {
        var generator = SeededGenerator(state: 1)
        let code = TrackingCode.generate(using: &generator)
        let data = try JSONEncoder().encode([code])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "[\"\(code.description)\"]")
        XCTAssertEqual(try JSONDecoder().decode([TrackingCode].self, from: data), [code])
        XCTAssertThrowsError(try JSONDecoder().decode([TrackingCode].self, from: Data("[\"KX-2222\"]".utf8)))
    }

    func testSystemGeneratorProducesValidDistinctCodes() {
        let codes = Set((0..<200).map { _ in TrackingCode.generate() })
        XCTAssertEqual(codes.count, 200)
    }
}
