import Vapor

/// Assembles `/api/openapi.yaml` from the paths each module contributes. A route test checks that every
/// registered `/api/v1` route appears here, so the document cannot silently fall behind the code.
public enum OpenAPIDocument {
    public static func yaml(modules: [any KexieModule]) -> String {
        """
        openapi: 3.1.0
        info:
          title: Kexie 智慧科协 API
          version: 1.0.0
          description: |
            科协一站式服务平台的 JSON 接口。所有接口（注明匿名可用的除外）需在请求头中携带
            `Authorization: Bearer <令牌>`，令牌在网页“API 访问令牌”页面或 `kexie token create` 生成；匿名可用的接口
            携带令牌时按令牌所属账号处理，令牌无效同样答复 401。只读令牌只能用于 GET，其他方法答复 403。

            出错时返回 `{"error": {"code": "...", "message": "中文说明"}}`（见 `Error`）。`code` 是稳定的错误代码
            （`模块.原因`，如 `servicehall.tracking_number_unknown`），程序应按它判断，不要按 message 的文字；全部代码见
            `Error` 的 `code` 枚举，每个接口的错误答复在 `x-codes` 中列出它可能给出的代码。填写有误（422，如
            `platform.invalid_input`）时另有 `field`（出错的字段），整体校验的请求体还有 `fields`（每个字段的说明）。
            分页参数 `page` 为 1–10000，`per` 为 1–200（个别列表上限为 100，见各接口），超出范围答复 422。
            每个令牌每分钟最多 1200 次请求，超出答复 429（`platform.rate_limited`）。请求体超过上限（JSON 为 2 MB，
            上传文件的接口另有说明）答复 413。路径存在但不支持所用方法时答复 405（`platform.method_not_allowed`），
            `Allow` 头列出可用的方法；OPTIONS 答复 204 和同样的 `Allow`。
        servers:
          - url: /api/v1
        security:
          - bearer: []
        components:
          securitySchemes:
            bearer:
              type: http
              scheme: bearer
          parameters:
            Page: {name: page, in: query, description: 页码（从 1 开始）, schema: {type: integer, minimum: 1, maximum: 10000, default: 1}}
            Per: {name: per, in: query, description: 每页条数, schema: {type: integer, minimum: 1, maximum: 200, default: 50}}
            Id: {name: id, in: path, required: true, schema: {type: string, format: uuid}}
          schemas:
            Error:
              type: object
              required: [error]
              properties:
                error:
                  type: object
                  required: [code, message]
                  properties:
                    code:
                      type: string
                      description: 稳定的错误代码（模块.原因）；各接口的错误答复在 x-codes 中列出它可能给出的代码
                      enum: [\(OpenAPIErrors.allCodes(modules).map(\.code).joined(separator: ", "))]
                    message: {type: string, description: 给人看的中文说明, examples: [请填写组织名称]}
                    field: {type: string, description: 出错的字段（填写有误时；查询码不存在时为 code）, examples: [name]}
                    fields: {type: object, additionalProperties: {type: string}, description: 整体校验时每个出错字段的说明}
        \(modules.map(\.openAPISchemas).filter { !$0.isEmpty }.joined(separator: "\n"))
          responses:
        \(OpenAPIErrors.components)
        paths:
        \(modules.map(\.openAPIPaths).filter { !$0.isEmpty }.joined(separator: "\n"))
        """
    }

    static func register(_ routes: any RoutesBuilder, modules: [any KexieModule]) {
        let document = yaml(modules: modules)
        routes.get(PlatformRoutes.openAPIDocument) { _ -> Response in
            Response(status: .ok, headers: ["Content-Type": "application/yaml; charset=utf-8"], body: .init(string: document))
        }
    }
}

