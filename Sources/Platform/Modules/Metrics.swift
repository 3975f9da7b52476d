import Fluent
import Foundation
import KexieKit

/// A named figure per organization subtree and period, computed by the module that owns the data.
/// Plans binds targets to these; the dashboard and `GET /api/v1/metrics` show them.
///
/// A metric that counts records also says which records: `records` lists exactly what `compute`
/// counts (same subtree, same period), so the figure a cockpit shows equals the list it opens. Both
/// come from one query (`counting`), and MetricListTests checks every registered metric against
/// its list on the demo province.
public struct MetricDefinition: Sendable {
    public struct Query: Sendable {
        public let organization: Organization
        public let period: ReportingPeriod

        public init(organization: Organization, period: ReportingPeriod) {
            self.organization = organization
            self.period = period
        }

        public init(organization: Organization, year: Int) {
            self.init(organization: organization, period: .year(year))
        }

        public var year: Int { period.year }
        public var firstDay: Day { period.firstDay }
        public var lastDay: Day { period.lastDay }
    }

    /// How a figure relates to the period asked for.
    public enum Span: String, Sendable, Codable {
        /// Counts what happened within the period (received, published, joined).
        case flow
        /// Counts what exists now (organizations, registered people); the period does not change it.
        case stock
        /// Only whole years are known (an organization's founding year); quarters and months are not answered.
        case yearly
    }

    public let id: String
    public let label: String
    public let unit: String
    public let span: Span
    public let compute: @Sendable (Query, any Database) async throws -> Double
    /// The records the figure counts; nil for averages and amounts.
    public let records: MetricRecords?
    /// Figures a module computes together in one query (the cockpit asks each batch once instead of
    /// each figure); set with `batched(_:)`. `MetricListTests` compares every batched value with its list.
    public private(set) var batch: MetricBatch?

    /// A figure that is not a count (an average, an amount): it has no list.
    public init(
        id: String, label: String, unit: String, span: Span = .flow,
        compute: @escaping @Sendable (Query, any Database) async throws -> Double
    ) {
        self.init(id: id, label: label, unit: unit, span: span, compute: compute, records: nil)
    }

    private init(
        id: String, label: String, unit: String, span: Span, compute: @escaping @Sendable (Query, any Database) async throws -> Double,
        records: MetricRecords?
    ) {
        self.id = id
        self.label = label
        self.unit = unit
        self.span = span
        self.compute = compute
        self.records = records
    }

    /// The same figure, computed with its siblings by `batch` when the cockpit asks for many at once.
    public func batched(_ batch: MetricBatch) -> MetricDefinition {
        var copy = self
        copy.batch = batch
        return copy
    }

    /// Whether the figure can be given for `period` (yearly figures only for whole years).
    public func answers(_ period: ReportingPeriod) -> Bool {
        if span == .yearly, case .year = period { return true }
        return span != .yearly
    }

    /// A figure that counts the rows of `query`: the value is their number and the list is those rows. `query` must scope to the subtree and the period itself (see `inSubtree`, `within`).
    /// `permission` guards the list (it names people and records); the figure itself needs only
    /// `platform.metrics.read`.
    ///
    /// `order` sorts the list (default: by id). A large table's list should sort by an indexed column
    /// (cases: newest received first, on an index of `received_on, id`), so a page of 50 does not sort
    /// every row the figure counts.
    public static func counting<M: Model>(
        id: String, label: String, unit: String, span: Span = .flow, permission: Permission,
        query: @escaping @Sendable (Query, any Database) -> QueryBuilder<M>,
        order: (@Sendable (QueryBuilder<M>) -> QueryBuilder<M>)? = nil,
        record: @escaping @Sendable (M) throws -> MetricRecord
    ) -> MetricDefinition {
        let sorted: @Sendable (QueryBuilder<M>) -> QueryBuilder<M> =
            order ?? { $0.sort(DatabaseQuery.Field.path([.id], schema: M.schemaOrAlias), .ascending) }
        let records = MetricRecords(
            permission: permission,
            count: { q, db in try await query(q, db).count() },
            page: { q, db, offset, limit in
                try await sorted(query(q, db)).range(offset..<(offset + limit)).all().map(record)
            })
        return MetricDefinition(
            id: id, label: label, unit: unit, span: span, compute: { q, db in Double(try await records.count(q, db)) }, records: records)
    }
}

/// Several figures of one module computed by one query: metric id → value for a subtree and period.
/// A figure missing from the answer is 0.
public struct MetricBatch: Sendable {
    public let id: String
    public let compute: @Sendable (MetricDefinition.Query, any Database) async throws -> [String: Double]

    public init(id: String, compute: @escaping @Sendable (MetricDefinition.Query, any Database) async throws -> [String: Double]) {
        self.id = id
        self.compute = compute
    }
}

/// The records behind a counting figure.
public struct MetricRecords: Sendable {
    /// Who may read the records the figure counts.
    public let permission: Permission
    public let count: @Sendable (MetricDefinition.Query, any Database) async throws -> Int
    public let page: @Sendable (MetricDefinition.Query, any Database, _ offset: Int, _ limit: Int) async throws -> [MetricRecord]
}

/// One record a figure counts, as the drill-down list shows it.
public struct MetricRecord: Sendable, Codable, Equatable {
    public let id: UUID
    public let title: String
    /// The day the record counts by (received on, joined on), when the figure is a flow.
    public let day: String?
    public let organization: String
    /// The record's own page, when the module has one.
    public let link: String?

    public init(id: UUID, title: String, day: String?, organization: String, link: String?) {
        self.id = id
        self.title = title
        self.day = day
        self.organization = organization
        self.link = link
    }
}

extension QueryBuilder {
    /// Rows owned by organizations in `organization`'s subtree (joins the organization, so a record
    /// mapper can read `joined(Organization.self)`).
    public func inSubtree(of organization: Organization, via key: KeyPath<Model, FieldProperty<Model, UUID>>) -> Self {
        join(Organization.self, on: key == \Organization.$id).filter(Organization.self, \.$path =~ organization.path)
    }

    /// Rows whose `key` day falls within the period (both ends included).
    public func within(_ period: ReportingPeriod, _ key: KeyPath<Model, FieldProperty<Model, Day>>) -> Self {
        filter(key >= period.firstDay).filter(key <= period.lastDay)
    }

    /// Rows whose optional `key` day is set and falls within the period.
    public func within(_ period: ReportingPeriod, _ key: KeyPath<Model, OptionalFieldProperty<Model, Day>>) -> Self {
        filter(key >= period.firstDay).filter(key <= period.lastDay)
    }
}
