import Fluent
import Foundation
import KexieKit

/// A year's national schedule added by an administrator when the State Council's notice appears.
final class HolidayYearRecord: Model, @unchecked Sendable {
    static let schema = "platform_holiday_years"

    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    /// The `HolidayYear` as JSON (the format of the bundled cn-holidays.json).
    @Field(key: "data") var data: String
    @Field(key: "added_by") var addedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// A local deviation such as a county's 三月三 holiday, by region code or name.
final class CalendarOverrideRecord: Model, @unchecked Sendable {
    static let schema = "platform_calendar_overrides"

    @ID(key: .id) var id: UUID?
    @Field(key: "region") var region: String
    /// Lists of days: JSON text on SQLite, `TEXT[]` on PostgreSQL (see `ListColumnMigration`).
    @Field(key: "rest_days") var restDays: [Day]
    @Field(key: "workdays") var workdays: [Day]
    @OptionalField(key: "note") var note: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

extension HolidayYearRecord: Audited {
    static var auditLabel: String { "节假日安排" }
    static var auditEntityType: String { "holiday_year" }
}

extension CalendarOverrideRecord: Audited {
    static var auditLabel: String { "调休日" }
    static var auditEntityType: String { "calendar_override" }
}

struct CreateCalendarTables: AsyncMigration {
    var name: String { "2026_11_23_1550_platform_create_calendar" }

    func prepare(on database: any Database) async throws {
        try await database.schema(HolidayYearRecord.schema)
            .id()
            .field("year", .int, .required)
            .field("data", .string, .required)
            .field("added_by", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "year")
            .create()
        try await database.schema(CalendarOverrideRecord.schema)
            .id()
            .field("region", .string, .required)
            .field("rest_days", .string, .required)
            .field("workdays", .string, .required)
            .field("note", .string)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CalendarOverrideRecord.schema).delete()
        try await database.schema(HolidayYearRecord.schema).delete()
    }
}

/// A regional override's rest days and workdays were comma-separated text; they become lists of days.
struct CalendarOverrideDayLists: AsyncMigration {
    var name: String { "2026_12_07_1400_platform_calendar_override_day_lists" }

    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            for column in ["rest_days", "workdays"] {
                try await ListColumnMigration.commaTextToList(
                    table: CalendarOverrideRecord.schema, column: column, element: .text, on: tx)
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { tx in
            for column in ["rest_days", "workdays"] {
                try await ListColumnMigration.listToCommaText(
                    table: CalendarOverrideRecord.schema, column: column, element: .text, nullable: false, on: tx)
            }
        }
    }
}

/// The working-day calendar of this installation: the schedule shipped in KexieKit (2025, 2026), the
/// years administrators add, and regional overrides. Modules ask it for deadlines in working days.
public struct CalendarService: Sendable {
    let db: any Database

    public init(db: any Database) { self.db = db }

    public func schedule() async throws -> HolidaySchedule {
        var schedule = try HolidaySchedule.bundled()
        for record in try await HolidayYearRecord.query(on: db).sort(\.$year).all() {
            if let year = try? JSONDecoder().decode(HolidayYear.self, from: Data(record.data.utf8)) { try schedule.add(year) }
        }
        for record in try await CalendarOverrideRecord.query(on: db).sort(\.$createdAt).all() {
            schedule.add(
                RegionalOverride(region: record.region, restDays: record.restDays, workdays: record.workdays, note: record.note))
        }
        return schedule
    }

    public func calendar() async throws -> WorkingDayCalendar { WorkingDayCalendar(schedule: try await schedule()) }

    /// Years with a schedule and where each came from.
    public func years() async throws -> [(year: HolidayYear, addedBy: String?)] {
        let added = try await HolidayYearRecord.query(on: db).all()
        let byYear = Dictionary(added.map { ($0.year, $0.addedBy) }, uniquingKeysWith: { first, _ in first })
        return try await schedule().years.values.sorted { $0.year < $1.year }.map { ($0, byYear[$0.year]) }
    }