/// The foundation's part of the document: calendar, notifications, the caller and organizations.
enum FoundationOpenAPI {
    static let schemas = """
            SearchResults:
              type: object
              required: [query, groups]
              properties:
                query: {type: string, description: 去掉首尾空白后的搜索内容}
                groups:
                  type: array
                  description: 按类别分组（模块登记的顺序），没有结果的类别不列出
                  items:
                    type: object
                    required: [kind, label, hits, more]
                    properties:
                      kind: {type: string, examples: [person, case, public_reply, innovation.supply, innovation.demand, plan_task, organization]}
                      label: {type: string, examples: [科技工作者]}
                      more: {type: boolean, description: 该类结果达到 limit 条，可能还有更多}
                      hits:
                        type: array
                        items:
                          type: object
                          required: [kind, kindLabel, title, snippet, link, score, isPublic]
                          properties:
                            kind: {type: string}
                            kindLabel: {type: string}
                            title: {type: string}
                            snippet: {type: string}
                            link: {type: string, description: 网页上的地址}
                            score: {type: number}
                            isPublic: {type: boolean, description: 是否为公开信息（匿名请求只返回公开信息）}
            WorkingDay:
              type: object
              required: [date, provisional]
              properties:
                date: {type: string, format: date}
                provisional: {type: boolean, description: 是否落入尚未发布放假安排的年份（此时只按周末计算）}
            InboxMessage:
              type: object
              required: [id, title, body, read]
              properties:
                id: {type: string, format: uuid}
                title: {type: string}
                body: {type: string}
                link: {type: string, description: 站内链接}
                createdAt: {type: string, format: date-time}
                read: {type: boolean}
            Inbox:
              type: object
              required: [unread, total, items]
              properties:
                unread: {type: integer, minimum: 0}
                total: {type: integer, minimum: 0}
                items: {type: array, items: {$ref: '#/components/schemas/InboxMessage'}}
            Me:
              type: object
              required: [id, username, displayName, permissions, grants]
              properties:
                id: {type: string, format: uuid}
                username: {type: string}
                displayName: {type: string}
                actingOrganizationID: {type: string, format: uuid, description: 当前所代表的组织（可用请求头 X-Kexie-Grant 选择任职）}
                permissions: {type: array, items: {type: string, examples: [platform.orgs.read]}}
                grants:
                  type: array
                  items:
                    type: object
                    required: [id, role, roleLabel, organizationID, organizationName]
                    properties:
                      id: {type: string, format: uuid}
                      role: {type: string}
                      roleLabel: {type: string}
                      organizationID: {type: string, format: uuid}
                      organizationName: {type: string}
            MetricValue:
              type: object
              required: [id, label, unit, span, value, listUrl]
              properties:
                id: {type: string, examples: [servicehall.cases.received]}
                label: {type: string, examples: [受理的诉求与建议]}
                unit: {type: string, examples: [件]}
                span: {type: string, enum: [flow, stock, yearly], description: flow 统计期内发生的；stock 现有总数（不随统计期变化）；yearly 只按整年统计}
                value: {type: number}
                listUrl: {type: string, description: 下钻页面（按下级组织分布和所统计的记录）}
                apiListUrl: {type: string, description: 计数类指标的明细接口，其 total 等于 value；平均值、金额类指标没有}
            MetricBreakdown:
              type: object
              required: [metric, organizationID, period, children]
              properties:
                metric: {$ref: '#/components/schemas/MetricValue'}
                organizationID: {type: string, format: uuid}
                period: {type: string, examples: [2026-Q4]}
                children:
                  type: array
                  description: 每个直属下级组织（含其下级）的数值
                  items:
                    type: object
                    required: [organizationID, organizationName, value, listUrl]
                    properties:
                      organizationID: {type: string, format: uuid}
                      organizationName: {type: string}
                      value: {type: number}
                      listUrl: {type: string}
            MetricRecord:
              type: object
              required: [id, title, organization]
              properties:
                id: {type: string, format: uuid}
                title: {type: string}
                day: {type: string, description: 记录计入统计期所依据的日期（或成立年份）}
                organization: {type: string}
                link: {type: string}
            MetricRecords:
              type: object
              required: [metric, organizationID, period, items, page, per, total]
              properties:
                metric: {type: string}
                organizationID: {type: string, format: uuid}
                period: {type: string}
                items: {type: array, items: {$ref: '#/components/schemas/MetricRecord'}}
                page: {type: integer}
                per: {type: integer}
                total: {type: integer, description: 等于该指标同一组织、同一统计期的 value}
            OrganizationKind:
              type: string
              enum: [association, society, university_association, enterprise_association, park_association, hospital_association, rural_tech_association, enterprise]
            OrganizationLevel:
              type: string
              enum: [province, city, county, township]
              description: 科协的层级（仅 association 有）
            Organization:
              type: object
              required: [id, name, kind, kindLabel, isActive]
              properties:
                id: {type: string, format: uuid}
                name: {type: string}
                kind: {$ref: '#/components/schemas/OrganizationKind'}
                kindLabel: {type: string, examples: [学会]}
                level: {$ref: '#/components/schemas/OrganizationLevel'}
                parentID: {type: string, format: uuid}
                region: {type: string}
                establishedYear: {type: integer}
                isActive: {type: boolean}
            OrganizationPage:
              type: object
              required: [items, page, per, total]
              properties:
                items: {type: array, items: {$ref: '#/components/schemas/Organization'}}
                page: {type: integer}
                per: {type: integer}
                total: {type: integer}
            OrganizationInput:
              type: object
              required: [name, kind, parentID]
              description: 科协（association）须写 level；其他类型的 level 不保存。可省略的字段写 null 等于省略
              properties:
                name: {type: string, minLength: 1, maxLength: 100, pattern: '\\S', description: 同一上级组织下不能重名}
                kind: {$ref: '#/components/schemas/OrganizationKind'}
                level: {type: [string, 'null'], enum: [province, city, county, township, null]}
                parentID: {type: string, format: uuid, description: 管理范围内的上级组织}
                region: {type: [string, 'null']}
                establishedYear: {type: [integer, 'null'], minimum: 1950, maximum: 2100}
              if: {properties: {kind: {const: association}}, required: [kind]}
              then: {required: [level], properties: {level: {type: string}}}
            OrganizationPatch:
              type: object
              description: 只修改给出的字段（null 等于不给出）；parentID 不同于现在的上级时移动组织（连同下级）
              properties:
                name: {type: [string, 'null'], minLength: 1, maxLength: 100, pattern: '\\S'}
                kind: {type: [string, 'null'], enum: [association, society, university_association, enterprise_association, park_association, hospital_association, rural_tech_association, enterprise, null]}
                level: {type: [string, 'null'], enum: [province, city, county, township, null]}
                parentID: {type: [string, 'null'], format: uuid}
                region: {type: [string, 'null']}
                establishedYear: {type: [integer, 'null'], minimum: 1950, maximum: 2100}
        """

