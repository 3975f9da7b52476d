import Platform

/// The Innovation module's part of /api/openapi.yaml.
enum InnovationOpenAPI {
    private typealias Code = InnovationError.Code

    /// Saving a draft (and with `submit`, submitting it: a workflow step).
    private static let postingCreate: [any KexieErrorCode] =
        [Code.postingNotPermitted, Code.deadlinePassed] + OpenAPIErrors.workflow
    private static let postingUpdate: [any KexieErrorCode] =
        [Code.notPostingOwner, Code.postingNotDraft, Code.deadlinePassed] + OpenAPIErrors.workflow
    private static let postingStep: [any KexieErrorCode] = [Code.deadlinePassed] + OpenAPIErrors.workflow
    private static let dockingPropose: [any KexieErrorCode] = [
        Code.dockingNeedsSupplyAndDemand, Code.dockingWithOwnPosting, Code.stationUnavailable, Code.dockingNotPermitted,
        Code.postingNotPublished, Code.dockingAlreadyOpen,
    ]
    private static let dockingStep: [any KexieErrorCode] =
        [Code.dockingAwaitsOtherSide, Code.dockingNotAwaitingConsent] + OpenAPIErrors.workflow
    private static let matchPush: [any KexieErrorCode] = [Code.pushNotPermitted, Code.postingNotPublished, Code.matchAlreadyPushed]

    /// The query of both published lists.
    static let listParameters = """
                - {name: q, in: query, schema: {type: string}, description: 全文检索（名称、简介、详情、关键词、核心指标、单位、地区），有 q 时按相关度排序}
                - {name: industry, in: query, schema: {$ref: '#/components/schemas/IndustryCode'}}
                - {name: region, in: query, schema: {type: string, examples: [东港市]}, description: 地区包含}
                - {$ref: '#/components/parameters/Page'}
                - {name: per, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 20}, description: 每页条数}
        """

    /// The body of POST /supplies, POST /demands and PUT /postings/{id}.
    static func postingBody(_ schema: String) -> String {
        """
              requestBody:
                required: true
                content:
                  application/json:
                    schema: \(schema)
        """
    }

