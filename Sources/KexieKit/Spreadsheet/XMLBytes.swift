/// Append-only UTF-8 buffer for building large XML parts quickly.
///
/// Going through `String` concatenation for 100k-row sheets costs several times
/// more than appending bytes, so the writer builds parts here.
struct XMLBytes {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func decimal(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            decimal(-value)
            return
        }
        if value >= 10 { decimal(value / 10) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// Appends text escaped for element content and attribute values.
    /// Characters XML 1.0 forbids (most C0 controls) are dropped because no
    /// spreadsheet program accepts them and they carry no visible meaning.
    mutating func escaped(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): raw("&amp;")
            case UInt8(ascii: "<"): raw("&lt;")
            case UInt8(ascii: ">"): raw("&gt;")
            case UInt8(ascii: "\""): raw("&quot;")
            case 0x09, 0x0A, 0x0D: bytes.append(byte)
            case 0x00..<0x20: continue
            default: bytes.append(byte)
            }
        }
    }
}

enum ColumnName {
    /// 0 → "A", 25 → "Z", 26 → "AA".
    static func letters(_ index: Int) -> String {
        var index = index
        var scalars: [Character] = []
        repeat {
            scalars.append(Character(Unicode.Scalar(UInt8(ascii: "A") + UInt8(index % 26))))
            index = index / 26 - 1
        } while index >= 0
        return String(scalars.reversed())
    }

    /// "C7" → 2 (zero-based column), ignoring the row digits and any `$`.
    static func index(fromReference reference: Substring.UTF8View) -> Int? {
        var value = 0
        var sawLetter = false
        for byte in reference {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                value = value * 26 + Int(byte - UInt8(ascii: "A")) + 1
                sawLetter = true
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                value = value * 26 + Int(byte - UInt8(ascii: "a")) + 1
                sawLetter = true
            case UInt8(ascii: "$"):
                continue
            default:
                return sawLetter ? value - 1 : nil
            }
        }
        return sawLetter ? value - 1 : nil
    }
}
