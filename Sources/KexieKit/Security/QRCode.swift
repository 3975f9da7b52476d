import Foundation

/// A QR Code symbol (ISO/IEC 18004) holding bytes in byte mode: the otpauth URI of two-factor sign-up, an event's
/// check-in link, anything else of up to 2953 bytes.
///
/// Text is encoded as UTF-8 without an ECI header, as most encoders do: readers in common use recognise UTF-8 by
/// themselves (zbar does, which the round-trip test shows for Chinese text), and not every reader understands ECI.
/// The smallest version that fits is chosen, and of the eight masks the one with the lowest penalty score.
public struct QRCode: Sendable, Equatable {
    /// How much of the symbol may be damaged and still read: about 7%, 15%, 25% and 30% of the codewords.
    public enum ErrorCorrectionLevel: String, Sendable, CaseIterable {
        case low = "L"
        case medium = "M"
        case quartile = "Q"
        case high = "H"

        /// The two bits for the format information; the standard numbers the levels M, L, H, Q.
        var formatBits: Int {
            switch self {
            case .low: return 0b01
            case .medium: return 0b00
            case .quartile: return 0b11
            case .high: return 0b10
            }
        }

        /// Row in the block tables, which list the levels in the order L, M, Q, H.
        var tableIndex: Int {
            switch self {
            case .low: return 0
            case .medium: return 1
            case .quartile: return 2
            case .high: return 3
            }
        }
    }

    /// 1...40; the symbol has 17 + 4 × version modules a side.
    public let version: Int
    public let level: ErrorCorrectionLevel
    /// The data mask pattern 0...7 that was applied.
    public let mask: Int
    /// Modules per side, without the quiet zone.
    public let size: Int
    /// Row-major, `true` for dark.
    private let modules: [Bool]

    public init(text: String, level: ErrorCorrectionLevel = .medium) throws {
        try self.init(bytes: Array(text.utf8), level: level)
    }

    public init(bytes: [UInt8], level: ErrorCorrectionLevel = .medium) throws {
        try self.init(bytes: bytes, level: level, minimumVersion: 1, forcedMask: nil)
    }

    /// Pins the smallest version and the mask, which tests use to check the layout of one known case.
    init(bytes: [UInt8], level: ErrorCorrectionLevel, minimumVersion: Int, forcedMask: Int?) throws {
        precondition((1...40).contains(minimumVersion), "QR Code versions are 1...40")
        precondition(forcedMask.map { (0...7).contains($0) } ?? true, "QR Code masks are 0...7")
        guard let version = (minimumVersion...40).first(where: { QRCodeTables.byteCapacity(version: $0, level: level) >= bytes.count })
        else {
            throw QRCodeError.dataTooLong(byteCount: bytes.count, maximum: QRCodeTables.byteCapacity(version: 40, level: level))
        }
        let data = QRCodeTables.dataCodewords(bytes: bytes, version: version, level: level)
        var symbol = QRSymbolBuilder(version: version)
        symbol.placeData(QRCodeTables.interleavedCodewords(data: data, version: version, level: level))

        var best: (penalty: Int, mask: Int, modules: [Bool])?
        for mask in forcedMask.map({ [$0] }) ?? Array(0...7) {
            let candidate = symbol.finished(level: level, mask: mask)
            let penalty = QRPenalty.score(candidate, size: symbol.size)
            if penalty < best?.penalty ?? Int.max {
                best = (penalty, mask, candidate)
            }
        }
        guard let best else { preconditionFailure("at least one mask is always tried") }
        self.version = version
        self.level = level
        self.mask = best.mask
        self.size = symbol.size
        self.modules = best.modules
    }

    /// The most bytes that fit in one symbol of `version` at `level`, e.g. 2953 for version 40-L.
    public static func byteCapacity(version: Int, level: ErrorCorrectionLevel) -> Int {
        precondition((1...40).contains(version), "QR Code versions are 1...40")
        return QRCodeTables.byteCapacity(version: version, level: level)
    }

