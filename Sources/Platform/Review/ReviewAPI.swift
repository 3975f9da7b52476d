import Fluent
import Foundation
import KexieKit
import Vapor

/// The review engine's API: a round's stored results and manual assignment for managers
/// (`platform.review.manage`, round in the token's subtree, else 404); scoring for the reviewer whose
/// assignment it is (anyone else 404).
struct ReviewAPIController: Sendable {
    func register(_ api: any RoutesBuilder) {
        api.get(ReviewRoutes.apiResults, use: results)
        api.post(ReviewRoutes.apiAssignments, use: assign).limitBody(BodyLimits.small)
        api.post(ReviewRoutes.apiScores, use: score).limitBody(BodyLimits.small)
    }

    struct VotesDTO: Content {
        let `for`: Int
        let against: Int
        let abstain: Int
    }

    struct ResultDTO: Content {
        let candidateId: UUID
        let ownerItemId: UUID
        let title: String
        let score: Decimal?
        let rank: Int?
        let tieNote: String?
        let votes: VotesDTO
        let passes: Bool?
    }

    struct ResultsDTO: Content {
        let roundId: UUID
        let aggregation: String
        let mode: String
        let results: [ResultDTO]
    }

    func results(_ req: Request) async throws -> ResultsDTO {
        let actor = try req.actor
        let service = ReviewService(db: req.db, services: req.platform)
        let round = try await service.managedRound(try req.uuidParameter(), actor: actor)
        let id = try round.requireID()
        return ResultsDTO(
            roundId: id, aggregation: round.aggregation.rawValue, mode: round.mode.rawValue,
            results: try await service.results(id).map {
                ResultDTO(
                    candidateId: $0.candidateID, ownerItemId: $0.ownerItemID, title: $0.title, score: $0.score, rank: $0.rank,
                    tieNote: $0.tieNote, votes: VotesDTO(for: $0.votesFor, against: $0.votesAgainst, abstain: $0.votesAbstain),
                    passes: $0.passes)
            })
    }

    struct AssignBody: Decodable {
        let candidateId: UUID
        let expertEntryId: UUID
    }

    struct CreatedDTO: Content {
        let id: UUID
    }

    func assign(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let body = try req.jsonBody(AssignBody.self, limit: BodyLimits.small)
        let id = try await ReviewService(db: req.db, services: req.platform).assign(
            try req.uuidParameter(), candidateID: body.candidateId, expertEntryID: body.expertEntryId, by: actor)
        return try await CreatedDTO(id: id).encodeResponse(status: .created, for: req)
    }

    struct ScoreBody: Decodable {
        let scores: [String: Decimal]?
        let vote: String?
        let comment: String?
    }

    struct ScoredDTO: Content {
        let id: UUID
        let state: String
        let total: Decimal?
        let vote: String?
    }

    func score(_ req: Request) async throws -> ScoredDTO {
        let actor = try req.actor
        let body = try req.jsonBody(ScoreBody.self, limit: BodyLimits.small)
        guard (body.scores?.count ?? 0) <= 50 else { throw PlatformError.invalidInput(field: "scores", message: "评分指标过多") }
        let id = try req.uuidParameter()
        let service = ReviewService(db: req.db, services: req.platform)
        try await service.submit(id, scores: body.scores ?? [:], vote: body.vote, comment: body.comment ?? "", by: actor)
        let saved = try await service.ownAssignment(id, actor: actor)
        return ScoredDTO(
            id: id, state: saved.state.rawValue, total: saved.total.flatMap { Decimal(string: String($0)) }, vote: saved.vote)
    }
}

