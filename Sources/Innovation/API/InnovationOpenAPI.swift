/// The Innovation module's part of /api/openapi.yaml.
enum InnovationOpenAPI {
    /// The query of both published lists.
    static let listParameters = """
                - {name: q, in: query, schema: {type: string}, description: 全文检索（名称、简介、详情、关键词、核心指标、单位、地区），有 q 时按相关度排序}
                - {name: industry, in: query, schema: {type: string, examples: [C]}, description: 国民经济行业门类（GB/T 4754 字母，也可写名称）}
                - {name: region, in: query, schema: {type: string, examples: [东港市]}, description: 地区包含}
                - {name: page, in: query, schema: {type: integer, minimum: 1}}
                - {name: per, in: query, schema: {type: integer, minimum: 1, maximum: 100}, description: 每页条数，默认 20（也可写 per_page）}
        """

    /// The body of POST /supplies, POST /demands and PUT /postings/{id}.
    static let postingBody = """
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      description: 与网页表单相同的字段和校验规则
                      properties:
                        title: {type: string, minLength: 4, maxLength: 100}
                        summary: {type: string, maxLength: 500}
                        publicDetail: {type: string, description: 公开详情（需求为问题描述）}
                        confidentialDetail: {type: string, description: 保密内容：只向发布方、审核人员和已接受对接的对方展示}
                        field: {type: string, description: 学科（GB/T 13745 代码或名称）}
                        industry: {type: string, description: 行业门类（GB/T 4754 字母或名称）}
                        readiness: {type: [integer, string], minimum: 1, maximum: 9, description: 技术成熟度；供给必填，需求为可接受的最低等级}
                        patents: {type: array, items: {type: string, examples: [ZL202310012345.6｜发明专利｜已授权]}}
                        cooperationModes: {type: array, items: {type: string, enum: [transfer, license, joint, equity, service]}, description: 供给至少一种}
                        ownerKind: {type: string, enum: [person, society, university, institute, enterprise], description: 需求缺省为 enterprise}
                        ownerName: {type: string}
                        region: {type: string, examples: [云海省东港市]}
                        keywords: {type: array, items: {type: string}, maxItems: 12}
                        indicators: {type: string, description: 核心指标（需求必填）}
                        deadline: {type: string, format: date, description: 揭榜截止日期（需求必填，不早于今天）}
                        budget: {type: [number, string], minimum: 0, description: 预算（万元）}
                        ipOwnership: {type: string}
                        solverConditions: {type: string}
                        contactName: {type: string, description: 需求必填}
                        contactPhone: {type: string, description: 需求必填；保密}
                        submit: {type: boolean, description: 保存后立即提交审核}
        """

    static let postingResponse = """
        '{"id", "kind", "state", "stateLabel", "title", "summary", "ownerName", "ownerKind", "industry", "industryName", "region", "readiness", "cooperationModes", "patents", "keywords", "publishedOn", "deadline", "budget", "indicators", "publicDetail", "field", "ipOwnership", "solverConditions", "contactName", "contactPhone", "confidentialDetail", "actions"}；contactPhone 和 confidentialDetail 仅向发布方、审核人员和已接受对接的对方返回，否则不出现'
        """

    static let dockingResponse = """
        '{"id", "state", "stateLabel", "supply": {"id", "title", "ownerName"}, "demand": {…}, "proposedBy": "supply|demand|staff", "supplyConsented", "demandConsented", "awaiting", "proposedOn", "intentionOn", "signedOn", "landedOn", "closedOn", "contractAmount", "notes", "stationId", "actions", "history": [{"sequence", "action", "actionLabel", "fromState", "toState", "comment", "actorName", "at"}]}'
        """

