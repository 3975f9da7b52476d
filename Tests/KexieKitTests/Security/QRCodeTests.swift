import Foundation
import XCTest

@testable import KexieKit

final class QRCodeTests: XCTestCase {
    // MARK: Reed–Solomon and codewords

    /// The generator for 7 check codewords, as printed in the standard's Annex A (as exponents of α).
    func testGeneratorPolynomialForSevenCodewords() {
        let exponents = QRReedSolomon.generator(degree: 7).map { QRReedSolomon.logarithms[Int($0)] }
        XCTAssertEqual(exponents, [0, 87, 229, 146, 149, 238, 102, 21])
    }

    /// Version 1-M, 10 check codewords: the standard's worked example "01234567" (Annex I) and the widely used
    /// "HELLO WORLD" example. Both are alphanumeric/numeric data, but the check codewords only see bytes.
    func testReedSolomonCheckCodewordsOfKnownExamples() {
        let annex: [UInt8] = [16, 32, 12, 86, 97, 128, 236, 17, 236, 17, 236, 17, 236, 17, 236, 17]
        XCTAssertEqual(QRReedSolomon.remainder(of: annex, degree: 10), [165, 36, 212, 193, 237, 54, 199, 135, 44, 85])
        let hello: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        XCTAssertEqual(QRReedSolomon.remainder(of: hello, degree: 10), [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    func testByteModeDataCodewordsWithTerminatorAndPadding() {
        // 0100 | 00000010 | 01100001 01100010 | 0000, then 0xEC 0x11 ... up to the 19 data codewords of 1-L.
        let codewords = QRCodeTables.dataCodewords(bytes: Array("ab".utf8), version: 1, level: .low)
        let padding = (0..<15).map { $0 % 2 == 0 ? UInt8(0xEC) : 0x11 }
        XCTAssertEqual(codewords, [0x40, 0x26, 0x16, 0x20] + padding)
        // From version 10 the length takes 16 bits.
        let long = QRCodeTables.dataCodewords(bytes: [0xFF], version: 10, level: .high)
        XCTAssertEqual(Array(long.prefix(4)), [0x40, 0x00, 0x1F, 0xF0])
    }

    func testInterleavingOfUnevenBlocks() {
        // 5-Q: two blocks of 15 data codewords, then two of 16, each with 18 check codewords; 134 in all.
        let data = (0..<62).map { UInt8($0) }
        let all = QRCodeTables.interleavedCodewords(data: data, version: 5, level: .quartile)
        XCTAssertEqual(all.count, 134)
        XCTAssertEqual(Array(all.prefix(8)), [0, 15, 30, 46, 1, 16, 31, 47])
        // After 15 rounds the short blocks are used up; the 61st and 62nd codewords are the long blocks' last.
        XCTAssertEqual(Array(all[60..<62]), [45, 61])
        let firstBlockCheck = QRReedSolomon.remainder(of: Array(data[0..<15]), degree: 18)
        XCTAssertEqual(all[62], firstBlockCheck[0])
        XCTAssertEqual(all[66], firstBlockCheck[1])
    }

    // MARK: Tables

    func testCapacitiesMatchTheStandard() {
        let expected: [Int: [Int]] = [
            1: [17, 14, 11, 7], 2: [32, 26, 20, 14], 5: [106, 84, 60, 44], 7: [154, 122, 86, 64],
            10: [271, 213, 151, 119], 20: [858, 666, 482, 382], 27: [1465, 1125, 805, 625], 40: [2953, 2331, 1663, 1273],
        ]
        for (version, capacities) in expected {
            let computed = QRCode.ErrorCorrectionLevel.allCases.map { QRCode.byteCapacity(version: version, level: $0) }
            XCTAssertEqual(computed, capacities, "v\(version)")
        }
    }

    /// The codeword count of each version and its remainder bits (Table 1) fall out of the drawn layout.
    func testLayoutLeavesTheStandardNumberOfCodewordsAndRemainderBits() {
        XCTAssertEqual(QRCodeTables.totalCodewords(version: 1), 26)
        XCTAssertEqual(QRCodeTables.totalCodewords(version: 2), 44)
        XCTAssertEqual(QRCodeTables.totalCodewords(version: 7), 196)
        XCTAssertEqual(QRCodeTables.totalCodewords(version: 14), 581)
        XCTAssertEqual(QRCodeTables.totalCodewords(version: 40), 3706)
        for version in 1...40 {
            let remainder: Int
            switch version {
            case 1: remainder = 0
            case 2...6: remainder = 7
            case 7...13: remainder = 0
            case 14...20, 28...34: remainder = 3
            case 21...27: remainder = 4
            default: remainder = 0
            }
            XCTAssertEqual(QRCodeTables.dataModuleCounts[version - 1] % 8, remainder, "v\(version)")
        }
    }

    func testAlignmentPatternCentresMatchAnnexE() {
        XCTAssertEqual(QRCodeTables.alignmentCenters(version: 1), [])
        XCTAssertEqual(QRCodeTables.alignmentCenters(version: 2), [6, 18])
        XCTAssertEqual(QRCodeTables.alignmentCenters(version: 7), [6, 22, 38])
        XCTAssertEqual(QRCodeTables.alignmentCenters(version: 15), [6, 26, 48, 70])
        XCTAssertEqual(QRCodeTables.alignmentCenters(version: 32), [6, 34, 60, 86, 112, 138])
        XCTAssertEqual(QRCodeTables.alignmentCenters(version: 36), [6, 24, 50, 76, 102, 128, 154])
        XCTAssertEqual(QRCodeTables.alignmentCenters(version: 40), [6, 30, 58, 86, 114, 142, 170])
    }

    /// Annex C lists the 32 format information strings; these are the ones for L and M.
    func testFormatInformationBits() {
        let low = [
            "111011111000100", "111001011110011", "111110110101010", "111100010011101",
            "110011000101111", "110001100011000", "110110001000001", "110100101110110",
        ]
        let medium = [
            "101010000010010", "101000100100101", "101111001111100", "101101101001011",
            "100010111111001", "100000011001110", "100111110010111", "100101010100000",
        ]
        for mask in 0...7 {
            XCTAssertEqual(QRCodeTables.formatBits(level: .low, mask: mask), Int(low[mask], radix: 2), "L\(mask)")
            XCTAssertEqual(QRCodeTables.formatBits(level: .medium, mask: mask), Int(medium[mask], radix: 2), "M\(mask)")
        }
        XCTAssertEqual(QRCodeTables.formatBits(level: .quartile, mask: 0), 0b011010101011111)
        XCTAssertEqual(QRCodeTables.formatBits(level: .high, mask: 0), 0b001011010001001)
    }

    /// Annex D: version 7 is 000111 110010010100.
    func testVersionInformationBits() {
        XCTAssertEqual(QRCodeTables.versionBits(version: 7), 0b000111_110010010100)
        XCTAssertEqual(QRCodeTables.versionBits(version: 40), 0b101000_110001101001)
    }

    // MARK: Symbol structure

    func testSizeGrowsWithTheData() throws {
        XCTAssertEqual(try QRCode(text: "a", level: .low).version, 1)
        XCTAssertEqual(try QRCode(text: String(repeating: "a", count: 17), level: .low).version, 1)
        XCTAssertEqual(try QRCode(text: String(repeating: "a", count: 18), level: .low).version, 2)
        XCTAssertEqual(try QRCode(text: String(repeating: "a", count: 14), level: .medium).version, 1)
        XCTAssertEqual(try QRCode(text: String(repeating: "a", count: 7), level: .high).version, 1)
        XCTAssertEqual(try QRCode(text: String(repeating: "a", count: 8), level: .high).version, 2)
        for count in [0, 30, 100, 500, 1000, 2331] {
            let code = try QRCode(text: String(repeating: "x", count: count), level: .medium)
            XCTAssertEqual(code.size, 17 + 4 * code.version)
            XCTAssertLessThanOrEqual(count, QRCode.byteCapacity(version: code.version, level: .medium))
            if code.version > 1 { XCTAssertGreaterThan(count, QRCode.byteCapacity(version: code.version - 1, level: .medium)) }
        }
        // Chinese text counts in UTF-8 bytes: 3 a character.
        XCTAssertEqual(try QRCode(text: "智慧科协", level: .medium).version, 1)
        XCTAssertEqual(try QRCode(text: "智慧科协平", level: .medium).version, 2)
    }

    func testTooMuchDataThrowsATypedError() {
        XCTAssertNoThrow(try QRCode(bytes: Array(repeating: 0x41, count: 2953), level: .low))
        XCTAssertThrowsError(try QRCode(bytes: Array(repeating: 0x41, count: 2954), level: .low)) { error in
            XCTAssertEqual(error as? QRCodeError, .dataTooLong(byteCount: 2954, maximum: 2953))
            XCTAssertEqual((error as? QRCodeError)?.code, "qr_code.data_too_long")
        }
        XCTAssertThrowsError(try QRCode(text: String(repeating: "科", count: 425), level: .high)) { error in
            XCTAssertEqual(error as? QRCodeError, .dataTooLong(byteCount: 1275, maximum: 1273))
        }
    }

    func testFinderTimingAndDarkModule() throws {
        for version in [1, 7, 40] {
            let code = try QRCode(bytes: Array("finder".utf8), level: .quartile, minimumVersion: version, forcedMask: nil)
            XCTAssertEqual(code.version, version)
            let size = code.size
            XCTAssertEqual(size, 17 + 4 * version)
            for (left, top) in [(0, 0), (size - 7, 0), (0, size - 7)] {
                for dy in -1...7 {
                    for dx in -1...7 {
                        let x = left + dx
                        let y = top + dy
                        guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                        let ring = max(abs(dx - 3), abs(dy - 3))
                        XCTAssertEqual(code.isDark(x: x, y: y), ring != 2 && ring != 4, "v\(version) finder at (\(x), \(y))")
                    }
                }
            }
            for index in 8..<(size - 8) {
                XCTAssertEqual(code.isDark(x: index, y: 6), index % 2 == 0, "v\(version) horizontal timing at \(index)")
                XCTAssertEqual(code.isDark(x: 6, y: index), index % 2 == 0, "v\(version) vertical timing at \(index)")
            }
            XCTAssertTrue(code.isDark(x: 8, y: size - 8), "the dark module")
            XCTAssertFalse(code.isDark(x: -1, y: 0), "outside is quiet zone")
            XCTAssertFalse(code.isDark(x: size, y: size))
        }
    }

    func testAlignmentPatternsAreDrawnWhereAnnexESays() throws {
        let code = try QRCode(bytes: Array("align".utf8), level: .low, minimumVersion: 7, forcedMask: 3)
        for (cx, cy) in [(22, 6), (6, 22), (22, 22), (38, 22), (22, 38), (38, 38)] {
            for dy in -2...2 {
                for dx in -2...2 {
                    XCTAssertEqual(code.isDark(x: cx + dx, y: cy + dy), max(abs(dx), abs(dy)) != 1, "(\(cx + dx), \(cy + dy))")
                }
            }
        }
    }

    func testFormatAndVersionInformationAreWrittenTwice() throws {
        for level in QRCode.ErrorCorrectionLevel.allCases {
            for mask in [0, 5] {
                let code = try QRCode(bytes: Array("format".utf8), level: level, minimumVersion: 7, forcedMask: mask)
                XCTAssertEqual(code.mask, mask)
                let size = code.size
                let expected = QRCodeTables.formatBits(level: level, mask: mask)
                // Bit 14 first: row 8 from the left edge (skipping the timing column), then up column 8.
                let topLeftPositions = [
                    (0, 8), (1, 8), (2, 8), (3, 8), (4, 8), (5, 8), (7, 8), (8, 8), (8, 7), (8, 5), (8, 4), (8, 3), (8, 2), (8, 1), (8, 0),
                ]
                let splitPositions = (0..<7).map { (8, size - 1 - $0) } + (0..<8).map { (size - 8 + $0, 8) }
                XCTAssertEqual(readBits(code, topLeftPositions), expected, "\(level) mask \(mask), top left")
                XCTAssertEqual(readBits(code, splitPositions), expected, "\(level) mask \(mask), split copy")
            }
        }
        let code = try QRCode(bytes: Array("version".utf8), level: .medium, minimumVersion: 7, forcedMask: nil)
        let size = code.size
        // Bit 17 first; bit i sits at row i / 3, column size - 11 + i % 3 (top right) and transposed (bottom left).
        let bottomLeft = (0..<18).reversed().map { index in (index / 3, size - 11 + index % 3) }
        let topRight = (0..<18).reversed().map { index in (size - 11 + index % 3, index / 3) }
        XCTAssertEqual(readBits(code, bottomLeft), 0b000111_110010010100)
        XCTAssertEqual(readBits(code, topRight), 0b000111_110010010100)
    }

    func testChosenMaskHasTheLowestPenalty() throws {
        let bytes = Array("https://kexie.example.cn/events/2026/checkin?t=8f3a".utf8)
        let chosen = try QRCode(bytes: bytes, level: .medium)
        let penalties = try (0...7).map { mask in
            penalty(of: try QRCode(bytes: bytes, level: .medium, minimumVersion: chosen.version, forcedMask: mask))
        }
        XCTAssertEqual(penalty(of: chosen), penalties.min())
        XCTAssertEqual(chosen.mask, penalties.firstIndex(of: penalties.min()!))
    }

    func testPenaltyRules() {
        XCTAssertEqual(QRPenalty.sameColorRuns([true, true, true, true, false, true]), 0)
        XCTAssertEqual(QRPenalty.sameColorRuns([true, true, true, true, true, false]), 3)
        XCTAssertEqual(QRPenalty.sameColorRuns(Array(repeating: false, count: 7) + [true] + Array(repeating: true, count: 4)), 5 + 3)
        XCTAssertEqual(QRPenalty.sameColorBlocks([true, true, true, true], size: 2), 3)
        XCTAssertEqual(QRPenalty.sameColorBlocks(Array(repeating: false, count: 9), size: 3), 12)
        let lookalike: [Bool] = [false, false, false, false, true, false, true, true, true, false, true]
        XCTAssertEqual(QRPenalty.finderLookalikes(lookalike), 40)
        XCTAssertEqual(QRPenalty.finderLookalikes(Array(lookalike.reversed())), 40)
        XCTAssertEqual(QRPenalty.finderLookalikes([true, true, true, true] + Array(lookalike.suffix(7)) + [true, true, true, true]), 0)
        XCTAssertEqual(QRPenalty.darkBalance(Array(repeating: true, count: 100)), 100)
        XCTAssertEqual(QRPenalty.darkBalance(Array(repeating: true, count: 54) + Array(repeating: false, count: 46)), 0)
        XCTAssertEqual(QRPenalty.darkBalance(Array(repeating: true, count: 55) + Array(repeating: false, count: 45)), 10)
    }

    func testMaskPatternsFollowTheStandardsRowColumnConvention() {
        // Mask 1 darkens even rows (i is the row), mask 2 every third column (j is the column).
        XCTAssertTrue(QRSymbolBuilder.maskInverts(1, x: 3, y: 0))
        XCTAssertFalse(QRSymbolBuilder.maskInverts(1, x: 0, y: 1))
        XCTAssertTrue(QRSymbolBuilder.maskInverts(2, x: 3, y: 1))
        XCTAssertFalse(QRSymbolBuilder.maskInverts(2, x: 1, y: 3))
        XCTAssertTrue(QRSymbolBuilder.maskInverts(4, x: 2, y: 1))
        XCTAssertFalse(QRSymbolBuilder.maskInverts(4, x: 3, y: 0))
    }

    // MARK: SVG

    func testSVGIsAccessibleAndEscaped() throws {
        let code = try QRCode(text: "kexie", level: .low)
        let svg = code.svg(moduleSize: 5, quietZone: 4, title: "签到码 <活动> & \"科协\"\u{1}")
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(svg.contains("role=\"img\""))
        XCTAssertTrue(svg.contains("width=\"145\" height=\"145\" viewBox=\"0 0 29 29\""))
        XCTAssertTrue(svg.contains("<title>签到码 &lt;活动&gt; &amp; &quot;科协&quot;</title>"))
        XCTAssertTrue(svg.contains("<rect width=\"29\" height=\"29\" fill=\"#ffffff\"/>"))
        XCTAssertEqual(svg.components(separatedBy: "<path").count, 2, "exactly one path")
        XCTAssertTrue(svg.contains("d=\"M4,4h7v1h-7z"), "the top-left finder's first row starts the path")
        XCTAssertFalse(code.svg(title: nil).contains("<title>"))
        XCTAssertEqual(QRCode.xmlEscaped("a'b"), "a&apos;b")
        // Whether the whole file is well-formed XML is left to rsvg-convert in the round-trip test below.
    }

    /// The SVG's dark path covers exactly the dark modules.
    func testSVGPathCoversExactlyTheDarkModules() throws {
        let code = try QRCode(text: "路径覆盖", level: .high)
        let svg = code.svg(moduleSize: 1, quietZone: 2, title: "t")
        var painted = Set<[Int]>()
        let path = svg.components(separatedBy: "d=\"")[1].components(separatedBy: "\"")[0]
        for run in path.split(separator: "z") {
            let numbers = run.dropFirst().split(whereSeparator: { ",hv".contains($0) }).map { Int($0)! }
            for x in numbers[0]..<(numbers[0] + numbers[2]) { painted.insert([x - 2, numbers[1] - 2]) }
        }
        var dark = Set<[Int]>()
        for y in 0..<code.size {
            for x in 0..<code.size where code.isDark(x: x, y: y) { dark.insert([x, y]) }
        }
        XCTAssertEqual(painted, dark)
    }

    // MARK: Round trip through real tools

    /// Renders the SVG with rsvg-convert and reads it back with zbarimg, two programs that share no code with
    /// this encoder. CI installs them (Debian: librsvg2-bin, zbar-tools); without them this test fails.
    func testRoundTripThroughRsvgConvertAndZbarimg() throws {
        guard let rsvg = Self.executable("rsvg-convert"), let zbarimg = Self.executable("zbarimg") else {
            return XCTFail("rsvg-convert and zbarimg are needed: apt-get install -y librsvg2-bin zbar-tools")
        }
        let secretURI = TOTP(secret: Array("12345678901234567890".utf8)).provisioningURI(issuer: "智慧科协", account: "zhang.san@example.com")
        let ascii = (0..<300).map { index in String(Array("abcdefghijklmnopqrstuvwxyz0123456789 -/:.")[index * 7 % 41]) }.joined()
        let chinese = "中国科学技术协会：为科技工作者服务，为创新驱动发展服务，为提高全民科学素质服务，为党和政府科学决策服务。"
        XCTAssertEqual(ascii.count, 300)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kexie-qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        for (name, text) in [("otpauth", secretURI), ("ascii300", ascii), ("chinese", chinese)] {
            for level in [QRCode.ErrorCorrectionLevel.low, .medium, .high] {
                let code = try QRCode(text: text, level: level)
                let svgURL = directory.appendingPathComponent("\(name)-\(level).svg")
                let pngURL = directory.appendingPathComponent("\(name)-\(level).png")
                try code.svg(moduleSize: 6, quietZone: 4, title: name).write(to: svgURL, atomically: true, encoding: .utf8)
                let converted = try Self.run(rsvg, ["-b", "white", "-o", pngURL.path, svgURL.path])
                XCTAssertEqual(converted.status, 0, "rsvg-convert failed for \(name) \(level): \(converted.error)")
                let decoded = try Self.run(zbarimg, ["--raw", "-q", pngURL.path])
                XCTAssertEqual(decoded.status, 0, "zbarimg found no code in \(name) \(level) (version \(code.version))")
                // zbarimg ends each symbol with a newline.
                XCTAssertEqual(
                    decoded.output.hasSuffix("\n") ? String(decoded.output.dropLast()) : decoded.output, text,
                    "\(name) at \(level), version \(code.version), mask \(code.mask)")
            }
        }
    }

    // MARK: Helpers

    private func readBits(_ code: QRCode, _ positions: [(Int, Int)]) -> Int {
        positions.reduce(0) { bits, position in bits << 1 | (code.isDark(x: position.0, y: position.1) ? 1 : 0) }
    }

    private func penalty(of code: QRCode) -> Int {
        let modules = (0..<(code.size * code.size)).map { code.isDark(x: $0 % code.size, y: $0 / code.size) }
        return QRPenalty.score(modules, size: code.size)
    }

    static func executable(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read before waiting so a full pipe cannot block the child.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }
}
