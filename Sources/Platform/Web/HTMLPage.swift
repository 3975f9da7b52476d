import Foundation
import Vapor

/// A page written with `HTML`: the page model is the struct, `content` writes what goes inside the
/// layout's `<main>`. Rendering is synchronous, needs no template lookup, and writes one buffer that
/// becomes the response body.
public protocol HTMLPage: Sendable {
    var shell: PageShell { get }
    func content(_ h: inout HTML)
}

extension HTMLPage {
    /// The whole document: the layout around `content`.
    public func document() -> HTML {
        var h = HTML()
        shell.write(&h) { h in content(&h) }
        return h
    }

    public func render(_ request: Request, status: HTTPResponseStatus = .ok) async throws -> Response {
        let html = document()
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(buffer: ByteBuffer(bytes: html.bytes)))
    }
}
