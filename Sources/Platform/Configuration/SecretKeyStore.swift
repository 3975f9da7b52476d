import Foundation
import KexieKit

/// Finds the platform secret: KEXIE_SECRET_KEY if given, else `secret.key` in the data folder, created
/// on first start with mode 0600 so only the service account can read it.
public enum SecretKeyStore {
    public static func loadOrCreate(configuration: KexieConfiguration) throws -> Data {
        if let key = configuration.secretKey { return key }
        let fm = FileManager.default
        try fm.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        let path = configuration.dataDirectory + "/secret.key"
        if let existing = fm.contents(atPath: path) {
            let text = String(decoding: existing, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let data = Data(base64Encoded: text), data.count >= 32 else {
                throw KexieConfiguration.Invalid(variable: path, reason: "is not base64 of at least 32 bytes")
            }
            return data
        }
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        guard
            fm.createFile(
                atPath: path, contents: Data((bytes.base64EncodedString() + "\n").utf8),
                attributes: [.posixPermissions: 0o600])
        else {
            throw KexieConfiguration.Invalid(variable: path, reason: "could not be written")
        }
        return bytes
    }
}
