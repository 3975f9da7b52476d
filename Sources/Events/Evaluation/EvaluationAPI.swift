import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// `GET /api/v1/events/{id}/evaluation`: the results as staff read them on the page — averages, the
/// score distribution, speakers, the report and the quality score; never a participant's name.
/// `events.manage` or `events.approve` in the organizer's or a co-organizer's subtree (403 / 404).
struct EvaluationAPIController: Sendable {
    func register(api: any RoutesBuilder) {
        api.get(EventsRoutes.apiEvaluation, use: show)
    }

    struct SpeakerDTO: Content {
        let speakerId: UUID
        let name: String
        let count: Int
        let average: Double?
    }

    struct ReportDTO: Content {
        let attendance: Int
        let checkedIn: Int
        let attendanceReason: String
        let adviceCount: Int
        let paperCount: Int
        let dockingCount: Int
        let outputsNote: String
        let photos: Int
    }

    struct ResultsDTO: Content {
        let eventId: UUID
        let evaluations: Int
        let contentAverage: Double?
        let organizationAverage: Double?
        let speakerAverage: Double?
        let contentDistribution: [Int]
        let organizationDistribution: [Int]
        let speakers: [SpeakerDTO]
        let checkedIn: Int
        let report: ReportDTO?
        let qualityScore: Double?
    }

    func show(_ req: Request) async throws -> ResultsDTO {
        let actor = try req.actor
        let service = EvaluationService(db: req.db, services: req.platform)
        let event = try await service.resultsEvent(try req.uuidParameter(), actor: actor)
        let id = try event.requireID()
        let results = try await service.results(event)
        let report = try await service.report(of: id)
        let photos = try await service.photos(of: report)
        let checkedIn = try await service.checkedIn(id)
        func rounded(_ value: Double?) -> Double? { value.map { ($0 * 100).rounded() / 100 } }
        return ResultsDTO(
            eventId: id, evaluations: results.count, contentAverage: rounded(results.content),
            organizationAverage: rounded(results.organization), speakerAverage: rounded(results.speakers),
            contentDistribution: results.contentHistogram, organizationDistribution: results.organizationHistogram,
            speakers: results.speakerResults.map {
                SpeakerDTO(speakerId: $0.id, name: $0.name, count: $0.count, average: rounded($0.average))
            },
            checkedIn: checkedIn,
            report: report.map {
                ReportDTO(
                    attendance: $0.attendance, checkedIn: $0.checkedIn, attendanceReason: $0.attendanceReason, adviceCount: $0.adviceCount,
                    paperCount: $0.paperCount, dockingCount: $0.dockingCount, outputsNote: $0.outputsNote, photos: photos.count)
            },
            qualityScore: EvaluationService.qualityScore(
                .init(
                    content: results.content, organization: results.organization, speakers: results.speakers,
                    attendance: report?.attendance ?? (checkedIn > 0 ? checkedIn : nil), capacity: event.capacity,
                    confirmed: event.confirmedCount, advice: report?.adviceCount, papers: report?.paperCount, dockings: report?.dockingCount
                )))
    }
}

/// The OpenAPI entries of the evaluation API (EventsModule joins each helper's `paths` and `schemas`).
enum EvaluationOpenAPI {
    static let paths = """
          /events/{id}/evaluation:
            get:
              summary: 活动评价结果：评价份数、活动内容/组织服务/报告人均分、1～5 分分布、活动总结和质量分。不含评价人姓名
              description: 须持有 events.manage 或 events.approve 权限，且令牌所属组织为活动主办或协办单位或其上级；其他单位的活动返回 404。
              security: [{bearer: []}]
              parameters:
                - {$ref: '#/components/parameters/Id'}
              responses:
                '200': {description: 评价结果, content: {application/json: {schema: {$ref: '#/components/schemas/EventEvaluationResults'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 429))
        """

    static let schemas = """
            EventEvaluationResults:
              type: object
              required: [eventId, evaluations, contentDistribution, organizationDistribution, speakers, checkedIn]
              description: 尚无的数值（无评价时的均分、未填写的总结、无法计算的质量分）不出现在结果中
              properties:
                eventId: {type: string, format: uuid}
                evaluations: {type: integer, minimum: 0, description: 评价份数}
                contentAverage: {type: number, minimum: 1, maximum: 5, description: 活动内容均分，无评价时不出现}
                organizationAverage: {type: number, minimum: 1, maximum: 5, description: 组织服务均分}
                speakerAverage: {type: number, minimum: 1, maximum: 5, description: 全部报告人评分的均分}
                contentDistribution: {type: array, items: {type: integer, minimum: 0}, minItems: 5, maxItems: 5, description: 活动内容 1～5 分各有几份}
                organizationDistribution: {type: array, items: {type: integer, minimum: 0}, minItems: 5, maxItems: 5, description: 组织服务 1～5 分各有几份}
                speakers:
                  type: array
                  items:
                    type: object
                    required: [speakerId, name, count]
                    properties:
                      speakerId: {type: string, format: uuid}
                      name: {type: string}
                      count: {type: integer, minimum: 0, description: 评分人数}
                      average: {type: number, minimum: 1, maximum: 5, description: 无人评分时不出现}
                checkedIn: {type: integer, minimum: 0, description: 签到人数（已签到的报名，同一人多场次只算一次，加现场登记）}
                report:
                  type: object
                  description: 活动总结；主办单位尚未填写时不出现
                  required: [attendance, checkedIn, attendanceReason, adviceCount, paperCount, dockingCount, outputsNote, photos]
                  properties:
                    attendance: {type: integer, minimum: 0, description: 实到人数}
                    checkedIn: {type: integer, minimum: 0, description: 填报时的签到人数}
                    attendanceReason: {type: string, description: 实到人数与签到人数不同的原因}
                    adviceCount: {type: integer, minimum: 0, description: 决策建议（篇）}
                    paperCount: {type: integer, minimum: 0, description: 论文（篇）}
                    dockingCount: {type: integer, minimum: 0, description: 签约对接项目（个）}
                    outputsNote: {type: string}
                    photos: {type: integer, minimum: 0, description: 活动照片张数}
                qualityScore: {type: number, minimum: 0, maximum: 100, description: 质量分（公式见运维文档 events-evaluation.md），尚无任何部分时不出现}
        """
}