    /// Whether the module in column `x`, row `y` is dark; coordinates outside the symbol are the light quiet zone.
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }

    /// A standalone SVG image: a white background and one path of dark modules, with `quietZone` light modules
    /// around the symbol (the standard asks for 4). The `title` is what screen readers announce; pass one.
    /// No XML declaration is written, so the same text can also be put inline into an HTML page.
    public func svg(moduleSize: Int = 4, quietZone: Int = 4, title: String?) -> String {
        let moduleSize = max(1, moduleSize)
        let quietZone = max(0, quietZone)
        let extent = size + 2 * quietZone
        let pixels = extent * moduleSize

        // One subpath per horizontal run of dark modules keeps the file small and free of hairline seams.
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                let start = x
                while x < size, isDark(x: x, y: y) { x += 1 }
                path += "M\(start + quietZone),\(y + quietZone)h\(x - start)v1h-\(x - start)z"
            }
        }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(pixels)\" height=\"\(pixels)\""
        svg += " viewBox=\"0 0 \(extent) \(extent)\" shape-rendering=\"crispEdges\" role=\"img\">\n"
        if let title {
            svg += "<title>\(Self.xmlEscaped(title))</title>\n"
        }
        svg += "<rect width=\"\(extent)\" height=\"\(extent)\" fill=\"#ffffff\"/>\n"
        svg += "<path d=\"\(path)\" fill=\"#000000\"/>\n"
        svg += "</svg>\n"
        return svg
    }

    /// Escapes markup and drops the control characters that XML 1.0 forbids even when escaped.
    static func xmlEscaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

public enum QRCodeError: KexieKitError, Equatable {
    case dataTooLong(byteCount: Int, maximum: Int)

    public var code: String {
        switch self {
        case .dataTooLong: return "qr_code.data_too_long"
        }
    }

    public var message: String {
        switch self {
        case .dataTooLong(let byteCount, let maximum):
            return "内容过长，无法生成二维码：共 \(byteCount) 字节，当前纠错等级下最多 \(maximum) 字节"
        }
    }
}

// MARK: - Codewords