enum ReviewOpenAPI {
    static let paths = """
          /review-rounds/{id}/results:
            get:
              summary: 评审轮次的汇总结果（最近一次汇总排名时保存，含汇总方法、排名、并列说明、表决票数与是否通过）；需 platform.review.manage 且轮次属于令牌所在单位及下级单位，否则 404
              security: [{bearer: []}]
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
              responses:
                '200': {description: 汇总结果, content: {application/json: {schema: {$ref: '#/components/schemas/ReviewResults'}}}}
                \(OpenAPIErrors.refs(401, 404, 429))
          /review-rounds/{id}/assignments:
            post:
              summary: 指派一位评审专家评审一个候选；须回避的专家一律拒绝（409 platform.review_conflict，fields 列出回避原因）
              security: [{bearer: []}]
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
              requestBody:
                required: true
                content: {application/json: {schema: {$ref: '#/components/schemas/ReviewAssignmentInput'}}}
              responses:
                '201': {description: 已指派, content: {application/json: {schema: {$ref: '#/components/schemas/ReviewCreated'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 413, 422, 429, codes: [ReviewError.Code.conflict, ReviewError.Code.alreadyAssigned]))
          /review-assignments/{id}/scores:
            post:
              summary: 评审专家提交（或在截止前修改）本人评审任务的评分或表决；不是本人的任务一律 404
              security: [{bearer: []}]
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
              requestBody:
                required: true
                content: {application/json: {schema: {$ref: '#/components/schemas/ReviewScoreInput'}}}
              responses:
                '200': {description: 已提交, content: {application/json: {schema: {$ref: '#/components/schemas/ReviewScored'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 413, 422, 429, codes: [ReviewError.Code.closed, ReviewError.Code.assignmentDeclined, ReviewError.Code.scoreOutOfRange, ReviewError.Code.scoreMissing]))
        """

    static let schemas = """
            ReviewResults:
              type: object
              required: [roundId, aggregation, mode, results]
              properties:
                roundId: {type: string, format: uuid}
                aggregation: {type: string, enum: [mean, trimmed_mean], description: 汇总方法（算术平均；评分多于 3 份时去掉一个最高分和一个最低分后平均）}
                mode: {type: string, enum: [scoring, voting]}
                results:
                  type: array
                  items:
                    type: object
                    required: [candidateId, ownerItemId, title, votes]
                    properties:
                      candidateId: {type: string, format: uuid}
                      ownerItemId: {type: string, format: uuid, description: 所属模块的记录（如奖项申报）}
                      title: {type: string}
                      score: {type: [number, 'null'], description: 汇总得分（两位小数）；没有评分时为 null}
                      rank: {type: [integer, 'null'], minimum: 1, description: 名次，得分相同并列}
                      tieNote: {type: [string, 'null'], examples: [与候选甲并列第 2 名（得分均为 87.50）]}
                      votes:
                        type: object
                        required: [for, against, abstain]
                        properties:
                          for: {type: integer, minimum: 0}
                          against: {type: integer, minimum: 0}
                          abstain: {type: integer, minimum: 0}
                      passes: {type: [boolean, 'null'], description: 表决轮次：赞成票超过三分之二为 true；评分轮次为 null}
            ReviewAssignmentInput:
              type: object
              required: [candidateId, expertEntryId]
              properties:
                candidateId: {type: string, format: uuid}
                expertEntryId: {type: string, format: uuid, description: 专家库条目 id}
            ReviewCreated:
              type: object
              required: [id]
              properties:
                id: {type: string, format: uuid}
            ReviewScoreInput:
              type: object
              properties:
                scores:
                  type: object
                  maxProperties: 50
                  description: 指标代码 → 分数（0 至指标权重，可精确到 0.5 分）；评分轮次须为每个指标评分
                  additionalProperties: {type: number, minimum: 0}
                vote: {type: string, enum: [for, against, abstain], description: 表决轮次必填}
                comment: {type: string, maxLength: 2000}
            ReviewScored:
              type: object
              required: [id, state]
              properties:
                id: {type: string, format: uuid}
                state: {type: string, enum: [assigned, submitted, declined]}
                total: {type: [number, 'null']}
                vote: {type: [string, 'null']}
        """
}
