import Foundation
import Vapor

/// The one way an API handler reads a JSON body.
///
/// Every module decoded bodies its own way (four variants: some named the faulty field, some did not,
/// one read any content type, one measured the size), so the same mistake got different answers. Here a
/// body that is too large is a 413, one that is not JSON or does not match is a 422 naming the first
/// faulty field, and an empty body is refused unless the route says what it means (`whenEmpty`).
extension Request {
    public func jsonBody<Body: Decodable>(_ type: Body.Type, limit: Int? = nil, whenEmpty: Body? = nil) throws -> Body {
        let size = body.data?.readableBytes ?? 0
        // A body handed over whole (already buffered) is measured against the route's limit here too.
        if let limit, size > limit { throw PlatformError.payloadTooLarge(limit: limit) }
        if size == 0, let whenEmpty { return whenEmpty }
        do {
            return try content.decode(Body.self, as: .json)
        } catch let error as DecodingError {
            let field = Self.firstNamedKey(error)
            throw PlatformError.invalidInput(
                field: field, message: field.map { "字段 \($0) 缺失或类型不正确" } ?? "请求体不是有效的 JSON 或字段类型不正确")
        } catch {
            throw PlatformError.invalidInput(field: nil, message: "请求体应为 JSON（Content-Type: application/json）")
        }
    }

    /// The first key along the decoding path that names a field (array indexes are skipped).
    static func firstNamedKey(_ error: DecodingError) -> String? {
        let path: [any CodingKey]
        switch error {
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        @unknown default: path = []
        }
        return path.first { $0.intValue == nil }?.stringValue
    }
}