/// The block structure of ISO/IEC 18004 Table 9 and what follows from it.
enum QRCodeTables {
    /// Error-correction codewords in each block, by level (L, M, Q, H) and version 1...40.
    static let errorCorrectionCodewordsPerBlock: [[Int]] = [
        [
            7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
            28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
        [
            10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
            26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        ],
        [
            13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
            28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
        [
            17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
            30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
    ]

    /// Number of blocks the codewords are split into, by level (L, M, Q, H) and version 1...40.
    static let blockCounts: [[Int]] = [
        [
            1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
            8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
        ],
        [
            1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
            17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
        ],
        [
            1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
            23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
        ],
        [
            1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
            25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
        ],
    ]

    /// Modules left for codewords once the function patterns are drawn, by version 1...40. Counted on a real
    /// layout rather than copied from a table, so the placement code and the capacity can never disagree.
    static let dataModuleCounts: [Int] = (1...40).map { QRSymbolBuilder(version: $0).dataModuleCount }

    /// All codewords of a version; the 0 to 7 modules left over are remainder bits.
    static func totalCodewords(version: Int) -> Int {
        dataModuleCounts[version - 1] / 8
    }

    static func dataCodewordCount(version: Int, level: QRCode.ErrorCorrectionLevel) -> Int {
        let index = level.tableIndex
        return totalCodewords(version: version)
            - errorCorrectionCodewordsPerBlock[index][version - 1] * blockCounts[index][version - 1]
    }

    /// Byte-mode capacity: 4 bits of mode, 8 or 16 bits of length, then 8 bits a byte.
    static func byteCapacity(version: Int, level: QRCode.ErrorCorrectionLevel) -> Int {
        (dataCodewordCount(version: version, level: level) * 8 - 4 - lengthBits(version: version)) / 8
    }

    /// Width of the byte-mode character count: 8 bits up to version 9, 16 from version 10.
    static func lengthBits(version: Int) -> Int {
        version < 10 ? 8 : 16
    }

    /// The data codewords: mode 0100, the length, the bytes, a terminator of up to four 0 bits, 0 bits to the
    /// byte boundary, then the pad bytes 11101100 and 00010001 in turn until the version is full.
    static func dataCodewords(bytes: [UInt8], version: Int, level: QRCode.ErrorCorrectionLevel) -> [UInt8] {
        let capacity = dataCodewordCount(version: version, level: level)
        var bits = QRBitWriter()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: lengthBits(version: version))
        for byte in bytes { bits.append(Int(byte), count: 8) }
        bits.append(0, count: min(4, capacity * 8 - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count < capacity {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    /// Splits the data into blocks (the later blocks one codeword longer when it does not divide evenly),
    /// appends each block's Reed–Solomon codewords, and interleaves: first byte of every block, then the second...
    /// so that a smudge wipes out a little of many blocks rather than all of one.
    static func interleavedCodewords(data: [UInt8], version: Int, level: QRCode.ErrorCorrectionLevel) -> [UInt8] {
        let blockCount = blockCounts[level.tableIndex][version - 1]
        let errorCorrectionCount = errorCorrectionCodewordsPerBlock[level.tableIndex][version - 1]
        let total = totalCodewords(version: version)
        let shortBlockLength = total / blockCount
        let shortBlockCount = blockCount - total % blockCount

        var dataBlocks: [[UInt8]] = []
        var errorCorrectionBlocks: [[UInt8]] = []
        var start = 0
        for block in 0..<blockCount {
            let length = shortBlockLength - errorCorrectionCount + (block < shortBlockCount ? 0 : 1)
            let blockData = Array(data[start..<(start + length)])
            start += length
            dataBlocks.append(blockData)
            errorCorrectionBlocks.append(QRReedSolomon.remainder(of: blockData, degree: errorCorrectionCount))
        }

        var out: [UInt8] = []
        out.reserveCapacity(total)
        for index in 0...(shortBlockLength - errorCorrectionCount) {
            for block in dataBlocks where index < block.count { out.append(block[index]) }
        }
        for index in 0..<errorCorrectionCount {
            for block in errorCorrectionBlocks { out.append(block[index]) }
        }
        return out
    }

    /// Row and column of the alignment pattern centres (Annex E): the first at 6, the last 7 from the far edge,
    /// and the rest spread evenly back from the last with an even step (version 32 is the one irregular case).
    static func alignmentCenters(version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let last = 17 + 4 * version - 7
        let step = version == 32 ? 26 : ((last - 6) + 2 * (count - 1) - 1) / (2 * (count - 1)) * 2
        return [6] + (0..<(count - 1)).map { last - $0 * step }.reversed()
    }

    /// 15 bits: level and mask, a BCH(15,5) check with generator x¹⁰+x⁸+x⁵+x⁴+x²+x+1, XORed with 101010000010010
    /// so that no valid format is all light.
    static func formatBits(level: QRCode.ErrorCorrectionLevel, mask: Int) -> Int {
        let data = level.formatBits << 3 | mask
        return (data << 10 | bchRemainder(data << 10, generator: 0b101_0011_0111, degree: 10)) ^ 0b101_0100_0001_0010
    }

    /// 18 bits for versions 7 and up: the version and a BCH(18,6) check with generator x¹²+x¹¹+x¹⁰+x⁹+x⁸+x⁵+x²+1.
    static func versionBits(version: Int) -> Int {
        version << 12 | bchRemainder(version << 12, generator: 0b1_1111_0010_0101, degree: 12)
    }

    private static func bchRemainder(_ value: Int, generator: Int, degree: Int) -> Int {
        var remainder = value
        var bit = Int.bitWidth - 1 - remainder.leadingZeroBitCount
        while bit >= degree {
            if remainder & (1 << bit) != 0 { remainder ^= generator << (bit - degree) }
            bit -= 1
        }
        return remainder
    }
}

/// Appends bits most significant first.
struct QRBitWriter {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ value: Int, count bitCount: Int) {
        for shift in stride(from: bitCount - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> shift) & 1 == 1 { bytes[bytes.count - 1] |= 0x80 >> UInt8(count % 8) }
            count += 1
        }
    }
}

/// Reed–Solomon error correction over GF(2⁸) with the QR Code field polynomial x⁸+x⁴+x³+x²+1 (0x11D).
enum QRReedSolomon {
    /// α^i for i in 0..<510; doubled so that a product needs no modulo.
    static let exponents: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var value = 1
        for index in 0..<255 {
            table[index] = UInt8(value)
            table[index + 255] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        return table
    }()

    /// log_α(x) for x in 1...255 (index 0 unused).
    static let logarithms: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for index in 0..<255 { table[Int(exponents[index])] = index }
        return table
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        guard a != 0, b != 0 else { return 0 }
        return exponents[logarithms[Int(a)] + logarithms[Int(b)]]
    }

    /// (x − α⁰)(x − α¹)…(x − α^(degree−1)), coefficients from the highest power; the leading 1 is included.
    static func generator(degree: Int) -> [UInt8] {
        var polynomial: [UInt8] = [1]
        for power in 0..<degree {
            // Multiply by (x + α^power); in GF(2⁸) subtraction is addition is XOR.
            var next = polynomial + [0]
            for (index, coefficient) in polynomial.enumerated() {
                next[index + 1] ^= multiply(coefficient, exponents[power])
            }
            polynomial = next
        }
        return polynomial
    }

    /// The `degree` check codewords: the remainder of data(x)·x^degree divided by the generator.
    static func remainder(of data: [UInt8], degree: Int) -> [UInt8] {
        let divisor = generator(degree: degree)
        var remainder = [UInt8](repeating: 0, count: degree)
        for byte in data {
            let factor = byte ^ remainder[0]
            remainder.removeFirst()
            remainder.append(0)
            for index in 0..<degree {
                remainder[index] ^= multiply(divisor[index + 1], factor)
            }
        }
        return remainder
    }
}

// MARK: - Layout

/// The module grid of one version while it is being drawn: function patterns first, then the data.
struct QRSymbolBuilder {
    let version: Int
    let size: Int
    private(set) var dark: [Bool]
    /// Modules that belong to finder, separator, timing, alignment, format or version patterns, or the dark module.
    private(set) var isFunction: [Bool]

    init(version: Int) {
        self.version = version
        size = 17 + 4 * version
        dark = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)

        for index in 0..<size {
            setFunction(x: 6, y: index, dark: index % 2 == 0)
            setFunction(x: index, y: 6, dark: index % 2 == 0)
        }
        drawFinder(centerX: 3, centerY: 3)
        drawFinder(centerX: size - 4, centerY: 3)
        drawFinder(centerX: 3, centerY: size - 4)

        let centers = QRCodeTables.alignmentCenters(version: version)
        for centerY in centers {
            for centerX in centers {
                // The three corners that hold finder patterns get no alignment pattern.
                let nearFinder =
                    (centerX == 6 && centerY == 6) || (centerX == 6 && centerY == centers.last)
                    || (centerX == centers.last && centerY == 6)
                if !nearFinder { drawAlignment(centerX: centerX, centerY: centerY) }
            }
        }

        // Reserved now so data placement skips them; the real format bits depend on the mask and come last.
        drawFormatBits(0)
        if version >= 7 { drawVersionBits() }
    }

    var dataModuleCount: Int {
        isFunction.reduce(0) { $0 + ($1 ? 0 : 1) }
    }

    /// Places the codewords most significant bit first in two-module-wide columns, zigzagging up and down from
    /// the bottom right corner and skipping function modules. Modules left over (remainder bits) stay light.
    mutating func placeData(_ codewords: [UInt8]) {
        let bitCount = codewords.count * 8
        var bitIndex = 0
        var upward = true
        var right = size - 1
        while right > 0 {
            // The vertical timing pattern fills column 6, so the column pairs left of it shift by one.
            if right == 6 { right = 5 }
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !isFunction[y * size + x] {
                    if bitIndex < bitCount {
                        dark[y * size + x] = (codewords[bitIndex / 8] >> UInt8(7 - bitIndex % 8)) & 1 == 1
                    }
                    bitIndex += 1
                }
            }
            upward.toggle()
            right -= 2
        }
    }

    /// The final modules for one mask: format information written and the data modules XORed with the pattern.
    func finished(level: QRCode.ErrorCorrectionLevel, mask: Int) -> [Bool] {
        var copy = self
        copy.drawFormatBits(QRCodeTables.formatBits(level: level, mask: mask))
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && Self.maskInverts(mask, x: x, y: y) {
                copy.dark[y * size + x].toggle()
            }
        }
        return copy.dark
    }

