import Foundation
import Vapor

/// A page written with `HTML`: the page model is the struct, `content` writes what goes inside the
/// layout's `<main>`. Rendering is synchronous and needs no template lookup.
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
        if RendererComparison.measureRepeats > 0 { try await RendererComparison.measure(self, on: request) }
        if RendererComparison.servesLeaf, let legacy = self as? any LegacyTemplate {
            return try await renderLeafPage(legacy, template: type(of: legacy).template, request, status: status)
        }
        let html = document()
        try await RendererComparison.check(self, html: html, on: request)
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(buffer: ByteBuffer(bytes: html.bytes)))
    }
}

/// While pages move from Leaf to `HTML` (issue 14), tests switch this on: every page rendered by the
/// writer is rendered by its old Leaf template too, and a difference beyond whitespace fails the request.
/// Every route test and the crawler thereby prove the converted pages unchanged.
public enum RendererComparison {
    public struct Key: StorageKey {
        public typealias Value = Bool
    }

    public struct Mismatch: Error, CustomStringConvertible {
        public let template: String
        public let leaf: String
        public let writer: String
        public var description: String {
            let l = Array(leaf), w = Array(writer)
            var i = 0
            while i < min(l.count, w.count), l[i] == w[i] { i += 1 }
            let from = max(0, i - 120)
            return
                "\(template): renderers differ at \(i)\n leaf:   \(String(l[from..<min(l.count, i + 120)]))\n writer: \(String(w[from..<min(w.count, i + 120)]))"
        }
    }

    /// `KEXIE_RENDERER=leaf` serves converted pages with their Leaf templates (for wrk, bench/render).
    static let servesLeaf = Environment.get("KEXIE_RENDERER") == "leaf"
    /// `KEXIE_RENDER_REPEAT=N` renders each page N more times with each renderer and logs renders/s.
    static let measureRepeats = min(Environment.get("KEXIE_RENDER_REPEAT").flatMap(Int.init) ?? 0, 100_000)

    static func measure(_ page: some HTMLPage, on request: Request) async throws {
        guard let legacy = page as? any LegacyTemplate else { return }
        let n = measureRepeats
        let clock = ContinuousClock()
        var bytes = 0
        let writer = clock.measure {
            for _ in 0..<n { bytes &+= page.document().bytes.count }
        }
        let leaf = try await clock.measure {
            for _ in 0..<n { bytes &+= try await request.view.render(type(of: legacy).template, legacy).data.readableBytes }
        }
        func perSecond(_ d: Duration) -> Int {
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            return Int(Double(n) / seconds)
        }
        request.logger.notice(
            "render-bench \(type(of: legacy).template) \(request.url.path): writer \(perSecond(writer)) renders/s, leaf \(perSecond(leaf)) renders/s (\(bytes / (2 * n)) bytes)"
        )
    }

    static func check(_ page: some HTMLPage, html: HTML, on request: Request) async throws {
        guard request.application.storage[Key.self] == true,
            let legacy = page as? any LegacyTemplate
        else { return }
        let view = try await request.view.render(type(of: legacy).template, legacy)
        let leaf = normalize(String(buffer: view.data))
        let writer = normalize(html.string)
        if leaf != writer {
            let mismatch = Mismatch(template: type(of: legacy).template, leaf: leaf, writer: writer)
            request.logger.error("\(mismatch)")
            throw Abort(.internalServerError, reason: mismatch.description)
        }
    }

    /// Whitespace between tags and runs of whitespace carry no meaning in these pages.
    public static func normalize(_ html: String) -> String {
        var s = html.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
        s = s.replacingOccurrences(of: #">\s+<"#, with: "><", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\s+>"#, with: ">", options: .regularExpression)
        s = s.replacingOccurrences(of: #">\s+"#, with: ">", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\s+<"#, with: "<", options: .regularExpression)
        return s.trimmingCharacters(in: .whitespaces)
    }
}

/// A converted page that still has its Leaf template, for `RendererComparison`.
public protocol LegacyTemplate: Encodable, Sendable {
    static var template: String { get }
}
