import Fluent
import Foundation
import KexieKit
import Vapor

struct CalendarPage: Sendable {
    struct YearRow: Encodable, Sendable {
        let year: Int
        let source: String
        let holidays: String
        let workdays: String
    }

    struct OverrideRow: Encodable, Sendable {
        let region: String
        let restDays: String
        let workdays: String
        let note: String
    }

    let shell: PageShell
    let years: [YearRow]
    let overrides: [OverrideRow]
    let yearAction: String
    let overrideAction: String
    let values: [String: String]
    let errors: [String: String]
}

struct WorkingDaysDTO: Content {
    let date: String
    /// True when the deadline runs into a year without a published schedule (weekends only).
    let provisional: Bool
}

/// 节假日与调休: the years the calendar knows, a form for next year's schedule and for regional
/// deviations; and the public API that adds working days.
struct CalendarController {
    func register(web: any RoutesBuilder, publicAPI: any RoutesBuilder) {
        web.get(PlatformRoutes.calendar, use: show)
        web.post(PlatformRoutes.calendarYears, use: addYear)
        web.post(PlatformRoutes.calendarOverrides, use: addOverride)
        publicAPI.get(PlatformRoutes.apiAddWorkingDays, use: addWorkingDays)
    }

    func show(_ req: Request) async throws -> Response {
        try await page(req, values: [:], errors: [:])
    }

    private func page(_ req: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok) async throws
        -> Response
    {
        let actor = try req.actor
        try actor.require(PlatformPermission.calendarManage)
        let service = CalendarService(db: req.db)
        return try await CalendarPage(
            shell: await PageShell.build(for: req, title: "节假日与调休"),
            years: try await service.years().map { entry in
                .init(
                    year: entry.year.year, source: entry.addedBy.map { "管理员录入（\($0)）" } ?? (entry.year.source ?? "内置"),
                    holidays: entry.year.holidays.map { "\($0.name) \($0.start)—\($0.end)" }.joined(separator: "；"),
                    workdays: entry.year.adjustedWorkdays.map(\.description).joined(separator: "、"))
            },
            overrides: try await service.overrides().map {
                .init(
                    region: $0.region, restDays: $0.restDays.map(\.description).joined(separator: "、"),
                    workdays: $0.workdays.map(\.description).joined(separator: "、"), note: $0.note ?? "")
            },
            yearAction: PlatformRoutes.calendarYears(), overrideAction: PlatformRoutes.calendarOverrides(), values: values, errors: errors
        ).render(req, status: status)
    }

    private func form(_ req: Request, _ keys: [String]) -> [String: String] {
        var values: [String: String] = [:]
        for key in keys { values[key] = (try? req.content.get(String.self, at: key)) ?? "" }
        return values
    }

    func addYear(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let values = form(req, ["year", "holidays", "workdays"])
        do {
            _ = try await CalendarService(db: req.db).addYear(
                year: values["year"] ?? "", holidays: values["holidays"] ?? "", workdays: values["workdays"] ?? "", actor: actor)
        } catch PlatformError.invalidInput(let field, let message) {
            return try await page(req, values: values, errors: [field ?? "holidays": message], status: .unprocessableEntity)
        }
        return req.redirect(to: PlatformRoutes.calendar(query: ["notice": "saved"]))
    }

    func addOverride(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let values = form(req, ["region", "restDays", "overrideWorkdays", "note"])
        do {
            try await CalendarService(db: req.db).addOverride(
                region: values["region"] ?? "", restDays: values["restDays"] ?? "", workdays: values["overrideWorkdays"] ?? "",
                note: values["note"], actor: actor)
        } catch PlatformError.invalidInput(let field, let message) {
            return try await page(req, values: values, errors: [field ?? "region": message], status: .unprocessableEntity)
        }
        return req.redirect(to: PlatformRoutes.calendar(query: ["notice": "saved"]))
    }

    /// `GET /api/v1/calendar/add-working-days?from=YYYY-MM-DD&days=N[&region=CODE]`: the N-th working day
    /// after `from` (counting starts the day after, 民法典 第二百零一条).
    func addWorkingDays(_ req: Request) async throws -> WorkingDaysDTO {
        guard let fromText = req.query[String.self, at: "from"], let from = Day(fromText) else {
            throw PlatformError.invalidInput(field: "from", message: "from 应为 YYYY-MM-DD 格式的日期")
        }
        guard let daysText = req.query[String.self, at: "days"], let days = Int(daysText), (0...366).contains(days) else {
            throw PlatformError.invalidInput(field: "days", message: "days 应为 0 到 366 之间的整数")
        }
        let result = try await CalendarService(db: req.db).calendar().addWorkingDays(
            from: from, days: days, region: req.query[String.self, at: "region"])
        return WorkingDaysDTO(date: result.date.description, provisional: result.provisional)
    }
}