    static let paths = """
          /calendar/add-working-days:
            get:
              summary: 工作日期限：from 之后第 days 个工作日（次日起算；无需令牌）
              security: [{}, {bearer: []}]
              parameters:
                - {name: from, in: query, required: true, schema: {type: string, format: date}}
                - {name: days, in: query, required: true, schema: {type: integer, minimum: 0, maximum: 366}}
                - {name: region, in: query, schema: {type: string}, description: 地区代码，适用地方性放假或调休}
              responses:
                '200': {description: 期限, content: {application/json: {schema: {$ref: '#/components/schemas/WorkingDay'}}}}
                \(OpenAPIErrors.refs(401, 422, 429))
          /search:
            get:
              summary: 全站搜索：各模块的结果按类别分组（无需令牌；匿名只返回公开信息，携带令牌时另含令牌所属账号在其组织及下级范围内可查看的内容）
              security: [{}, {bearer: []}]
              parameters:
                - {name: q, in: query, required: true, schema: {type: string, minLength: 2, maxLength: 100, pattern: '^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$'}, description: 搜索内容（去掉首尾空白后 2–100 个字，不含控制字符）}
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 50, default: 10}, description: 每类最多条数}
              responses:
                '200': {description: 分组的结果, content: {application/json: {schema: {$ref: '#/components/schemas/SearchResults'}}}}
                \(OpenAPIErrors.refs(401, 422, 429))
          /notifications:
            get:
              summary: 当前账号的站内信（最新在前）与未读数
              parameters:
                - {$ref: '#/components/parameters/Page'}
                - {$ref: '#/components/parameters/Per'}
              responses:
                '200': {description: 站内信, content: {application/json: {schema: {$ref: '#/components/schemas/Inbox'}}}}
                \(OpenAPIErrors.refs(401, 422, 429))
          /metrics:
            get:
              summary: 组织（含下级）在统计期内的全部统计指标
              parameters:
                - {name: organization, in: query, schema: {type: string, format: uuid}, description: 默认当前所代表的组织；须在管理范围内}
                - {name: period, in: query, schema: {type: string, pattern: '^(19(49|[5-9][0-9])|20[0-9]{2}|2100)(-(Q[1-4]|0[1-9]|1[0-2]))?$', examples: ['2026', 2026-Q4, 2026-11]}, description: 默认当年；只按整年统计的指标在季度、月份时不列出}
              responses:
                '200': {description: 指标, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/MetricValue'}}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 422, 429))
          /metrics/{metric}:
            get:
              summary: 一个指标的数值及按直属下级组织的分布
              parameters:
                - {name: metric, in: path, required: true, schema: {type: string}}
                - {name: organization, in: query, schema: {type: string, format: uuid}, description: 默认当前所代表的组织；须在管理范围内}
                - {name: period, in: query, schema: {type: string, pattern: '^(19(49|[5-9][0-9])|20[0-9]{2}|2100)(-(Q[1-4]|0[1-9]|1[0-2]))?$'}, description: 默认当年；yearly 指标只接受整年}
              responses:
                '200': {description: 数值与分布, content: {application/json: {schema: {$ref: '#/components/schemas/MetricBreakdown'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 422, 429))
          /metrics/{metric}/records:
            get:
              summary: 计数类指标所统计的记录（total 等于该指标的数值）；需要该模块查看这些记录的权限
              parameters:
                - {name: metric, in: path, required: true, schema: {type: string}}
                - {name: organization, in: query, schema: {type: string, format: uuid}, description: 默认当前所代表的组织；须在管理范围内}
                - {name: period, in: query, schema: {type: string, pattern: '^(19(49|[5-9][0-9])|20[0-9]{2}|2100)(-(Q[1-4]|0[1-9]|1[0-2]))?$'}, description: 默认当年；yearly 指标只接受整年}
                - {$ref: '#/components/parameters/Page'}
                - {$ref: '#/components/parameters/Per'}
              responses:
                '200': {description: 记录, content: {application/json: {schema: {$ref: '#/components/schemas/MetricRecords'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 422, 429))
          /me:
            get:
              summary: 当前令牌对应的账号、角色与权限
              responses:
                '200': {description: 当前账号, content: {application/json: {schema: {$ref: '#/components/schemas/Me'}}}}
                \(OpenAPIErrors.refs(401, 429))
          /organizations:
            get:
              summary: 列出当前组织及其下级组织
              parameters:
                - {name: q, in: query, schema: {type: string}, description: 名称包含}
                - {name: kind, in: query, schema: {$ref: '#/components/schemas/OrganizationKind'}}
                - {$ref: '#/components/parameters/Page'}
                - {$ref: '#/components/parameters/Per'}
              responses:
                '200': {description: 分页的组织列表, content: {application/json: {schema: {$ref: '#/components/schemas/OrganizationPage'}}}}
                \(OpenAPIErrors.refs(401, 403, 422, 429))
            post:
              summary: 在管理范围内新建组织
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/OrganizationInput'}
              responses:
                '201': {description: 新建的组织, content: {application/json: {schema: {$ref: '#/components/schemas/Organization'}}}}
                \(OpenAPIErrors.refs(401, 403, 413, 422, 429))
          /organizations/{id}:
            parameters:
              - {$ref: '#/components/parameters/Id'}
            get:
              summary: 查看组织（不在管理范围内时返回 404）
              responses:
                '200': {description: 组织, content: {application/json: {schema: {$ref: '#/components/schemas/Organization'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 429))
            patch:
              summary: 修改名称、类型、层级、地区，或移动到新的上级组织
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/OrganizationPatch'}
              responses:
                '200': {description: 修改后的组织, content: {application/json: {schema: {$ref: '#/components/schemas/Organization'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 413, 422, 429))
            delete:
              summary: 停用组织（保留记录；不能停用当前所代表的组织）
              responses:
                '204': {description: 已停用}
                \(OpenAPIErrors.refs(401, 403, 404, 422, 429))
        """
}