    static let schemas = """
            IndustryLetter:
              type: string
              enum: [A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T]
              description: 国民经济行业门类（GB/T 4754 字母；也接受门类名称或细类代码如 C36）
            IndustryCode:
              type: string
              pattern: '^([A-Ta-t][0-9]*)?$'
              description: 国民经济行业门类：GB/T 4754 门类字母，可跟细类数字（如 C36）；也接受门类的完整名称（如 制造业）；空为不限或不填
              examples: [C]
            Posting:
              type: object
              description: 一项技术供给或需求。contactPhone 和 confidentialDetail 仅向发布方、审核人员和已接受对接的对方返回，否则不出现
              required: [id, kind, state, stateLabel, title, summary, ownerName, ownerKind, region, cooperationModes, patents, keywords]
              properties:
                id: {type: string, format: uuid}
                kind: {type: string, enum: [supply, demand]}
                state: {type: string, enum: [draft, submitted, published, closed, expired]}
                stateLabel: {type: string, examples: [已发布]}
                title: {type: string}
                summary: {type: string}
                ownerName: {type: string}
                ownerKind: {type: string, enum: [person, society, university, institute, enterprise]}
                industry: {$ref: '#/components/schemas/IndustryLetter'}
                industryName: {type: string, examples: [制造业]}
                region: {type: string}
                readiness: {type: integer, minimum: 1, maximum: 9, description: 技术成熟度}
                cooperationModes: {type: array, items: {$ref: '#/components/schemas/CooperationMode'}}
                patents: {type: array, items: {type: string}}
                keywords: {type: array, items: {type: string}}
                publishedOn: {type: string, format: date}
                deadline: {type: string, format: date, description: 需求的揭榜截止日期}
                budget: {type: number, minimum: 0, description: 需求的预算（万元）}
                indicators: {type: string, description: 需求的核心指标}
                publicDetail: {type: string, description: 单项查询时返回}
                field: {type: string, description: 单项查询时返回}
                ipOwnership: {type: string}
                solverConditions: {type: string}
                contactName: {type: string}
                contactPhone: {type: string}
                confidentialDetail: {type: string}
                actions: {type: array, items: {type: string, enum: [submit, approve, send_back, close, expire]}, description: 携带令牌查询单项时，当前账号还可执行的操作}
            PostingPage:
              type: object
              required: [items, page, per, total]
              properties:
                items: {type: array, items: {$ref: '#/components/schemas/Posting'}}
                page: {type: integer}
                per: {type: integer}
                total: {type: integer}
            CooperationMode:
              type: string
              enum: [transfer, license, joint, equity, service]
              description: 转让、许可、合作开发、作价入股、技术服务
            SupplyInput:
              type: object
              description: 技术供给，与网页表单相同的字段和校验规则。文本首尾空白不计；写 null 等于省略
              required: [title, summary, readiness, cooperationModes, ownerKind, ownerName, region]
              properties:
                title: {type: string, pattern: '\\S[\\s\\S]{2,}\\S', description: 成果名称，4–100 字（超过 100 字的部分不保存）}
                summary: {type: string, pattern: '\\S', description: 成果简介，超过 500 字的部分不保存}
                publicDetail: {type: [string, 'null'], description: 公开详情（需求为问题描述），超过 8000 字的部分不保存}
                confidentialDetail: {type: [string, 'null'], description: 保密内容，只向发布方、审核人员和已接受对接的对方展示；超过 8000 字的部分不保存}
                field: {type: [string, 'null'], description: 学科（GB/T 13745 代码或名称），超过 50 字的部分不保存}
                industry: {anyOf: [{$ref: '#/components/schemas/IndustryCode'}, {type: 'null'}]}
                patents: {type: [array, 'null'], maxItems: 50, items: {type: string, maxLength: 200, examples: [ZL202310012345.6｜发明专利｜已授权]}, description: 知识产权，每项一行}
                keywords: {type: [array, 'null'], items: {type: string}, description: 最多保存 12 个，每个保存前 20 字}
                submit: {type: [boolean, 'null'], description: 保存后立即提交审核}
                readiness:
                  description: 技术成熟度 1–9 级（数或文本）
                  anyOf:
                    - {type: integer, minimum: 1, maximum: 9}
                    - {type: string, pattern: '^[1-9]$'}
                cooperationModes: {type: array, minItems: 1, items: {$ref: '#/components/schemas/CooperationMode'}}
                ownerKind: {type: string, enum: [person, society, university, institute, enterprise]}
                ownerName: {type: string, pattern: '\\S', description: 成果持有人或单位，超过 100 字的部分不保存}
                region: {type: string, pattern: '\\S', examples: [云海省东港市], description: 所在地区，超过 60 字的部分不保存}
                contactName: {type: [string, 'null'], description: 超过 50 字的部分不保存}
                contactPhone: {type: [string, 'null'], pattern: '^([0-9+()-][0-9+() -]{0,29})?$', description: 手机或座机；保密}
            DemandInput:
              type: object
              description: 技术需求（揭榜挂帅），与网页表单相同的字段和校验规则。文本首尾空白不计；写 null 等于省略
              required: [title, summary, ownerName, region, indicators, deadline, contactName, contactPhone]
              properties:
                title: {type: string, pattern: '\\S[\\s\\S]{2,}\\S', description: 需求名称，4–100 字（超过 100 字的部分不保存）}
                summary: {type: string, pattern: '\\S', description: 需要解决的问题概述，超过 500 字的部分不保存}
                publicDetail: {type: [string, 'null'], description: 公开详情（需求为问题描述），超过 8000 字的部分不保存}
                confidentialDetail: {type: [string, 'null'], description: 保密内容，只向发布方、审核人员和已接受对接的对方展示；超过 8000 字的部分不保存}
                field: {type: [string, 'null'], description: 学科（GB/T 13745 代码或名称），超过 50 字的部分不保存}
                industry: {anyOf: [{$ref: '#/components/schemas/IndustryCode'}, {type: 'null'}]}
                patents: {type: [array, 'null'], maxItems: 50, items: {type: string, maxLength: 200, examples: [ZL202310012345.6｜发明专利｜已授权]}, description: 知识产权，每项一行}
                keywords: {type: [array, 'null'], items: {type: string}, description: 最多保存 12 个，每个保存前 20 字}
                submit: {type: [boolean, 'null'], description: 保存后立即提交审核}
                readiness:
                  description: 可接受的最低技术成熟度 1–9 级（数或文本；空为不限）
                  anyOf:
                    - {type: integer, minimum: 1, maximum: 9}
                    - {type: string, pattern: '^([1-9])?$'}
                    - {type: 'null'}
                cooperationModes: {type: [array, 'null'], items: {$ref: '#/components/schemas/CooperationMode'}}
                ownerKind: {type: [string, 'null'], enum: [person, society, university, institute, enterprise, '', null], description: 缺省为 enterprise}
                ownerName: {type: string, pattern: '\\S', description: 需求单位，超过 100 字的部分不保存}
                region: {type: string, pattern: '\\S', examples: [云海省东港市], description: 所在地区，超过 60 字的部分不保存}
                indicators: {type: string, pattern: '\\S', description: 需要达到的核心指标，超过 4000 字的部分不保存}
                deadline: {type: string, format: date, description: 揭榜截止日期，不早于今天}
                budget:
                  description: 预算（万元，数或文本），0 到 1000 万以下；空为面议
                  anyOf:
                    - {type: number, minimum: 0, exclusiveMaximum: 10000000}
                    - {type: string, pattern: '^([0-9]{1,7}(\\.[0-9]{1,4})?)?$'}
                    - {type: 'null'}
                ipOwnership: {type: [string, 'null'], description: 知识产权归属，超过 200 字的部分不保存}
                solverConditions: {type: [string, 'null'], description: 揭榜方条件，超过 2000 字的部分不保存}
                contactName: {type: string, pattern: '\\S', description: 联系人，超过 50 字的部分不保存}
                contactPhone: {type: string, pattern: '^[0-9+()-][0-9+() -]{0,29}$', description: 联系电话（手机或座机）；保密}
            PostingStep:
              type: object
              required: [action]
              properties:
                action: {type: string, enum: [submit, approve, send_back, close]}
                comment: {type: [string, 'null'], description: 退回时必填}
            Match:
              type: object
              required: [id, kind, title, ownerName, region, score, reasons]
              properties:
                id: {type: string, format: uuid}
                kind: {type: string, enum: [supply, demand]}
                title: {type: string}
                ownerName: {type: string}
                region: {type: string}
                industry: {type: string}
                readiness: {type: integer}
                score: {type: number}
                reasons: {type: array, items: {type: string}}
            ExpertMatch:
              type: object
              required: [personId, name, title, employer, organizationName, score, reasons]
              properties:
                personId: {type: string, format: uuid}
                name: {type: string}
                title: {type: string}
                employer: {type: string}
                organizationName: {type: string}
                score: {type: number}
                reasons: {type: array, items: {type: string}}
            Matches:
              type: object
              required: [postingId, kind, items]
              properties:
                postingId: {type: string, format: uuid}
                kind: {type: string, enum: [supply, demand]}
                items: {type: array, items: {$ref: '#/components/schemas/Match'}}
                experts: {type: array, items: {$ref: '#/components/schemas/ExpertMatch'}, description: 仅需求}
            DockingParty:
              type: object
              required: [id, title, ownerName]
              properties:
                id: {type: string, format: uuid}
                title: {type: string}
                ownerName: {type: string}
            DockingState:
              type: string
              enum: [proposed, intention, negotiating, signed, landed, terminated, declined]
            Docking:
              type: object
              required: [id, state, stateLabel, supply, demand, proposedBy, supplyConsented, demandConsented, awaiting, proposedOn, notes]
              properties:
                id: {type: string, format: uuid}
                state: {$ref: '#/components/schemas/DockingState'}
                stateLabel: {type: string}
                supply: {$ref: '#/components/schemas/DockingParty'}
                demand: {$ref: '#/components/schemas/DockingParty'}
                proposedBy: {type: string, enum: [supply, demand, staff]}
                supplyConsented: {type: boolean}
                demandConsented: {type: boolean}
                awaiting: {type: array, items: {type: string, enum: [supply, demand]}, description: 尚待同意的一方}
                proposedOn: {type: string, format: date}
                intentionOn: {type: string, format: date}
                signedOn: {type: string, format: date}
                landedOn: {type: string, format: date}
                closedOn: {type: string, format: date}
                contractAmount: {type: number, description: 合同金额（万元）}
                notes: {type: string}
                stationId: {type: string, format: uuid}
                actions: {type: array, items: {type: string}, description: 单项查询时，当前账号还可执行的操作}
                history:
                  type: array
                  description: 单项查询时的全部进展
                  items:
                    type: object
                    required: [sequence, action, actionLabel, fromState, toState, actorName, at]
                    properties:
                      sequence: {type: integer}
                      action: {type: string}
                      actionLabel: {type: string}
                      fromState: {type: string}
                      toState: {type: string}
                      comment: {type: string}
                      actorName: {type: string}
                      at: {type: string, format: date-time}
            DockingList:
              type: object
              required: [items, total]
              properties:
                items: {type: array, items: {$ref: '#/components/schemas/Docking'}, maxItems: 500}
                total: {type: integer}
            DockingProposal:
              type: object
              required: [supply, demand]
              properties:
                supply: {type: string, format: uuid}
                demand: {type: string, format: uuid}
                note: {type: [string, 'null'], description: 附言，超过 2000 字的部分不保存}
                station: {type: [string, 'null'], format: uuid, description: 经由的科技服务站或专家工作站（须在管理范围内）}
            DockingStep:
              type: object
              required: [action]
              properties:
                action: {type: string, enum: [consent, accept, decline, negotiate, sign, land, terminate, note]}
                comment: {type: [string, 'null'], description: 终止时必填}
                amount:
                  description: 合同金额（万元，数或文本），签约时必填
                  anyOf:
                    - {type: number, minimum: 0, exclusiveMaximum: 10000000}
                    - {type: string, pattern: '^([0-9]{1,7}(\\.[0-9]{1,4})?)?$'}
                    - {type: 'null'}
                date: {type: [string, 'null'], format: date, description: 到达该阶段的日期，缺省为今天；不晚于今天、不早于发起日期}
            BatchDemand:
              type: object
              description: 一项需求，与 kexie match 的输入相同；title 和 description 至少一项有内容
              required: [id]
              anyOf:
                - {required: [title], properties: {title: {type: string, pattern: '\\S'}}}
                - {required: [description], properties: {description: {type: string, pattern: '\\S'}}}
              properties:
                id:
                  description: 在本清单内唯一
                  anyOf:
                    - {type: string, pattern: '\\S'}
                    - {type: number}
                title: {type: [string, 'null']}
                description: {type: [string, 'null']}
                industry: {description: GB/T 4754 门类字母或名称（文本或数；其他类型视为未填）}
                region: {description: 地区（文本或数；其他类型视为未填）}
                field: {description: 学科代码或名称（文本或数；其他类型视为未填）}
                trl: {description: 可接受的最低技术成熟度（文本或数；其他类型视为未填）}
                keywords: {description: 关键词数组（其他类型视为未填）}
            BatchInput:
              type: object
              required: [demands]
              properties:
                name: {type: [string, 'null'], description: 清单名称，出现在批量匹配记录中}
                top: {type: [integer, 'null'], minimum: 1, maximum: 50, default: 10}
                demands: {type: array, minItems: 1, maxItems: 10000, items: {$ref: '#/components/schemas/BatchDemand'}}
            BatchRun:
              type: object
              required: [id, name, state, done, total, startedAt]
              properties:
                id: {type: string, format: uuid}
                name: {type: string}
                state: {type: string, enum: [running, done, failed]}
                done: {type: integer}
                total: {type: integer}
                seconds: {type: number}
                error: {type: string}
                startedAt: {type: string, format: date-time}
                results:
                  type: array
                  description: 完成后才有：每项需求一条，顺序同提交的清单；与 kexie match 的输出相同（supply 为供给的 id）
                  items:
                    type: object
                    required: [demand, matches]
                    properties:
                      demand: {type: [string, integer, number]}
                      matches:
                        type: array
                        items:
                          type: object
                          required: [supply, score, reasons]
                          properties:
                            supply: {type: [string, integer, number]}
                            score: {type: number}
                            reasons: {type: array, items: {type: string}}
            BatchRunList:
              type: object
              required: [items]
              properties:
                items: {type: array, items: {$ref: '#/components/schemas/BatchRun'}, maxItems: 20}
            PushInput:
              type: object
              required: [demand, supply]
              properties:
                demand: {type: string, format: uuid}
                supply: {type: string, format: uuid}
            Push:
              type: object
              required: [id, demand, supply, score, reasons, pushedOn]
              properties:
                id: {type: string, format: uuid}
                demand: {type: string, format: uuid}
                supply: {type: string, format: uuid}
                score: {type: number}
                reasons: {type: array, items: {type: string}}
                pushedOn: {type: string, format: date}
            StationKind:
              type: string
              enum: [service_station, expert_workstation]
              description: 学会科技服务站、院士专家工作站
            StationInput:
              type: object
              required: [kind, name, hostName, hostKind, experts, validFrom, validUntil, region]
              properties:
                kind: {$ref: '#/components/schemas/StationKind'}
                name: {type: string, pattern: '\\S[\\s\\S]{2,}\\S', description: 4–100 字（超过 100 字的部分不保存）}
                hostName: {type: string, minLength: 1, pattern: '\\S', description: 依托单位，不超过 100 字}
                hostKind: {type: string, enum: [enterprise, village, hospital, park, university, other]}
                experts: {type: array, minItems: 1, items: {type: string, pattern: '\\S'}, description: 每项一位专家（保存前 100 字）；最多保存 200 位}
                validFrom: {type: string, format: date}
                validUntil: {type: string, format: date, description: 不早于 validFrom}
                region: {type: string, minLength: 1, pattern: '\\S', description: 不超过 60 字}
            StationActivity:
              type: object
              required: [id, kind, heldOn, title, participants, notes]
              properties:
                id: {type: string, format: uuid}
                kind: {type: string, enum: [visit, training, problem]}
                heldOn: {type: string, format: date}
                title: {type: string}
                participants: {type: integer, minimum: 0}
                notes: {type: string}
            StationYear:
              type: object
              required: [year, visits, trainings, problemsSolved, participants, dockings, signed, contractAmount]
              properties:
                year: {type: integer}
                visits: {type: integer}
                trainings: {type: integer}
                problemsSolved: {type: integer}
                participants: {type: integer}
                dockings: {type: integer}
                signed: {type: integer}
                contractAmount: {type: number}
            Station:
              type: object
              required: [id, kind, kindLabel, name, hostName, hostKind, organizationID, experts, validFrom, validUntil, expired, region]
              properties:
                id: {type: string, format: uuid}
                kind: {$ref: '#/components/schemas/StationKind'}
                kindLabel: {type: string}
                name: {type: string}
                hostName: {type: string}
                hostKind: {type: string, enum: [enterprise, village, hospital, park, university, other]}
                organizationID: {type: string, format: uuid}
                experts: {type: array, items: {type: string}}
                validFrom: {type: string, format: date}
                validUntil: {type: string, format: date}
                expired: {type: boolean}
                region: {type: string}
                activities: {type: array, items: {$ref: '#/components/schemas/StationActivity'}, description: 单项查询时返回（最新在前）}
                dockings:
                  type: array
                  description: 单项查询时返回：经由本站的对接
                  items:
                    type: object
                    required: [id, supply, demand, state, proposedOn]
                    properties:
                      id: {type: string, format: uuid}
                      supply: {type: string, format: uuid}
                      demand: {type: string, format: uuid}
                      state: {$ref: '#/components/schemas/DockingState'}
                      proposedOn: {type: string, format: date}
                      contractAmount: {type: number}
                years: {type: array, items: {$ref: '#/components/schemas/StationYear'}, description: 单项查询时返回：今年和前两年}
            StationList:
              type: object
              required: [items]
              properties:
                items: {type: array, items: {$ref: '#/components/schemas/Station'}}
            ActivityInput:
              type: object
              required: [kind, heldOn, title]
              properties:
                kind: {type: string, enum: [visit, training, problem], description: 专家服务、培训、解决技术难题}
                heldOn: {type: string, format: date, description: 不晚于今天}
                title: {type: string, pattern: '\\S[\\s\\S]*\\S', description: 2–200 字（超过 200 字的部分不保存）}
                participants: {type: [integer, 'null'], minimum: 0, maximum: 100000}
                notes: {type: [string, 'null'], description: 超过 2000 字的部分不保存}
            FiguresBreakdown:
              type: object
              required: [name, supplies, demands, dockings, signed, amount]
              properties:
                name: {type: string}
                supplies: {type: integer}
                demands: {type: integer}
                dockings: {type: integer}
                signed: {type: integer}
                amount: {type: number, description: 合同金额（万元）}
            InnovationFigures:
              type: object
              required: [year, suppliesPublished, demandsPublished, pushes, dockingsByState, signed, landed, contractAmount, byRegion, byIndustry, bySociety]
              properties:
                year: {type: integer}
                suppliesPublished: {type: integer}
                demandsPublished: {type: integer}
                pushes: {type: integer}
                dockingsByState: {type: object, additionalProperties: {type: integer}, description: 对接阶段 → 数量}
                signed: {type: integer}
                landed: {type: integer}
                contractAmount: {type: number}
                byRegion: {type: array, items: {$ref: '#/components/schemas/FiguresBreakdown'}}
                byIndustry: {type: array, items: {$ref: '#/components/schemas/FiguresBreakdown'}}
                bySociety: {type: array, items: {$ref: '#/components/schemas/FiguresBreakdown'}}
        """