    static let paths = """
          /supplies:
            get:
              summary: 已发布的技术供给（无需令牌；不含保密内容）
              security: [{}, {bearer: []}]
              parameters:
        \(listParameters)
              responses:
                '200': {description: '{"items": [{"id", "kind", "state", "title", "summary", "ownerName", "ownerKind", "industry", "industryName", "region", "readiness", "cooperationModes", "patents", "keywords", "publishedOn"}], "page", "per", "total"}'}
                '422': {$ref: '#/components/responses/Error'}
            post:
              summary: 发布技术供给（保存为草稿，submit 为 true 时同时提交审核；科技工作者、专家和科协工作人员）
        \(postingBody)
              responses:
                '201': {description: \(postingResponse)}
                '401': {$ref: '#/components/responses/Error'}
                '403': {$ref: '#/components/responses/Error'}
                '422': {description: '内容未通过检查：{"error": {"code": "platform.invalid_input", "message", "field", "fields": {字段: 中文说明}}}'}
          /demands:
            get:
              summary: 已发布的技术需求（揭榜挂帅；无需令牌；不含保密内容和联系电话）
              security: [{}, {bearer: []}]
              parameters:
        \(listParameters)
              responses:
                '200': {description: 同 /supplies，另有 deadline、budget（万元）、indicators}
                '422': {$ref: '#/components/responses/Error'}
            post:
              summary: 发布技术需求（企业用户和科协工作人员）
        \(postingBody)
              responses:
                '201': {description: 新建的需求（含保密内容）}
                '401': {$ref: '#/components/responses/Error'}
                '403': {$ref: '#/components/responses/Error'}
                '422': {description: 同 POST /supplies}
          /supplies/{id}:
            get:
              summary: 一项技术供给。已发布的无需令牌；草稿和待审核的只向发布方和审核人员展示
              security: [{}, {bearer: []}]
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
              responses:
                '200': {description: \(postingResponse)}
                '404': {$ref: '#/components/responses/Error'}
          /demands/{id}:
            get:
              summary: 一项技术需求（规则同 /supplies/{id}）
              security: [{}, {bearer: []}]
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
              responses:
                '200': {description: 需求（字段同供给）}
                '404': {$ref: '#/components/responses/Error'}
          /supplies/{id}/matches:
            get:
              summary: 为这项供给匹配的已发布需求（按得分排序，附匹配理由；仅发布方和审核人员）
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
                - {name: top, in: query, schema: {type: integer, minimum: 1, maximum: 50, default: 10}}
              responses:
                '200': {description: '{"postingId", "kind", "items": [{"id", "kind", "title", "ownerName", "region", "industry", "readiness", "score", "reasons": [中文理由]}]}'}
                '401': {$ref: '#/components/responses/Error'}
                '403': {$ref: '#/components/responses/Error'}
                '404': {$ref: '#/components/responses/Error'}
          /demands/{id}/matches:
            get:
              summary: 为这项需求匹配的已发布供给和专家（仅发布方和审核人员）
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
                - {name: top, in: query, schema: {type: integer, minimum: 1, maximum: 50, default: 10}}
              responses:
                '200': {description: '同 /supplies/{id}/matches，另有 "experts": [{"personId", "name", "title", "employer", "organizationName", "score", "reasons"}]'}
                '401': {$ref: '#/components/responses/Error'}
                '403': {$ref: '#/components/responses/Error'}
                '404': {$ref: '#/components/responses/Error'}
          /postings/{id}:
            put:
              summary: 修改草稿（含被退回的）；字段同 POST /supplies，未给出的字段清空；submit 为 true 时同时提交审核
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
        \(postingBody)
              responses:
                '200': {description: 修改后的供给或需求}
                '403': {$ref: '#/components/responses/Error'}
                '404': {$ref: '#/components/responses/Error'}
                '409': {description: 已提交或已发布的不能修改}
                '422': {description: 同 POST /supplies}
          /postings/{id}/steps:
            post:
              summary: 审核流程的一步：submit（发布方提交）、approve（审核通过并发布）、send_back（退回，须写理由）、close（关闭）
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [action]
                      properties:
                        action: {type: string, enum: [submit, approve, send_back, close]}
                        comment: {type: string}
              responses:
                '200': {description: 操作后的供给或需求（actions 为当前还可执行的操作）}
                '403': {$ref: '#/components/responses/Error'}
                '404': {$ref: '#/components/responses/Error'}
                '409': {$ref: '#/components/responses/Error'}
                '422': {$ref: '#/components/responses/Error'}
          /dockings:
            get:
              summary: 当前账号参与的对接（科协工作人员另见管理范围内的），最新在前，最多 500 条
              parameters:
                - {name: state, in: query, schema: {type: string, enum: [proposed, intention, negotiating, signed, landed, terminated, declined]}}
              responses:
                '200': {description: '{"items": [对接，不含 actions 和 history], "total"}'}
                '401': {$ref: '#/components/responses/Error'}
                '422': {$ref: '#/components/responses/Error'}
            post:
              summary: 发起对接（供给方、需求方，或审核双方的科协工作人员；双方均须已发布）
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [supply, demand]
                      properties:
                        supply: {type: string, format: uuid}
                        demand: {type: string, format: uuid}
                        note: {type: string, maxLength: 2000}
                        station: {type: string, format: uuid, description: 经由的科技服务站或专家工作站}
              responses:
                '201': {description: \(dockingResponse)}
                '403': {$ref: '#/components/responses/Error'}
                '404': {$ref: '#/components/responses/Error'}
                '409': {description: 这对供需已有进行中的对接，或尚未发布}
                '422': {$ref: '#/components/responses/Error'}
          /dockings/{id}:
            get:
              summary: 一项对接及其全部进展
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
              responses:
                '200': {description: \(dockingResponse)}
                '404': {$ref: '#/components/responses/Error'}
          /dockings/{id}/steps:
            post:
              summary: 对接的一步：accept（对方接受；科协发起的须双方都接受）、decline、negotiate、sign（须写合同金额）、land、terminate（须写原因）、note
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [action]
                      properties:
                        action: {type: string, enum: [accept, decline, negotiate, sign, land, terminate, note]}
                        comment: {type: string}
                        amount: {type: [number, string], minimum: 0, description: 合同金额（万元），签约时必填}
                        date: {type: string, format: date, description: 到达该阶段的日期，缺省为今天}
              responses:
                '200': {description: 操作后的对接}
                '403': {description: 不是该由您执行的操作（例如发起方接受自己的邀请）}
                '404': {$ref: '#/components/responses/Error'}
                '409': {$ref: '#/components/responses/Error'}
                '422': {$ref: '#/components/responses/Error'}
          /match-batches:
            get:
              summary: 本账号发起的对接会批量匹配（最近 20 次，最新在前；不含结果）
              responses:
                '200': {description: '{"items": [批量匹配]}'}
                '403': {$ref: '#/components/responses/Error'}
            post:
              summary: 对接会批量匹配：提交一批需求，在后台与全部已发布的技术供给匹配（需 innovation.review 权限）
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [demands]
                      properties:
                        name: {type: string, description: 清单名称，出现在批量匹配记录中}
                        top: {type: integer, minimum: 1, maximum: 50, default: 10}
                        demands:
                          type: array
                          minItems: 1
                          maxItems: 10000
                          items:
                            type: object
                            required: [id]
                            properties:
                              id: {type: [string, integer], description: 在本清单内唯一}
                              title: {type: string}
                              description: {type: string, description: title 和 description 至少填一项}
                              industry: {type: string, description: GB/T 4754 门类字母或名称}
                              region: {type: string}
              responses:
                '202': {description: '已开始：{"id", "name", "state": "running", "done", "total", "startedAt"}；Location 指向查询地址'}
                '403': {$ref: '#/components/responses/Error'}
                '422': {$ref: '#/components/responses/Error'}
          /match-batches/{id}:
            get:
              summary: 一次批量匹配的进度；完成后 results 与 kexie match 的输出相同（supply 为供给的 id）
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
              responses:
                '200': {description: '{"id", "name", "state": "running"|"done"|"failed", "done", "total", "seconds", "error", "startedAt", "results": [{"demand", "matches": [{"supply", "score", "reasons"}]}]}'}
                '404': {$ref: '#/components/responses/Error'}
          /match-batches/{id}/result.xlsx:
            get:
              summary: 完成后的匹配结果表（Excel），与网页下载的相同
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
              responses:
                '200': {description: XLSX 文件}
                '404': {$ref: '#/components/responses/Error'}
          /match-pushes:
            post:
              summary: 推送匹配：把一项已发布的技术供给推荐给一项已发布的需求，双方都收到站内信（需 innovation.review 权限，且审核其中一方）
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [demand, supply]
                      properties:
                        demand: {type: string, format: uuid}
                        supply: {type: string, format: uuid}
              responses:
                '201': {description: '{"id", "demand", "supply", "score", "reasons": [匹配理由], "pushedOn"}'}
                '403': {$ref: '#/components/responses/Error'}
                '404': {$ref: '#/components/responses/Error'}
                '409': {description: 这对供需已经推送过，或其中一方尚未发布}
                '422': {$ref: '#/components/responses/Error'}
          /stations:
            get:
              summary: 本级及下级的学会科技服务站和院士专家工作站（需 innovation.stations 权限）
              parameters:
                - {name: kind, in: query, schema: {type: string, enum: [service_station, expert_workstation]}}
                - {name: q, in: query, schema: {type: string}, description: 名称、依托单位或进站专家包含}
              responses:
                '200': {description: '{"items": [工作站]}'}
                '403': {$ref: '#/components/responses/Error'}
                '422': {$ref: '#/components/responses/Error'}
            post:
              summary: 登记工作站，归属当前所在组织（与网页相同的校验）
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [kind, name, hostName, hostKind, experts, validFrom, validUntil, region]
                      properties:
                        kind: {type: string, enum: [service_station, expert_workstation]}
                        name: {type: string, minLength: 4, maxLength: 100}
                        hostName: {type: string, description: 依托单位}
                        hostKind: {type: string, enum: [enterprise, village, hospital, park, university, other]}
                        experts: {type: array, minItems: 1, items: {type: string, examples: [王建国 研究员 云海省热带农业科学院]}}
                        validFrom: {type: string, format: date}
                        validUntil: {type: string, format: date}
                        region: {type: string}
              responses:
                '201': {description: 登记后的工作站}
                '403': {$ref: '#/components/responses/Error'}
                '422': {$ref: '#/components/responses/Error'}
          /stations/{id}:
            get:
              summary: 一个工作站：进站专家、有效期、活动记录、经由它的对接，以及今年和前两年的年度数据
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
              responses:
                '200': {description: '{"id", "kind", "name", "hostName", "hostKind", "experts", "validFrom", "validUntil", "expired", "region", "activities", "dockings", "years": [{"year", "visits", "trainings", "problemsSolved", "participants", "dockings", "signed", "contractAmount"}]}'}
                '404': {$ref: '#/components/responses/Error'}
          /stations/{id}/activities:
            post:
              summary: 登记一次活动（专家服务、培训、解决技术难题）
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [kind, heldOn, title]
                      properties:
                        kind: {type: string, enum: [visit, training, problem]}
                        heldOn: {type: string, format: date, description: 不晚于今天}
                        title: {type: string, maxLength: 200}
                        participants: {type: integer, minimum: 0, maximum: 100000}
                        notes: {type: string, maxLength: 2000}
              responses:
                '201': {description: 登记的活动}
                '404': {$ref: '#/components/responses/Error'}
                '422': {$ref: '#/components/responses/Error'}
          /innovation/figures:
            get:
              summary: 本级及下级一年的科创对接统计，与统计页相同（需 innovation.figures 权限）
              parameters:
                - {name: year, in: query, schema: {type: integer, minimum: 2000}, description: 缺省为今年；不能晚于今年}
              responses:
                '200': {description: '{"year", "suppliesPublished", "demandsPublished", "pushes", "dockingsByState": {阶段: 数量}, "signed", "landed", "contractAmount", "byRegion", "byIndustry", "bySociety": [{"name", "supplies", "demands", "dockings", "signed", "amount"}]}'}
                '403': {$ref: '#/components/responses/Error'}
                '422': {$ref: '#/components/responses/Error'}
        """
}
