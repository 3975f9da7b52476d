import XCTest

@testable import KexieKit

final class CheckInCodeTests: XCTestCase {
    func testAGeneratedCodeParsesBackInTheFormsPeopleType() throws {
        var generator = SeededRandom(seed: 7)
        for _ in 0..<200 {
            let code = CheckInCode.generate(using: &generator)
            XCTAssertEqual(code.canonical.count, 8)
            XCTAssertEqual(CheckInCode.parse(code.description), code)
            XCTAssertEqual(CheckInCode.parse(code.canonical.lowercased()), code)
            XCTAssertEqual(CheckInCode.parse(" " + code.description + " "), code)
        }
    }

    func testAValidCodeIsAcceptedAndItsDashedFormIsFourAndFour() throws {
        // "3" is value 1: Σ (i+1)·1 for i < 7 is 28; c = (31 − 28)·4 = 12, the symbol "E"; 28 + 8·12 = 124 = 4·31.
        let code = try XCTUnwrap(CheckInCode.parse("3333333E"))
        XCTAssertEqual(code.description, "3333-333E")
        XCTAssertEqual(CheckInCode.parse("3333-333e"), code)
        XCTAssertEqual(CheckInCode.parse("３３３３-３３３Ｅ"), code)
        XCTAssertNil(CheckInCode.parse("3333333F"))
    }

    func testEveryMistypedSymbolAndEverySwapOfNeighboursIsRefused() throws {
        var generator = SeededRandom(seed: 11)
        let alphabet = TrackingCode.alphabet
        for _ in 0..<50 {
            let symbols = Array(CheckInCode.generate(using: &generator).canonical)
            for i in 0..<symbols.count {
                for replacement in alphabet where replacement != symbols[i] {
                    var typed = symbols
                    typed[i] = replacement
                    XCTAssertNil(CheckInCode.parse(String(typed)), String(typed))
                }
                if i + 1 < symbols.count, symbols[i] != symbols[i + 1] {
                    var swapped = symbols
                    swapped.swapAt(i, i + 1)
                    XCTAssertNil(CheckInCode.parse(String(swapped)), String(swapped))
                }
            }
        }
        XCTAssertNil(CheckInCode.parse("2222222"))
        XCTAssertNil(CheckInCode.parse("2222222T2"))
        XCTAssertNil(CheckInCode.parse("O222222T"))
    }
}