    /// The eight data mask conditions of the standard, with i the row (y) and j the column (x).
    static func maskInverts(_ mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: return (y + x) % 2 == 0
        case 1: return y % 2 == 0
        case 2: return x % 3 == 0
        case 3: return (y + x) % 3 == 0
        case 4: return (y / 2 + x / 3) % 2 == 0
        case 5: return (y * x) % 2 + (y * x) % 3 == 0
        case 6: return ((y * x) % 2 + (y * x) % 3) % 2 == 0
        default: return ((y + x) % 2 + (y * x) % 3) % 2 == 0
        }
    }

    private mutating func setFunction(x: Int, y: Int, dark isDark: Bool) {
        dark[y * size + x] = isDark
        isFunction[y * size + x] = true
    }

    /// The 7×7 finder (dark ring, light ring, dark 3×3 core) with its one-module light separator.
    private mutating func drawFinder(centerX: Int, centerY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centerX + dx
                let y = centerY + dy
                guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                let ring = max(abs(dx), abs(dy))
                setFunction(x: x, y: y, dark: ring != 2 && ring != 4)
            }
        }
    }

    /// The 5×5 alignment pattern: dark ring, light ring, dark centre.
    private mutating func drawAlignment(centerX: Int, centerY: Int) {
        for dy in -2...2 {
            for dx in -2...2 {
                setFunction(x: centerX + dx, y: centerY + dy, dark: max(abs(dx), abs(dy)) != 1)
            }
        }
    }

    /// Both copies of the 15 format bits (bit 14 is the most significant), and the dark module beside them.
    private mutating func drawFormatBits(_ bits: Int) {
        func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }
        // Around the top-left finder: bits 0–7 down column 8 (skipping the timing row), bits 8–14 leftwards
        // along row 8 (skipping the timing column).
        for index in 0...5 { setFunction(x: 8, y: index, dark: bit(index)) }
        setFunction(x: 8, y: 7, dark: bit(6))
        setFunction(x: 8, y: 8, dark: bit(7))
        setFunction(x: 7, y: 8, dark: bit(8))
        for index in 9...14 { setFunction(x: 14 - index, y: 8, dark: bit(index)) }
        // Split between the other two finders: bits 0–7 along row 8 from the right edge, bits 8–14 down column 8.
        for index in 0...7 { setFunction(x: size - 1 - index, y: 8, dark: bit(index)) }
        for index in 8...14 { setFunction(x: 8, y: size - 15 + index, dark: bit(index)) }
        setFunction(x: 8, y: size - 8, dark: true)
    }

    /// Both 6×3 copies of the version information, beside the top-right and bottom-left finders.
    private mutating func drawVersionBits() {
        let bits = QRCodeTables.versionBits(version: version)
        for index in 0..<18 {
            let isDark = (bits >> index) & 1 == 1
            let across = size - 11 + index % 3
            let along = index / 3
            setFunction(x: across, y: along, dark: isDark)
            setFunction(x: along, y: across, dark: isDark)
        }
    }
}

