import Foundation

/// One JSON Lines input record: `{"id", "title", "description", "industry", "region"}` plus the
/// optional `field`, `trl` and `keywords`. Unknown fields are ignored; values people type in
/// more than one way (trl as 7 or "TRL7", region as 460100 or "海口市") are accepted.
public struct MatchRecord: Sendable, Hashable, Decodable {
    public var id: RecordID
    public var title: String
    public var description: String
    public var industry: String?
    public var region: String?
    public var field: String?
    public var trl: Int?
    public var keywords: [String]

    public init(
        id: RecordID, title: String, description: String = "", industry: String? = nil, region: String? = nil,
        field: String? = nil, trl: Int? = nil, keywords: [String] = []
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.industry = industry
        self.region = region
        self.field = field
        self.trl = trl
        self.keywords = keywords
    }

    private enum CodingKeys: String, CodingKey {
        case id, title, description, industry, region, field, trl, keywords
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(RecordID.self, forKey: .id)
        title = try container.decodeIfPresent(String.self, forKey: .title) ?? ""
        description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
        industry = Self.text(container, .industry)
        region = Self.text(container, .region)
        field = Self.text(container, .field)
        trl = Self.text(container, .trl).flatMap { Int($0.filter(\.isNumber)) }
        keywords = (try? container.decodeIfPresent([String].self, forKey: .keywords)) ?? []
    }

    /// A string or a number, as text; anything else counts as absent.
    private static func text(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) -> String? {
        if let value = try? container.decodeIfPresent(String.self, forKey: key) { return value }
        if let value = try? container.decodeIfPresent(Int64.self, forKey: key) { return String(value) }
        return nil
    }

    public func profile(kind: ProfileKind, regions: RegionDirectory = .builtIn) -> MatchProfile {
        MatchProfile(
            id: id, kind: kind, title: title, description: description, keywords: keywords,
            industry: industry.flatMap { IndustrySection(parsing: $0) }, field: field, readinessLevel: trl,
            region: region.flatMap { Region(parsing: $0, directory: regions) })
    }
}

/// Reads JSON Lines: one JSON object per line, blank lines skipped.
public enum JSONLines {
    public struct LineError: Error, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "第 \(line) 行无法解析：\(message)" }
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> [T] {
        let decoder = JSONDecoder()
        var records: [T] = []
        var lineNumber = 0
        // Files saved by Windows editors often start with a byte order mark.
        let body = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
        for line in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            guard line.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0D) }) else { continue }
            do {
                records.append(try decoder.decode(T.self, from: Data(line)))
            } catch {
                throw LineError(line: lineNumber, message: String(describing: error))
            }
        }
        return records
    }
}

/// The output of `kexie match`: one entry per demand, in input order, matches best first.
public struct DemandMatches: Sendable, Hashable, Codable {
    public var demand: RecordID
    public var matches: [SupplyMatch]

    public init(demand: RecordID, matches: [SupplyMatch]) {
        self.demand = demand
        self.matches = matches
    }
}

public struct SupplyMatch: Sendable, Hashable, Codable {
    public var supply: RecordID
    public var score: Double
    public var reasons: [String]

    public init(supply: RecordID, score: Double, reasons: [String]) {
        self.supply = supply
        self.score = score
        self.reasons = reasons
    }
}

/// Batch matching of demands against supplies, so the CLI command is a thin wrapper:
/// `print(String(decoding: try await BatchMatching.run(suppliesJSONL:demandsJSONL:top:), as: UTF8.self))`.
public enum BatchMatching {
    public static func run(
        supplies: [MatchRecord], demands: [MatchRecord], top: Int = 10,
        concepts: ConceptDictionary = .builtIn, configuration: MatchConfiguration = .init()
    ) async -> [DemandMatches] {
        let index = await MatchIndex.build(
            candidates: supplies.map { $0.profile(kind: .supply) }, concepts: concepts, configuration: configuration)
        let queries = demands.map { $0.profile(kind: .demand) }
        let ranked = await index.rank(queries, top: top)
        return zip(queries, ranked).map { query, matches in
            DemandMatches(
                demand: query.id,
                matches: matches.map { SupplyMatch(supply: $0.id, score: $0.score, reasons: $0.reasons) })
        }
    }

    /// JSON Lines in, the JSON array out.
    public static func run(suppliesJSONL: Data, demandsJSONL: Data, top: Int = 10) async throws -> Data {
        let supplies = try JSONLines.decode(MatchRecord.self, from: suppliesJSONL)
        let demands = try JSONLines.decode(MatchRecord.self, from: demandsJSONL)
        return try encode(await run(supplies: supplies, demands: demands, top: top))
    }

    /// Stable key order and unescaped Chinese, so output diffs and reads well.
    public static func encode(_ results: [DemandMatches], pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(results)
    }
}