    static let paths = """
          /supplies:
            get:
              summary: 已发布的技术供给（无需令牌；不含保密内容）
              security: [{}, {bearer: []}]
              parameters:
        \(listParameters)
              responses:
                '200': {description: 分页的供给列表（不含单项才有的字段）, content: {application/json: {schema: {$ref: '#/components/schemas/PostingPage'}}}}
                \(OpenAPIErrors.refs(401, 422, 429))
            post:
              summary: 发布技术供给（保存为草稿，submit 为 true 时同时提交审核；科技工作者、专家和科协工作人员）
        \(postingBody("{$ref: '#/components/schemas/SupplyInput'}"))
              responses:
                '201': {description: 新建的供给（含保密内容）, content: {application/json: {schema: {$ref: '#/components/schemas/Posting'}}}}
                \(OpenAPIErrors.refs(401, 403, 413, 422, 429, codes: postingCreate))
          /demands:
            get:
              summary: 已发布的技术需求（揭榜挂帅；无需令牌；不含保密内容和联系电话）
              security: [{}, {bearer: []}]
              parameters:
        \(listParameters)
              responses:
                '200': {description: 分页的需求列表, content: {application/json: {schema: {$ref: '#/components/schemas/PostingPage'}}}}
                \(OpenAPIErrors.refs(401, 422, 429))
            post:
              summary: 发布技术需求（企业用户和科协工作人员）
        \(postingBody("{$ref: '#/components/schemas/DemandInput'}"))
              responses:
                '201': {description: 新建的需求（含保密内容）, content: {application/json: {schema: {$ref: '#/components/schemas/Posting'}}}}
                \(OpenAPIErrors.refs(401, 403, 413, 422, 429, codes: postingCreate))
          /supplies/{id}:
            get:
              summary: 一项技术供给。已发布的无需令牌；草稿和待审核的只向发布方和审核人员展示
              security: [{}, {bearer: []}]
              parameters:
                - {$ref: '#/components/parameters/Id'}
              responses:
                '200': {description: 供给, content: {application/json: {schema: {$ref: '#/components/schemas/Posting'}}}}
                \(OpenAPIErrors.refs(401, 404, 429))
          /demands/{id}:
            get:
              summary: 一项技术需求（规则同 /supplies/{id}）
              security: [{}, {bearer: []}]
              parameters:
                - {$ref: '#/components/parameters/Id'}
              responses:
                '200': {description: 需求, content: {application/json: {schema: {$ref: '#/components/schemas/Posting'}}}}
                \(OpenAPIErrors.refs(401, 404, 429))
          /supplies/{id}/matches:
            get:
              summary: 为这项供给匹配的已发布需求（按得分排序，附匹配理由；仅发布方和审核人员）
              parameters:
                - {$ref: '#/components/parameters/Id'}
                - {name: top, in: query, schema: {type: integer, minimum: 1, maximum: 50, default: 10}}
              responses:
                '200': {description: 匹配结果, content: {application/json: {schema: {$ref: '#/components/schemas/Matches'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 422, 429, codes: [Code.matchesNotVisible]))
          /demands/{id}/matches:
            get:
              summary: 为这项需求匹配的已发布供给和专家（仅发布方和审核人员）
              parameters:
                - {$ref: '#/components/parameters/Id'}
                - {name: top, in: query, schema: {type: integer, minimum: 1, maximum: 50, default: 10}}
              responses:
                '200': {description: 匹配结果（含 experts）, content: {application/json: {schema: {$ref: '#/components/schemas/Matches'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 422, 429, codes: [Code.matchesNotVisible]))
          /postings/{id}:
            put:
              summary: 修改草稿（含被退回的）；字段同 POST /supplies 或 POST /demands（按草稿的种类），未给出的字段清空；submit 为 true 时同时提交审核
              parameters:
                - {$ref: '#/components/parameters/Id'}
        \(postingBody("{anyOf: [{$ref: '#/components/schemas/SupplyInput'}, {$ref: '#/components/schemas/DemandInput'}]}"))
              responses:
                '200': {description: 修改后的供给或需求, content: {application/json: {schema: {$ref: '#/components/schemas/Posting'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 409, 413, 422, 429, codes: postingUpdate))
          /postings/{id}/steps:
            post:
              summary: 审核流程的一步：submit（发布方提交）、approve（审核通过并发布）、send_back（退回，须写理由）、close（关闭）
              parameters:
                - {$ref: '#/components/parameters/Id'}
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/PostingStep'}
              responses:
                '200': {description: 操作后的供给或需求（actions 为当前还可执行的操作）, content: {application/json: {schema: {$ref: '#/components/schemas/Posting'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 409, 413, 422, 429, codes: postingStep))
          /dockings:
            get:
              summary: 当前账号参与的对接（科协工作人员另见管理范围内的），最新在前，最多 500 条
              parameters:
                - {name: state, in: query, schema: {type: string, enum: [proposed, intention, negotiating, signed, landed, terminated, declined, '']}, description: 对接阶段；空为不限}
              responses:
                '200': {description: 对接列表（不含 actions 和 history）, content: {application/json: {schema: {$ref: '#/components/schemas/DockingList'}}}}
                \(OpenAPIErrors.refs(401, 422, 429))
            post:
              summary: 发起对接（供给方、需求方，或审核双方的科协工作人员；双方均须已发布）
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/DockingProposal'}
              responses:
                '201': {description: 新的对接, content: {application/json: {schema: {$ref: '#/components/schemas/Docking'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 409, 413, 422, 429, codes: dockingPropose))
          /dockings/{id}:
            get:
              summary: 一项对接及其全部进展
              parameters:
                - {$ref: '#/components/parameters/Id'}
              responses:
                '200': {description: 对接, content: {application/json: {schema: {$ref: '#/components/schemas/Docking'}}}}
                \(OpenAPIErrors.refs(401, 404, 429))
          /dockings/{id}/steps:
            post:
              summary: 对接的一步：accept（对方接受；科协发起的须双方都接受）、decline、negotiate、sign（须写合同金额）、land、terminate（须写原因）、note
              parameters:
                - {$ref: '#/components/parameters/Id'}
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/DockingStep'}
              responses:
                '200': {description: 操作后的对接, content: {application/json: {schema: {$ref: '#/components/schemas/Docking'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 409, 413, 422, 429, codes: dockingStep))
          /match-batches:
            get:
              summary: 本账号发起的对接会批量匹配（最近 20 次，最新在前；不含结果；需 innovation.review 权限）
              responses:
                '200': {description: 批量匹配记录, content: {application/json: {schema: {$ref: '#/components/schemas/BatchRunList'}}}}
                \(OpenAPIErrors.refs(401, 403, 429))
            post:
              summary: 对接会批量匹配：提交一批需求，在后台与全部已发布的技术供给匹配（需 innovation.review 权限；请求体不超过 24 MB）
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/BatchInput'}
              responses:
                '202':
                  description: 已开始（state 为 running）
                  headers:
                    Location: {required: true, description: 查询进度的地址, schema: {type: string}}
                  content: {application/json: {schema: {$ref: '#/components/schemas/BatchRun'}}}
                \(OpenAPIErrors.refs(401, 403, 413, 422, 429))
          /match-batches/{id}:
            get:
              summary: 一次批量匹配的进度；完成后 results 与 kexie match 的输出相同（只对发起的账号可见）
              parameters:
                - {$ref: '#/components/parameters/Id'}
              responses:
                '200': {description: 进度与结果, content: {application/json: {schema: {$ref: '#/components/schemas/BatchRun'}}}}
                \(OpenAPIErrors.refs(401, 404, 429))
          /match-batches/{id}/result.xlsx:
            get:
              summary: 完成后的匹配结果表（Excel），与网页下载的相同
              parameters:
                - {$ref: '#/components/parameters/Id'}
              responses:
                '200':
                  description: XLSX 文件
                  content: {application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: {schema: {type: string, format: binary}}}
                \(OpenAPIErrors.refs(401, 404, 429))
          /match-pushes:
            post:
              summary: 推送匹配：把一项已发布的技术供给推荐给一项已发布的需求，双方都收到站内信（需 innovation.review 权限，且审核其中一方）
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/PushInput'}
              responses:
                '201': {description: 推送记录, content: {application/json: {schema: {$ref: '#/components/schemas/Push'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 409, 413, 422, 429, codes: matchPush))
          /stations:
            get:
              summary: 本级及下级的学会科技服务站和院士专家工作站（需 innovation.stations 权限）
              parameters:
                - {name: kind, in: query, schema: {$ref: '#/components/schemas/StationKind'}}
                - {name: q, in: query, schema: {type: string}, description: 名称、依托单位或进站专家包含}
              responses:
                '200': {description: 工作站列表, content: {application/json: {schema: {$ref: '#/components/schemas/StationList'}}}}
                \(OpenAPIErrors.refs(401, 403, 422, 429))
            post:
              summary: 登记工作站，归属当前所在组织（与网页相同的校验；需 innovation.stations 权限）
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/StationInput'}
              responses:
                '201':
                  description: 登记后的工作站
                  headers:
                    Location: {required: true, description: 工作站的地址, schema: {type: string}}
                  content: {application/json: {schema: {$ref: '#/components/schemas/Station'}}}
                \(OpenAPIErrors.refs(401, 403, 413, 422, 429))
          /stations/{id}:
            get:
              summary: 一个工作站：进站专家、有效期、活动记录、经由它的对接，以及今年和前两年的年度数据
              parameters:
                - {$ref: '#/components/parameters/Id'}
              responses:
                '200': {description: 工作站, content: {application/json: {schema: {$ref: '#/components/schemas/Station'}}}}
                \(OpenAPIErrors.refs(401, 404, 429))
          /stations/{id}/activities:
            post:
              summary: 登记一次活动（专家服务、培训、解决技术难题）
              parameters:
                - {$ref: '#/components/parameters/Id'}
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/ActivityInput'}
              responses:
                '201': {description: 登记的活动, content: {application/json: {schema: {$ref: '#/components/schemas/StationActivity'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 413, 422, 429))
          /innovation/figures:
            get:
              summary: 本级及下级一年的科创对接统计，与统计页相同（需 innovation.figures 权限）
              parameters:
                - {name: year, in: query, schema: {type: integer, minimum: 2000}, description: 缺省为今年；2000 年到今年}
              responses:
                '200': {description: 统计, content: {application/json: {schema: {$ref: '#/components/schemas/InnovationFigures'}}}}
                \(OpenAPIErrors.refs(401, 403, 422, 429))
        """
}