// MARK: - Mask choice

/// The four penalty rules of the standard; the mask with the lowest total is used.
enum QRPenalty {
    static func score(_ modules: [Bool], size: Int) -> Int {
        var total = 0
        for line in 0..<size {
            let row = Array(modules[(line * size)..<((line + 1) * size)])
            let column = (0..<size).map { modules[$0 * size + line] }
            total += sameColorRuns(row) + sameColorRuns(column) + finderLookalikes(row) + finderLookalikes(column)
        }
        total += sameColorBlocks(modules, size: size)
        total += darkBalance(modules)
        return total
    }

    /// Rule 1: 3 points for each run of 5 same-colour modules in a line, plus 1 for each module beyond 5.
    static func sameColorRuns(_ line: [Bool]) -> Int {
        var score = 0
        var runLength = 1
        for index in 1..<line.count {
            if line[index] == line[index - 1] {
                runLength += 1
            } else {
                if runLength >= 5 { score += runLength - 2 }
                runLength = 1
            }
        }
        if runLength >= 5 { score += runLength - 2 }
        return score
    }

    /// Rule 2: 3 points for each 2×2 square of one colour (overlapping squares each count).
    static func sameColorBlocks(_ modules: [Bool], size: Int) -> Int {
        var score = 0
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let color = modules[y * size + x]
                if modules[y * size + x + 1] == color, modules[(y + 1) * size + x] == color, modules[(y + 1) * size + x + 1] == color {
                    score += 3
                }
            }
        }
        return score
    }

    private static let finderCore: [Bool] = [true, false, true, true, true, false, true]

    /// Rule 3: 40 points for each dark-light-dark-dark-dark-light-dark (1:1:3:1:1) run with four light modules
    /// on either side, which a reader could take for a finder pattern. Beyond the edge counts as light.
    static func finderLookalikes(_ line: [Bool]) -> Int {
        guard line.count >= finderCore.count else { return 0 }
        func isLight(_ range: Range<Int>) -> Bool {
            range.allSatisfy { !line.indices.contains($0) || !line[$0] }
        }
        var score = 0
        for start in 0...(line.count - finderCore.count) where finderCore.indices.allSatisfy({ line[start + $0] == finderCore[$0] }) {
            if isLight((start - 4)..<start) || isLight((start + 7)..<(start + 11)) { score += 40 }
        }
        return score
    }

    /// Rule 4: 10 points for each full 5% by which the share of dark modules strays from 50%.
    static func darkBalance(_ modules: [Bool]) -> Int {
        let darkCount = modules.reduce(0) { $0 + ($1 ? 1 : 0) }
        return 10 * (abs(darkCount * 20 - modules.count * 10) / modules.count)
    }
}
