import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238), built on HOTP (RFC 4226), as used by authenticator apps
/// (Google Authenticator, Microsoft Authenticator, FreeOTP, 1Password ...).
///
/// Replay protection is the caller's job, because only the caller has storage: `match(_:at:window:)` returns
/// the time-step counter that the code belongs to; store it after a successful login and accept a later code
/// only if its counter is strictly greater than the stored one (`verify(_:at:window:lastUsedCounter:)` does
/// exactly that). Without this, a code seen over someone's shoulder stays valid for the whole window.
public struct TOTP: Sendable, Equatable {
    /// The HMAC hash. Authenticator apps agree on SHA1; the others exist in the RFC and in some apps.
    public enum Algorithm: String, Sendable, CaseIterable {
        case sha1 = "SHA1"
        case sha256 = "SHA256"
        case sha512 = "SHA512"
    }

    /// The shared secret. RFC 4226 asks for at least 128 bits; `generateSecret()` gives 160.
    public let secret: [UInt8]
    public let algorithm: Algorithm
    /// Length of a code, 6 to 8. Most apps only show 6.
    public let digits: Int
    /// Length of a time step in seconds (RFC 6238 calls it X).
    public let period: Int

    public init(secret: [UInt8], algorithm: Algorithm = .sha1, digits: Int = 6, period: Int = 30) {
        // Programming errors, not user input: these come from constants in the caller.
        precondition((6...8).contains(digits), "TOTP codes have 6 to 8 digits")
        precondition(period > 0, "the TOTP time step must be positive")
        self.secret = secret
        self.algorithm = algorithm
        self.digits = digits
        self.period = period
    }

    /// Builds from a Base32 secret as stored or as typed from an authenticator app; nil if it is not Base32.
    public init?(base32Secret: String, algorithm: Algorithm = .sha1, digits: Int = 6, period: Int = 30) {
        guard let bytes = Base32.decode(base32Secret), !bytes.isEmpty else { return nil }
        self.init(secret: bytes, algorithm: algorithm, digits: digits, period: period)
    }

