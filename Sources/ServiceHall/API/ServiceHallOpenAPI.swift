import Platform

/// The ServiceHall module's part of /api/openapi.yaml.
enum ServiceHallOpenAPI {
    private typealias Code = ServiceHallError.Code

    static let schemas = """
            CaseType:
              type: string
              enum: [suggestion, appeal, rights, legal, title, other]
              description: 建言献策、诉求反映、维权、法律咨询、职称申报咨询、其他（提交时也可写中文名称）
            CaseState:
              type: string
              enum: [pending, accepted, rejected, in_progress, answered, closed]
            TrackingNumber:
              type: string
              pattern: '^KX-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$'
              description: 查询码；最后一位是校验位
              examples: [KX-7K3M-9QXP-2D4H]
            CaseSubmission:
              type: object
              required: [type, title, content]
              description: 可省略的字段写 null 等于省略
              properties:
                type: {$ref: '#/components/schemas/CaseType'}
                title: {type: string, minLength: 1, maxLength: 100, pattern: '\\S'}
                content: {type: string, minLength: 10, maxLength: 5000, pattern: '\\S[\\s\\S]{8,}\\S', description: 10–5000 字（首尾空白不计）}
                isPublic: {type: [boolean, 'null'], default: false, description: 同意去除个人信息后公开}
                contactName: {type: [string, 'null'], maxLength: 30, description: 未登录时必填；登录时缺省为账号姓名}
                contactPhone: {type: [string, 'null'], pattern: '^(\\+86|0086|86)?1[3-9][0-9]{9}$', description: 手机号；未登录时必填，登录时缺省为个人资料中的手机}
                organizationId: {type: [string, 'null'], format: uuid, description: 受理单位（缺省为省科协）；须为未停用的组织}
            SubmittedCase:
              type: object
              required: [trackingNumber, acceptDue, provisional]
              properties:
                trackingNumber: {$ref: '#/components/schemas/TrackingNumber'}
                acceptDue: {type: string, format: date, description: 受理期限}
                provisional: {type: boolean, description: 期限落入尚未发布放假安排的年份}
            TrackedCase:
              type: object
              required: [trackingNumber, type, title, state, receivedOn, acceptDue, steps]
              properties:
                trackingNumber: {$ref: '#/components/schemas/TrackingNumber'}
                type: {type: string, examples: [建言献策]}
                title: {type: string}
                state: {type: string, examples: [待受理]}
                receivedOn: {type: string, format: date}
                acceptDue: {type: string, format: date}
                steps:
                  type: array
                  items:
                    type: object
                    required: [date, label]
                    properties:
                      date: {type: string}
                      label: {type: string, examples: [已提交，等待受理]}
                reply: {type: string, description: 答复内容，或不予受理的理由；仅当 phoneLast4 与联系电话后四位相符且已答复（或已决定不予受理）时出现}
                answeredAt: {type: string, format: date, description: 答复（或决定不予受理）的日期；与 reply 同时出现}
            Case:
              type: object
              required: [id, trackingNumber, type, title, state, organizationId, receivedOn, acceptDue]
              properties:
                id: {type: string, format: uuid}
                trackingNumber: {$ref: '#/components/schemas/TrackingNumber'}
                type: {$ref: '#/components/schemas/CaseType'}
                title: {type: string}
                state: {$ref: '#/components/schemas/CaseState'}
                organizationId: {type: string, format: uuid}
                departmentId: {type: string, format: uuid}
                receivedOn: {type: string, format: date}
                acceptDue: {type: string, format: date}
                answerDue: {type: string, format: date}
                answer: {type: string}
                rating: {type: integer, minimum: 1, maximum: 5}
            CasePage:
              type: object
              required: [items, page, per, total]
              properties:
                items: {type: array, items: {$ref: '#/components/schemas/Case'}}
                page: {type: integer}
                per: {type: integer}
                total: {type: integer}
            CaseTransition:
              type: object
              required: [action]
              properties:
                action: {type: string, enum: [accept, reject, transfer, assign, add_opinion, supervise, return_to_dispatch, answer, rate, reopen]}
                comment: {type: [string, 'null'], description: 理由、意见或答复内容；部分操作必填}
                department: {type: [string, 'null'], format: uuid, description: 交办时的承办部门}
                coDepartments: {type: [array, 'null'], items: {type: string, format: uuid}, description: 交办时的协办部门}
                organization: {type: [string, 'null'], format: uuid, description: 转办到的单位}
                rating: {type: [integer, 'null'], minimum: 1, maximum: 5, description: 评价时的满意度}
        """

    static let paths = """
          /cases:
            get:
              summary: 管理范围内的事项（办理人员）或本人提交的事项
              parameters:
                - {name: state, in: query, schema: {$ref: '#/components/schemas/CaseState'}}
                - {$ref: '#/components/parameters/Page'}
                - {$ref: '#/components/parameters/Per'}
              responses:
                '200': {description: 分页的事项列表, content: {application/json: {schema: {$ref: '#/components/schemas/CasePage'}}}}
                \(OpenAPIErrors.refs(401, 422, 429))
            post:
              summary: 提交诉求（无需登录；携带令牌时关联账号）；答复查询码。匿名提交每个地址每小时 5 件
              security: [{}, {bearer: []}]
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/CaseSubmission'}
              responses:
                '201': {description: 已受理登记, content: {application/json: {schema: {$ref: '#/components/schemas/SubmittedCase'}}}}
                \(OpenAPIErrors.refs(401, 403, 409, 413, 422, 429, codes: [Code.tooManySubmissions, Code.submissionCollided, Code.intakeNotSetUp]))
          /cases/{id}/transitions:
            post:
              summary: 对事项执行一步办理（受理、不予受理、转办、交办、协办意见、督办、退回、答复、评价、重新打开）
              parameters:
                - {$ref: '#/components/parameters/Id'}
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/CaseTransition'}
              responses:
                '200': {description: 办理后的事项, content: {application/json: {schema: {$ref: '#/components/schemas/Case'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 409, 413, 422, 429, codes: OpenAPIErrors.workflow))
          /cases/track/{trackingNumber}:
            get:
              summary: 按查询码查询办理进度（公开，不含个人信息；每个地址 5 分钟内 30 次）
              security: [{}, {bearer: []}]
              parameters:
                - {name: trackingNumber, in: path, required: true, schema: {$ref: '#/components/schemas/TrackingNumber'}, description: 也接受小写、全角、空格和省略 KX-}
                - {name: phoneLast4, in: query, required: false, schema: {type: string, pattern: '^[0-9]{4}$'}, description: 联系电话后四位；相符时响应包含 reply 与 answeredAt（每个查询码每小时 10 次）}
              responses:
                '200': {description: 类型、标题、状态、期限与办理步骤；后四位相符时另有答复, content: {application/json: {schema: {$ref: '#/components/schemas/TrackedCase'}}}}
                \(OpenAPIErrors.refs(401, 404, 422, 429, codes: [Code.trackingNumberUnknown, Code.trackingNumberMalformed, Code.phoneDigitsMalformed]))
        """
}
