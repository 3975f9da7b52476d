import Fluent
import Foundation
import KexieKit

/// Notices in the global search: what the searcher may read (visitors: public ones; logged-in users
/// also the internal ones of the organizations above and at their acting one), matched in the title
/// (score 2) or the body (score 1), newest first among equals.
struct NoticeSearchProvider: SearchProvider {
    var kind: String { "notice" }

    func search(_ request: SearchRequest, on db: any Database) async throws -> [SearchHit] {
        guard request.text.count >= 2 else { return [] }
        let q = request.text
        // The request's clock when the caller gives it (pages do), so a scheduled notice stays hidden.
        let now = request.now ?? Date()
        let notices = try await NoticeController.search(NoticeService.readable(actor: request.actor, now: now, on: db), q)
            .sort(\.$publishAt, .descending).sort(\.$id, .descending).limit(request.limit).all()
        return try notices.map { notice in
            let inTitle = notice.title.localizedCaseInsensitiveContains(q)
            return SearchHit(
                kind: kind, kindLabel: "通知公告", title: notice.title, snippet: String(SafeMarkdown.plainText(notice.body).prefix(80)),
                link: PlatformRoutes.notice(try notice.requireID()), score: inTitle ? 2 : 1, isPublic: notice.isPublic)
        }
    }
}