    public func overrides() async throws -> [RegionalOverride] { try await schedule().regionalOverrides }

    /// Adds (or replaces) a year from the form's text: one holiday per line ("国庆节 2027-10-01 2027-10-07"),
    /// adjusted workdays separated by spaces or commas. Problems come back per field.
    public func addYear(year yearText: String, holidays holidayText: String, workdays workdayText: String, actor: Actor) async throws
        -> HolidayYear
    {
        try actor.require(PlatformPermission.calendarManage)
        var errors = FieldErrors()
        let year = Int(yearText.trimmingCharacters(in: .whitespaces))
        if year == nil || !(2000...2100).contains(year ?? 0) { errors.add("year", "请填写四位年份，如 2027") }
        var holidays: [HolidayYear.Holiday] = []
        for (index, line) in holidayText.split(whereSeparator: \.isNewline).enumerated() {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "，" || $0 == "," }).map(String.init)
            guard parts.count == 3, let start = Day(parts[1]), let end = Day(parts[2]) else {
                errors.add("holidays", "第\(index + 1)行应为“节日名称 开始日期 结束日期”，如“国庆节 2027-10-01 2027-10-07”")
                continue
            }
            holidays.append(.init(name: parts[0], start: start, end: end))
        }
        if holidays.isEmpty { errors.add("holidays", "请至少填写一个节假日") }
        var workdays: [Day] = []
        for token in workdayText.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "，" || $0 == "、" || $0.isNewline }) {
            guard let day = Day(String(token)) else {
                errors.add("workdays", "“\(token)”不是日期，请按 2027-09-26 的格式填写")
                continue
            }
            workdays.append(day)
        }
        try errors.throwIfAny(order: ["year", "holidays", "workdays"])
        let schedule = HolidayYear(year: year ?? 0, source: "管理员录入", holidays: holidays, adjustedWorkdays: workdays)
        do {
            try schedule.validate()
        } catch let error as HolidayScheduleError {
            throw PlatformError.invalidInput(field: "holidays", message: error.message)
        }
        let json = String(decoding: try JSONEncoder().encode(schedule), as: UTF8.self)
        let record = try await HolidayYearRecord.query(on: db).filter(\.$year == schedule.year).first() ?? HolidayYearRecord()
        record.year = schedule.year
        record.data = json
        record.addedBy = actor.displayName
        try await record.save(on: db)
        return schedule
    }

    /// Adds a regional override: rest days and/or extra workdays for a region code (460000) or name.
    public func addOverride(region: String, restDays: String, workdays: String, note: String?, actor: Actor) async throws {
        try actor.require(PlatformPermission.calendarManage)
        let region = region.trimmingCharacters(in: .whitespaces)
        var errors = FieldErrors()
        if region.isEmpty { errors.add("region", "请填写地区代码（如 469024）或名称") }
        let rest = Self.parseDays(restDays, field: "restDays", into: &errors)
        let work = Self.parseDays(workdays, field: "overrideWorkdays", into: &errors)
        if rest.isEmpty && work.isEmpty { errors.add("restDays", "请至少填写一个放假日或上班日") }
        try errors.throwIfAny(order: ["region", "restDays", "overrideWorkdays"])
        let record = CalendarOverrideRecord()
        record.region = String(region.prefix(50))
        record.restDays = rest
        record.workdays = work
        record.note = note?.trimmingCharacters(in: .whitespaces).isEmpty == false ? String(note!.prefix(100)) : nil
        try await record.save(on: db)
    }

    static func parseDays(_ text: String, field: String, into errors: inout FieldErrors) -> [Day] {
        var days: [Day] = []
        for token in text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "，" || $0 == "、" || $0.isNewline }) {
            guard let day = Day(String(token)) else {
                errors.add(field, "“\(token)”不是日期，请按 2027-04-09 的格式填写")
                continue
            }
            days.append(day)
        }
        return days
    }
}