    /// 20 random bytes: 160 bits, the length RFC 4226 recommends (and the size of a SHA1 output).
    public static func generateSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<20).map { _ in UInt8.random(in: 0...UInt8.max, using: &generator) }
    }

    /// The secret as authenticator apps expect it to be typed: Base32, uppercase, no padding.
    public var base32Secret: String { Base32.encode(secret) }

    /// The RFC 6238 time step T = floor(unixTime / period). Times before 1970 map to step 0.
    public func counter(at date: Date) -> UInt64 {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds > 0 else { return 0 }
        // A nonsense date far past UInt64 seconds must not trap the server; it just matches nothing real.
        guard let whole = UInt64(exactly: seconds) else { return UInt64.max / UInt64(period) }
        return whole / UInt64(period)
    }

    public func code(at date: Date) -> String {
        code(counter: counter(at: date))
    }

    /// The RFC 4226 HOTP value for `counter`, zero-padded to `digits`.
    public func code(counter: UInt64) -> String {
        let hash = hmac(counter: counter)
        // Dynamic truncation (RFC 4226 §5.3): the low nibble of the last byte picks where 31 bits are read.
        let offset = Int(hash[hash.count - 1] & 0x0f)
        let binary =
            (UInt32(hash[offset] & 0x7f) << 24)
            | (UInt32(hash[offset + 1]) << 16)
            | (UInt32(hash[offset + 2]) << 8)
            | UInt32(hash[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let text = String(binary % modulus)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The time-step counter whose code equals `code`, looking `window` steps either side of `date` to allow for
    /// clock drift and typing time; nil if none matches or the input is not `digits` digits. `window` is clamped
    /// to 0...10 so that a bad argument cannot make one login attempt cost millions of HMACs.
    ///
    /// Spaces are ignored, since apps show codes as "123 456", and full-width digits (typed with a Chinese input
    /// method) count as digits. A code is to be accepted only if the returned counter is greater than the last
    /// counter accepted for this secret; otherwise it is a replay.
    /// Every candidate is computed and compared in constant time, so timing does not reveal which step is close.
    public func match(_ code: String, at date: Date, window: Int = 1) -> UInt64? {
        candidates(code, at: date, window: window).first
    }

    /// `match(_:at:window:)` with the replay rule applied: only counters after `lastUsedCounter` count.
    /// Store the returned counter as the new `lastUsedCounter`.
    public func verify(_ code: String, at date: Date, window: Int = 1, lastUsedCounter: UInt64?) -> UInt64? {
        candidates(code, at: date, window: window).first { counter in
            guard let lastUsedCounter else { return true }
            return counter > lastUsedCounter
        }
    }

    /// The `otpauth://` URI that authenticator apps read from a QR code (Google's Key URI Format).
    /// The label is "Issuer:account"; both parts and the issuer parameter are percent-encoded as UTF-8,
    /// which is what apps expect for names such as "智慧科协".
    public func provisioningURI(issuer: String, account: String) -> String {
        let account = Self.percentEncode(account)
        let label = issuer.isEmpty ? account : Self.percentEncode(issuer) + ":" + account
        var query = ["secret=" + base32Secret]
        if !issuer.isEmpty { query.append("issuer=" + Self.percentEncode(issuer)) }
        query += ["algorithm=" + algorithm.rawValue, "digits=\(digits)", "period=\(period)"]
        return "otpauth://totp/" + label + "?" + query.joined(separator: "&")
    }

    // MARK: - Internals

    /// Matching counters, the one nearest `date` first (then earlier before later), so drift is kept smallest.
    private func candidates(_ code: String, at date: Date, window: Int) -> [UInt64] {
        let typed = Self.normalizedDigits(code)
        guard typed.count == digits, typed.allSatisfy({ $0.isASCII && $0.isNumber }) else { return [] }
        let now = counter(at: date)
        let reach = UInt64(min(max(0, window), 10))
        let lower = now >= reach ? now - reach : 0
        let upper = now > UInt64.max - reach ? UInt64.max : now + reach
        var found: [(distance: UInt64, counter: UInt64)] = []
        for step in lower...upper {
            // No early exit: every candidate costs the same whether it matches or not.
            if Digest.constantTimeEquals(self.code(counter: step), typed) {
                found.append((step > now ? step - now : now - step, step))
            }
        }
        return found.sorted { ($0.distance, $0.counter) < ($1.distance, $1.counter) }.map(\.counter)
    }

    /// Drops whitespace (including the ideographic space) and folds full-width digits '０'...'９' to ASCII.
    private static func normalizedDigits(_ code: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in code.unicodeScalars where !scalar.properties.isWhitespace {
            if (0xFF10...0xFF19).contains(scalar.value), let ascii = Unicode.Scalar(scalar.value - 0xFF10 + 0x30) {
                scalars.append(ascii)
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    private func hmac(counter: UInt64) -> [UInt8] {
        let message = withUnsafeBytes(of: counter.bigEndian) { Array($0) }
        let key = SymmetricKey(data: secret)
        switch algorithm {
        case .sha1: return Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
        case .sha256: return Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        case .sha512: return Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
        }
    }

    /// RFC 3986 percent-encoding of everything but the unreserved characters. Done by hand because
    /// Foundation's character sets leave ':' '@' '&' '=' alone in some components, which would break the label.
    static func percentEncode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Base32 (RFC 4648 §6), the form in which TOTP secrets are shown and typed.
public enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Uppercase and without '=' padding, as authenticator apps expect.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 8 + 4) / 5)
        // Bits above `bitCount` are stale and fall off the top on later shifts; only the low bits are read.
        var buffer: UInt32 = 0
        var bitCount = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bitCount += 8
            while bitCount >= 5 {
                bitCount -= 5
                out.append(alphabet[Int((buffer >> UInt32(bitCount)) & 0x1f)])
            }
        }
        if bitCount > 0 {
            out.append(alphabet[Int((buffer << UInt32(5 - bitCount)) & 0x1f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Accepts what people type or paste: any case, spaces, dashes, and trailing '=' padding.
    /// Returns nil for any other character or for a length that no byte string encodes to.
    public static func decode(_ text: String) -> [UInt8]? {
        var symbols = Array(text.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "-") })
        while symbols.last == UInt8(ascii: "=") { symbols.removeLast() }
        // 1, 3 or 6 leftover symbols cannot come from whole bytes (RFC 4648 §6 lists the possible tails).
        guard ![1, 3, 6].contains(symbols.count % 8) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(symbols.count * 5 / 8)
        var buffer: UInt32 = 0
        var bitCount = 0
        for symbol in symbols {
            guard let value = value(of: symbol) else { return nil }
            buffer = (buffer << 5) | UInt32(value)
            bitCount += 5
            if bitCount >= 8 {
                bitCount -= 8
                out.append(UInt8((buffer >> UInt32(bitCount)) & 0xff))
            }
        }
        return out
    }

    private static func value(of symbol: UInt8) -> UInt8? {
        switch symbol {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return symbol - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return symbol - UInt8(ascii: "a")
        case UInt8(ascii: "2")...UInt8(ascii: "7"): return symbol - UInt8(ascii: "2") + 26
        default: return nil
        }
    }
}
