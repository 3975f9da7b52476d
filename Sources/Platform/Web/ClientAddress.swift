import Foundation

/// Which hop of `X-Forwarded-For` is the client. A client writes whatever it likes into the header, and
/// a proxy only appends: so the list is read from the right, skipping the proxies the operator trusts,
/// and the first address not among them is the client. Without trusted proxies the header is ignored.
public struct TrustedProxies: Sendable, Equatable {
    let ranges: [AddressRange]

    public init(_ specs: [String]) throws {
        ranges = try specs.map { spec in
            guard let range = AddressRange(spec) else { throw AddressRangeError(spec: spec) }
            return range
        }
    }

    private init(ranges: [AddressRange]) { self.ranges = ranges }

    /// `KEXIE_TRUST_PROXY=true` without a list: a proxy on the same host (nginx on loopback).
    public static let loopback = TrustedProxies(ranges: ["127.0.0.0/8", "::1/128"].compactMap(AddressRange.init))
    public static let none = TrustedProxies(ranges: [])

    public var isEmpty: Bool { ranges.isEmpty }

    public func contains(_ address: String) -> Bool {
        guard let bytes = AddressRange.parse(address) else { return false }
        return ranges.contains { $0.contains(bytes) }
    }

    /// The client among the hops: `forwardedFor` as sent (comma-separated, oldest first), then the peer
    /// that connected to us (nil only for in-process test requests, which stand for a trusted proxy).
    public func client(forwardedFor: String?, peer: String?) -> String {
        if let peer, !contains(peer) { return peer }
        let hops = (forwardedFor ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() where !hop.isEmpty {
            // A hop that is not an address at all was written by the client: stop there, as untrusted.
            guard AddressRange.parse(hop) != nil else { return "invalid" }
            if !contains(hop) { return hop }
        }
        return hops.first(where: { !$0.isEmpty }) ?? peer ?? "unknown"
    }
}

public struct AddressRangeError: Error, CustomStringConvertible {
    public let spec: String
    public var description: String { "not an IP address or CIDR range: \(spec)" }
}

/// An IPv4 or IPv6 network in CIDR form (a bare address is a /32 or /128).
struct AddressRange: Sendable, Equatable {
    let network: [UInt8]
    let prefix: Int

    init?(_ spec: String) {
        let parts = spec.trimmingCharacters(in: .whitespaces).split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let bytes = Self.parse(String(first)) else { return nil }
        let length = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
        guard let length, (0...(bytes.count * 8)).contains(length) else { return nil }
        network = bytes
        prefix = length
    }

    func contains(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == network.count else { return false }
        var remaining = prefix
        for index in 0..<bytes.count where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if bytes[index] & mask != network[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// 4 bytes for IPv4, 16 for IPv6 (an IPv4-mapped IPv6 address counts as IPv4).
    static func parse(_ text: String) -> [UInt8]? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let v4 = parseIPv4(text) { return v4 }
        guard let v6 = parseIPv6(text) else { return nil }
        if v6[0..<10].allSatisfy({ $0 == 0 }) && v6[10] == 0xFF && v6[11] == 0xFF { return Array(v6[12..<16]) }
        return v6
    }

    private static func parseIPv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    private static func parseIPv6(_ text: String) -> [UInt8]? {
        guard text.contains(":"), text.count <= 45 else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var bytes: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains("."), let v4 = parseIPv4(String(piece)) {
                    bytes += v4
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            return bytes
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count < 16 else { return nil }
        return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}