/// The error responses of one operation, and the shared components they refer to. Each operation
/// lists exactly the statuses it can answer, in one line of its module's document:
/// `\(OpenAPIErrors.refs(401, 404, 422, 429, codes: [ServiceHallError.Code.trackingNumberUnknown]))`. A status
/// with only the platform's generic codes refers to its component; a status with codes of its own is
/// written out with its `x-codes` (the generic ones and the operation's) and a description naming them.
public enum OpenAPIErrors {
    /// Each error status's component and the platform codes any operation answering it may give. A
    /// conflict is always particular to the operation: one that answers 409 names its codes.
    static let componentList: [(status: Int, name: String, codes: [PlatformError.Code])] = [
        (401, "Unauthorized", [.unauthenticated, .tokenInvalid]),
        (403, "Forbidden", [.forbidden, .readOnlyToken]),
        (404, "NotFound", [.notFound]),
        (405, "MethodNotAllowed", [.methodNotAllowed]),
        (409, "Conflict", []),
        (413, "PayloadTooLarge", [.payloadTooLarge]),
        (422, "InvalidInput", [.invalidInput]),
        (429, "RateLimited", [.rateLimited]),
    ]

    /// The refusals of a workflow step (`WorkflowRuntime`), for operations that perform one.
    public static let workflow: [any KexieErrorCode] = [
        PlatformError.Code.workflowNotPermitted, PlatformError.Code.stateChanged, PlatformError.Code.workflowInvalidState,
        PlatformError.Code.workflowCommentRequired, PlatformError.Code.workflowConditionUnmet,
    ]

