import Fluent
import Foundation
import Vapor

/// The query string of a list page: search text, filters, sort and page. Links for sorting and paging
/// keep every other parameter so a person never loses their filter by clicking a column.
public struct ListParameters: Sendable {
    public let path: String
    public let values: [String: String]
    public let page: Int
    public let pageSize: Int

    /// Throws a 422 naming `page` when it is not a whole number within `InputBounds.page`.
    ///
    /// The query string is split once here: asking Vapor's decoder for each key decoded the whole query
    /// again per key, a tenth of a list page's time.
    public init(request: Request, path: String, pageSize: Int = 20, keys: [String]) throws {
        let sent = Self.parse(request.url.query ?? "")
        var values: [String: String] = [:]
        for key in keys + ["q", "sort", "dir"] {
            if let value = sent[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
                values[key] = String(value.prefix(100))
            }
        }
        self.path = path
        self.values = values
        if let raw = sent["page"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            self.page = try BoundedNumber.integer(raw, field: "page", in: InputBounds.page)
        } else {
            self.page = 1
        }
        self.pageSize = pageSize
    }

    /// `a=1&b=x+y&c=%E4%B8%AD` → ["a": "1", "b": "x y", "c": "中"]; the first value of a repeated key
    /// wins, as Vapor's decoder answers for a single value.
    static func parse(_ query: String) -> [String: String] {
        var values: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let key = decode(parts[0])
            if values[key] == nil { values[key] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return values
    }

    public subscript(key: String) -> String? { values[key] }

    public var search: String? { values["q"] }
    public var descending: Bool { values["dir"] == "desc" }
    public var offset: Int { (page - 1) * pageSize }

    public func link(_ changes: [String: String?]) -> String {
        var merged = values
        for (key, value) in changes { merged[key] = value }
        let query = merged.sorted { $0.key < $1.key }.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "")"
        }.joined(separator: "&")
        return query.isEmpty ? path : path + "?" + query
    }

    /// Header link for a sortable column: toggles direction when it is already the sort column.
    public func sortLink(_ column: String, label: String) -> SortHeader {
        let active = values["sort"] == column
        let nextDir = active && !descending ? "desc" : "asc"
        return SortHeader(
            label: label, link: link(["sort": column, "dir": nextDir, "page": nil]),
            indicator: active ? (descending ? "↓" : "↑") : "", ariaSort: active ? (descending ? "descending" : "ascending") : "none")
    }

    public func exportLink(_ format: String) -> String { link(["format": format, "page": nil]) }

    /// Lists of possibly very many rows count up to here and say "more than" past it: the number is
    /// all a person needs to narrow the filter, and counting 100,000 rows on every view is slow.
    public static let countCap = 10_000

    /// `total` may be `countCap + 1`, meaning more than the cap.
    public func pager(total: Int) -> Pager {
        let pages = max(1, (total + pageSize - 1) / pageSize)
        return Pager(
            total: total, totalLabel: total > Self.countCap ? "超过 \(Self.countCap) 条，请用筛选条件缩小范围" : "共 \(total) 条",
            page: min(page, pages), pages: pages,
            previous: page > 1 ? link(["page": String(page - 1)]) : nil,
            next: page < pages ? link(["page": String(page + 1)]) : nil)
    }
}

/// What every list page shows around its rows: the search box value, sortable headers, the pager,
/// the export links and the "new" button. One value so each list page context carries it the same way.
public struct ListChrome: Encodable, Sendable {
    public let path: String
    public let q: String
    public let headers: [SortHeader]
    public let pager: Pager
    public let csvLink: String
    public let xlsxLink: String
    public let newLink: String?
}

extension ListParameters {
    public func chrome(total: Int, headers: [SortHeader] = [], newLink: String? = nil) -> ListChrome {
        ListChrome(
            path: path, q: search ?? "", headers: headers, pager: pager(total: total), csvLink: exportLink("csv"),
            xlsxLink: exportLink("xlsx"), newLink: newLink)
    }
}

public struct SortHeader: Encodable, Sendable {
    public let label: String
    public let link: String
    public let indicator: String
    public let ariaSort: String
}

public struct Pager: Encodable, Sendable {
    public let total: Int
    public let totalLabel: String
    public let page: Int
    public let pages: Int
    public let previous: String?
    public let next: String?
}

public struct SelectOption: Encodable, Sendable {
    public let value: String
    public let label: String
    public let selected: Bool

    public init(value: String, label: String, selected: Bool) {
        self.value = value
        self.label = label
        self.selected = selected
    }
}

extension CharacterSet {
    static let urlQueryValueAllowed: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~")
        return set
    }()
}

extension Actor {
    /// The active organizations of the actor's subtree as an indented select list, the acting
    /// organization (or `selected`) chosen. `anyLabel` adds a first "all" choice for filters.
    public func organizationOptions(selected: UUID?, anyLabel: String? = nil, on db: any Database) async throws -> [SelectOption] {
        let orgs = try await scope.organizations(on: db).filter(\.$isActive == true).sort(\.$depth).sort(\.$name).limit(2000).all()
        let base = orgs.first?.depth ?? 0
        let chosen = anyLabel == nil ? (selected ?? actingOrganizationID) : selected
        let options = orgs.map { org in
            SelectOption(
                value: org.id?.uuidString ?? "", label: String(repeating: "　", count: max(0, org.depth - base)) + org.name,
                selected: org.id == chosen)
        }
        guard let anyLabel else { return options }
        return [SelectOption(value: "", label: anyLabel, selected: selected == nil)] + options
    }
}
