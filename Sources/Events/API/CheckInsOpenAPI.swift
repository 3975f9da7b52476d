import Platform

/// The OpenAPI entries of `POST /api/v1/events/{id}/check-ins` (EventsModule concatenates each
/// helper's `paths` and `schemas`).
enum CheckInsOpenAPI {
    static let paths = """
          /events/{id}/check-ins:
            post:
              summary: 现场签到：用报名的签到码为本人签到（可按场次签到）。同一签到码在同一场次只接受一次，重复签到返回 409 并给出首次签到时间
              description: 须持有 events.checkin 权限，且令牌所属组织为活动主办或协办单位或其上级。签到码不区分大小写，可带短横线或空格（如 7F3M-Q9TC）。
              security: [{bearer: []}]
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}, description: 活动 id}
              requestBody:
                required: true
                description: 请求体不超过 4 KB
                content: {application/json: {schema: {$ref: '#/components/schemas/EventCheckInRequest'}}}
              responses:
                '200': {description: 签到成功, content: {application/json: {schema: {$ref: '#/components/schemas/EventCheckIn'}}}}
                '409':
                  description: '已签到（events.already_checked_in，error.checkedInAt 为首次签到时间）；报名未确认（events.check_in_not_confirmed）；活动未发布或已取消（events.check_in_not_open）'
                  x-codes: [events.already_checked_in, events.check_in_not_confirmed, events.check_in_not_open]
                  content: {application/json: {schema: {oneOf: [{$ref: '#/components/schemas/EventCheckInRepeat'}, {$ref: '#/components/schemas/Error'}]}}}
                \(OpenAPIErrors.refs(401, 403, 413, 422, 429, codes: [EventsError.Code.checkInCodeUnknown]))
        """

    static let schemas = """
            EventCheckInRequest:
              type: object
              required: [code]
              properties:
                code: {type: string, maxLength: 40, examples: [7F3M-Q9TC], description: 签到码，不区分大小写，可带短横线或空格}
                sessionId: {type: string, format: uuid, description: 场次 id；不填为全场签到}
            EventCheckIn:
              type: object
              required: [registrationId, checkedInAt, name]
              properties:
                registrationId: {type: string, format: uuid}
                checkedInAt: {type: string, format: date-time, description: 签到时间（ISO 8601，+08:00）}
                sessionId: {type: string, format: uuid, description: 场次签到时为场次 id}
                name: {type: string, description: 报名人姓名}
            EventCheckInRepeat:
              type: object
              required: [error]
              properties:
                error:
                  type: object
                  required: [code, message, checkedInAt]
                  properties:
                    code: {type: string, const: events.already_checked_in}
                    message: {type: string, examples: [已于 2026-12-08 09:05 签到]}
                    checkedInAt: {type: string, format: date-time, description: 首次签到时间}
                    registrationId: {type: string, format: uuid}
        """
}