    /// Every code the API may answer: the platform's and each module's, once each, in order.
    public static func allCodes(_ modules: [any KexieModule]) -> [ErrorCodeEntry] {
        var seen = Set<String>()
        return (PlatformError.Code.catalog + modules.flatMap(\.errorCodes)).filter { seen.insert($0.code).inserted }
    }

    private static func entry(_ code: any KexieErrorCode) -> ErrorCodeEntry {
        ErrorCodeEntry(code: code.code, status: Int(code.status.code), summary: code.summary)
    }

    private static func description(_ codes: [ErrorCodeEntry]) -> String {
        codes.map { "\($0.summary)（\($0.code)）" }.joined(separator: "；")
    }

    /// YAML single-quoted scalar: the only escape is a doubled quote.
    private static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    private static let errorContent = "{application/json: {schema: {$ref: '#/components/schemas/Error'}}}"

    /// The `components.responses` entries (indented by four spaces).
    static var components: String {
        componentList.map { status, name, codes in
            let entries = codes.map(entry)
            var lines = ["    \(name):"]
            if entries.isEmpty {
                lines.append("      description: 与当前状态冲突（各接口列出自己的代码）")
            } else {
                lines.append("      description: \(quoted(description(entries)))")
                lines.append("      x-codes: [\(entries.map(\.code).joined(separator: ", "))]")
            }
            if status == 405 {
                lines.append("      headers:")
                lines.append(
                    "        Allow: {required: true, description: 可用的方法, schema: {type: string, examples: ['GET, POST, HEAD, OPTIONS']}}")
            }
            lines.append("      content: \(errorContent)")
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// One YAML line per status; continuation lines carry the indentation of a `responses:` entry in the
    /// modules' path documents (their literals close eight spaces in). A status that only `codes` name
    /// is added, so a code never sits under a status it is not answered with.
    public static func refs(_ statuses: Int..., codes: [any KexieErrorCode] = []) -> String {
        let extra = codes.map(entry)
        let all = Set(statuses + extra.map(\.status)).sorted()
        return all.map { status in
            let own = extra.filter { $0.status == status }
            let component = componentList.first { $0.status == status }
            guard !own.isEmpty else { return "'\(status)': {$ref: '#/components/responses/\(component?.name ?? "Error")'}" }
            let entries = (component?.codes ?? []).map(entry) + own
            return "'\(status)': {description: \(quoted(description(entries))), content: \(errorContent), "
                + "x-codes: [\(entries.map(\.code).joined(separator: ", "))]}"
        }.joined(separator: "\n        ")
    }
}
