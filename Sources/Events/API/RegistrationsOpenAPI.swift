import Platform

/// The registrations' part of /api/openapi.yaml (EventsModule concatenates it with the events' part).
enum RegistrationsOpenAPI {
    private typealias Code = EventsError.Code

    private static let registerCodes: [any KexieErrorCode] = [
        Code.eventFull, Code.alreadyRegistered, Code.registrationNotOpen, Code.registrationClosed, Code.loginRequired,
        Code.membersOnly, Code.notInvited,
    ]
    private static let cancelCodes: [any KexieErrorCode] = [Code.cancelClosed, Code.notCancellable]

    static let paths = """
          /events/{id}/registrations:
            post:
              summary: 报名。带令牌且请求体为 {} 时为本人报名（姓名、单位取自账号）；带令牌并给出 name、phone 时为代为报名（需 events.manage，活动在本单位及下级单位主办或协办）；不带令牌并给出 name、phone 为访客报名（仅限公开活动，按客户端地址每小时 10 次、按手机号每小时 5 次限流）。名额满且设候补时进入候补（position 为候补位次），不设候补时 409 events.event_full；需审核的活动返回 pending
              security: [{}, {bearer: []}]
              parameters:
                - {$ref: '#/components/parameters/Id'}
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/RegistrationInput'}
              responses:
                '201':
                  description: 报名结果
                  headers:
                    Location: {description: 报名记录的地址, schema: {type: string}}
                  content: {application/json: {schema: {$ref: '#/components/schemas/Registration'}}}
                \(OpenAPIErrors.refs(401, 403, 404, 409, 413, 422, 429, codes: registerCodes))
            get:
              summary: 活动的报名名单（按报名先后；需 events.manage，活动在本单位及下级单位主办或协办，否则 404）
              parameters:
                - {$ref: '#/components/parameters/Id'}
                - {name: status, in: query, schema: {type: string, enum: [confirmed, waitlisted, pending, cancelled, rejected]}}
                - {name: q, in: query, schema: {type: string}, description: 姓名包含}
                - {$ref: '#/components/parameters/Page'}
                - {$ref: '#/components/parameters/Per'}
              responses:
                '200': {description: 分页的报名名单, content: {application/json: {schema: {$ref: '#/components/schemas/RegistrationPage'}}}}
                \(OpenAPIErrors.refs(401, 404, 422, 429))
          /registrations/{id}:
            get:
              summary: 一条报名（本人或管理该活动的工作人员；其他人 404）
              parameters:
                - {$ref: '#/components/parameters/Id'}
              responses:
                '200': {description: 报名, content: {application/json: {schema: {$ref: '#/components/schemas/Registration'}}}}
                \(OpenAPIErrors.refs(401, 404, 429))
            delete:
              summary: 取消报名（本人在取消截止时间前，默认活动开始前；工作人员随时）。已确认的名额释放后，候补第一位按报名先后自动转正并收到站内信
              parameters:
                - {$ref: '#/components/parameters/Id'}
              responses:
                '200': {description: 取消后的报名, content: {application/json: {schema: {$ref: '#/components/schemas/Registration'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 409, 429, codes: cancelCodes))
          /registrations/{id}/qr.svg:
            get:
              summary: 签到二维码（SVG；字节模式、纠错等级 M，内容为签到码的规范文本，8 位大写字母和数字）
              parameters:
                - {$ref: '#/components/parameters/Id'}
              responses:
                '200': {description: 二维码, content: {image/svg+xml: {schema: {type: string}}}}
                \(OpenAPIErrors.refs(401, 404, 429))
        """

    static let schemas = """
            RegistrationInput:
              type: object
              description: 本人报名为 {}；代为报名和访客报名须有 name 和 phone
              properties:
                name: {type: string, maxLength: 30}
                phone: {type: string, description: 中国大陆手机号，加密保存}
                unit: {type: string, maxLength: 100}
                consent: {type: boolean, description: 同意为组织本活动使用报名信息；本人和访客报名须为 true，代为报名时表示已征得本人同意（缺省视为 true）}
                answers:
                  type: object
                  description: 活动报名表（共享表单）的回答，键为字段键；多选为字符串数组。活动没有报名表时忽略；有误时 422，fields 中的键为 answers.字段键
                  maxProperties: 200
                  additionalProperties:
                    oneOf:
                      - {type: string, maxLength: 2000}
                      - {type: array, maxItems: 100, items: {type: string, maxLength: 2000}}
            Registration:
              type: object
              required: [id, eventId, status, statusLabel, channel, sequence, code, name, unit]
              properties:
                id: {type: string, format: uuid}
                eventId: {type: string, format: uuid}
                status: {type: string, enum: [confirmed, waitlisted, pending, cancelled, rejected]}
                statusLabel: {type: string, examples: [已确认]}
                channel: {type: string, enum: [self, visitor, staff, invitation, walk_in]}
                sequence: {type: integer, description: 报名先后序号（候补按此转正）}
                position: {type: [integer, 'null'], description: 候补位次（1 为下一位），仅 waitlisted 时有}
                code: {type: string, pattern: '^[0-9A-Z]{8}$', description: 签到码（规范文本，显示时为 XXXX-XXXX）}
                name: {type: string}
                unit: {type: string}
                createdAt: {type: [string, 'null'], format: date-time}
                cancelledAt: {type: [string, 'null'], format: date-time}
            RegistrationPage:
              type: object
              required: [items, page, per, total]
              properties:
                items: {type: array, items: {$ref: '#/components/schemas/Registration'}}
                page: {type: integer}
                per: {type: integer}
                total: {type: integer}
        """
}
