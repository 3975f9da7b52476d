import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// `POST /api/v1/plans/parse`, `GET/POST /api/v1/plans`, `GET /api/v1/plans/{id}/tasks`,
/// `POST /api/v1/tasks/{id}/progress`.
struct PlansAPIController {
    func register(_ api: any RoutesBuilder) {
        api.upload(.POST, PlansRoutes.apiParse, maxBytes: 24 << 20, use: parse)
        api.get(PlansRoutes.apiPlans, use: list)
        api.upload(.POST, PlansRoutes.apiPlans, maxBytes: 24 << 20, use: create)
        api.get(PlansRoutes.apiPlanTasks, use: tasks)
        api.post(PlansRoutes.apiTaskProgress, use: progress)
    }

    struct FileForm: Content {
        var file: File?
        var cadence: String?
    }

    private func upload(_ req: Request) throws -> (PlanImportService.Upload, String?) {
        guard let form = try? req.content.decode(FileForm.self), let file = form.file else {
            throw PlatformError.invalidInput(field: "file", message: "请以 multipart/form-data 上传字段 file（.docx 或 .txt）")
        }
        return (PlanImportService.Upload(fileName: file.filename, data: Data(buffer: file.data)), form.cadence)
    }

    /// Parses without storing anything; answers with the `kexie plan parse --format json` document.
    func parse(_ req: Request) async throws -> Response {
        try req.actor.require(PlansPermission.manage)
        let (file, _) = try upload(req)
        let plan = try PlanImportService.parse(file)
        let response = Response(status: .ok, body: .init(data: plan.jsonData()))
        response.headers.contentType = .json
        return response
    }

    struct PlanDTO: Content {
        let id: UUID
        let title: String
        let year: Int
        let status: String
        let cadence: String
        let organizationId: UUID
    }

    struct PlansDTO: Content {
        let items: [PlanDTO]
        let total: Int
    }

    static func dto(_ plan: PlanRecord) throws -> PlanDTO {
        PlanDTO(
            id: try plan.requireID(), title: plan.title, year: plan.year, status: plan.status.rawValue, cadence: plan.cadence.rawValue,
            organizationId: plan.organizationID)
    }

    func list(_ req: Request) async throws -> PlansDTO {
        let actor = try req.actor
        let plans = try await PlanService.listQuery(actor: actor, on: req.db).sort(\.$year, .descending)
            .sort(\.$createdAt, .descending).limit(1000).all()
        return PlansDTO(items: try plans.map(Self.dto), total: plans.count)
    }

    func create(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let (file, cadenceText) = try upload(req)
        let cadence: PlanRecord.Cadence
        if let cadenceText {
            guard let parsed = PlanRecord.Cadence(rawValue: cadenceText) else {
                throw PlatformError.invalidInput(field: "cadence", message: "报送周期为 monthly 或 quarterly")
            }
            cadence = parsed
        } else {
            cadence = .monthly
        }
        let plan = try await PlanImportService(db: req.db, services: req.platform).importPlan(file, cadence: cadence, actor: actor)
        return try await Self.dto(plan).encodeResponse(status: .created, for: req)
    }

    struct TaskDTO: Content {
        struct Target: Content {
            let id: UUID
            let value: Double
            let upTo: Double?
            let qualifier: String?
            let unit: String
            let text: String
            let metric: String?
            let actual: Double?
        }

        struct Unit: Content {
            let role: String
            let name: String
            let organizationId: UUID?
            let departmentId: UUID?
        }

        let id: UUID
        let sequence: Int
        let section: String
        let label: String
        let heading: String
        let text: String
        let deadline: String?
        let state: String
        let percent: Int
        let expected: Int
        let status: String
        let units: [Unit]
        let targets: [Target]
    }

    func tasks(_ req: Request) async throws -> [TaskDTO] {
        let actor = try req.actor
        let service = PlanService(db: req.db, services: req.platform)
        guard let plan = try await service.visiblePlan(try req.uuidParameter(), actor: actor) else { throw PlatformError.notFound }
        let planID = try plan.requireID()
        let tasks = try await PlanTask.query(on: req.db).filter(\.$planID == planID).filter(\.$included == true).sort(\.$sequence).all()
        let units = Dictionary(grouping: try await PlanTaskUnit.query(on: req.db).filter(\.$planID == planID).all(), by: \.taskID)
        let targets = Dictionary(
            grouping: try await PlanTargetRecord.query(on: req.db).filter(\.$taskID ~~ tasks.compactMap(\.id)).all(), by: \.taskID)
        let today = Day.today(now: req.platform.clock())
        return try tasks.map { task in
            let id = try task.requireID()
            let status = PlanService.status(of: task, plan: plan, today: today)
            return TaskDTO(
                id: id, sequence: task.sequence, section: task.section, label: task.label, heading: task.heading, text: task.sourceText,
                deadline: task.deadline?.description, state: task.state.rawValue, percent: task.percent, expected: status.progress.expected,
                status: status.progress.status.rawValue,
                units: (units[id] ?? []).map {
                    .init(role: $0.role, name: $0.name, organizationId: $0.organizationID, departmentId: $0.departmentID)
                },
                targets: try (targets[id] ?? []).map {
                    .init(
                        id: try $0.requireID(), value: $0.value, upTo: $0.upTo, qualifier: $0.qualifier, unit: $0.unit, text: $0.text,
                        metric: $0.metricID, actual: $0.actual)
                })
        }
    }

    struct ProgressInput: Content {
        var percent: Int?
        var narrative: String?
        var actuals: [String: Double]?
        var requestCompletion: Bool?
    }

    struct ProgressDTO: Content {
        let id: UUID
        let state: String
        let percent: Int
        let lastReportOn: String?
    }

    func progress(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try req.jsonBody(ProgressInput.self)
        var report = PlanService.Report()
        report.percent = input.percent
        report.narrative = input.narrative
        report.requestCompletion = input.requestCompletion ?? false
        for (key, value) in input.actuals ?? [:] {
            guard let id = UUID(uuidString: key) else {
                throw PlatformError.invalidInput(field: "actuals", message: "actuals 的键应为指标 id")
            }
            report.actuals[id] = value
        }
        let task = try await PlanService(db: req.db, services: req.platform).report(try req.uuidParameter(), report, actor: actor)
        return try await ProgressDTO(
            id: try task.requireID(), state: task.state.rawValue, percent: task.percent, lastReportOn: task.lastReportOn?.description
        )
        .encodeResponse(status: .created, for: req)
    }
}
