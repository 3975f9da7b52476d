import Foundation
import XCTVapor

extension Browser {
    /// Posts a multipart form (fields, then files as `(field, file name, content)`) with the CSRF token,
    /// as a browser's file upload does.
    @discardableResult
    func multipart(_ path: String, fields: [String: String] = [:], files: [(String, String, Data)]) async throws -> XCTHTTPResponse {
        if csrf == nil { try await get("/login") }
        let boundary = "kexie-test-boundary"
        var body = Data()
        func part(_ headers: String, _ content: Data) {
            body.append(Data("--\(boundary)\r\n\(headers)\r\n\r\n".utf8))
            body.append(content)
            body.append(Data("\r\n".utf8))
        }
        var all = fields
        all["_csrf"] = csrf ?? ""
        for (name, value) in all { part("Content-Disposition: form-data; name=\"\(name)\"", Data(value.utf8)) }
        for (field, name, data) in files {
            part("Content-Disposition: form-data; name=\"\(field)\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream", data)
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var headers: HTTPHeaders = ["Content-Type": "multipart/form-data; boundary=\(boundary)", "X-Forwarded-For": address]
        headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        return try await app.testable().sendRequest(.POST, path, headers: headers, body: ByteBuffer(data: body))
    }
}
