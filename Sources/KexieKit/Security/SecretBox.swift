import Crypto
import Foundation

/// Encrypts personal data at rest (AES-GCM) and derives keyed lookup hashes, so an exact search by phone
/// or 身份证号 still works while the database file holds no plain value. Both keys are derived from the
/// one platform secret with HKDF so that rotating purposes never reuses key material.
public struct SecretBox: Sendable {
    public enum Failure: Error, Equatable {
        case malformedCiphertext
        case authenticationFailed
    }

    // Kept as bytes: SymmetricKey is not Sendable in this swift-crypto version.
    private let encryptionKeyBytes: Data
    private let lookupKeyBytes: Data
    private var encryptionKey: SymmetricKey { SymmetricKey(data: encryptionKeyBytes) }
    private var lookupKey: SymmetricKey { SymmetricKey(data: lookupKeyBytes) }

    public init(secret: Data) {
        let master = SymmetricKey(data: secret)
        encryptionKeyBytes = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: master, info: Data("kexie.encryption.v1".utf8), outputByteCount: 32
        ).withUnsafeBytes { Data($0) }
        lookupKeyBytes = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: master, info: Data("kexie.lookup.v1".utf8), outputByteCount: 32
        ).withUnsafeBytes { Data($0) }
    }

    /// Base64 of nonce ‖ ciphertext ‖ tag, prefixed with a version so the format can change later.
    public func seal(_ plaintext: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: encryptionKey)
        guard let combined = box.combined else { throw Failure.malformedCiphertext }
        return "v1:" + combined.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> String {
        guard sealed.hasPrefix("v1:"), let data = Data(base64Encoded: String(sealed.dropFirst(3))) else {
            throw Failure.malformedCiphertext
        }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            let plain = try AES.GCM.open(box, using: encryptionKey)
            return String(decoding: plain, as: UTF8.self)
        } catch {
            throw Failure.authenticationFailed
        }
    }

    /// Sealed bytes (files at rest): a version byte, then nonce ‖ ciphertext ‖ tag. The same key as
    /// `seal(_:)`; a fresh nonce each time, so sealing the same file twice gives different bytes.
    public func seal(_ plaintext: Data) throws -> Data {
        let box = try AES.GCM.seal(plaintext, using: encryptionKey)
        guard let combined = box.combined else { throw Failure.malformedCiphertext }
        return Data([Self.dataVersion]) + combined
    }

    public func open(_ sealed: Data) throws -> Data {
        // Version byte, 12-byte nonce, 16-byte tag at the least.
        guard sealed.count >= 29, sealed.first == Self.dataVersion else { throw Failure.malformedCiphertext }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.dropFirst())
            return try AES.GCM.open(box, using: encryptionKey)
        } catch {
            throw Failure.authenticationFailed
        }
    }

    private static let dataVersion: UInt8 = 1

    /// A stable keyed hash (HMAC-SHA256, hex) of a normalized value, for equality lookups.
    public func lookupHash(_ value: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: lookupKey)
        return Data(mac).hexString
    }
}

extension Data {
    public var hexString: String {
        map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

public enum Digest {
    public static func sha256Hex(_ text: String) -> String {
        Data(SHA256.hash(data: Data(text.utf8))).hexString
    }

    public static func sha256Hex(_ data: Data) -> String {
        Data(SHA256.hash(data: data)).hexString
    }

    /// Random URL-safe token of `byteCount` random bytes.
    public static func randomToken(byteCount: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<byteCount).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Compares two strings in time independent of where they first differ.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
