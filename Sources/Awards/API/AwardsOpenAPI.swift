import Platform

/// The Awards part of /api/openapi.yaml.
enum AwardsOpenAPI {
    private typealias Code = AwardsError.Code

    private static let applyCodes: [any KexieErrorCode] = [
        Code.ineligibleAge, Code.ineligibleSex, Code.ineligibleDegree, Code.ineligibleTitleLevel, Code.ineligibleRegion,
        Code.ineligibleMembership, Code.ineligibleLaureate, Code.applicationsClosed, Code.alreadyApplied,
    ]
    private static let nominateCodes: [any KexieErrorCode] = [
        Code.quotaExceeded, Code.alreadyNominated, Code.notAChannel, Code.stageClosed, Code.refereesRequired,
    ]

    static let paths = """
          /award-programs:
            get:
              summary: 本单位及下级单位组织的评选项目（奖项、人才举荐、竞赛、职称评审），按年度倒序，每页 per 个（默认 50）
              parameters:
                - {name: year, in: query, schema: {type: integer, minimum: 2000, maximum: 2100}}
                - {$ref: '#/components/parameters/Page'}
                - {$ref: '#/components/parameters/Per'}
              responses:
                '200': {description: 评选项目, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/AwardProgram'}}}}}
                \(OpenAPIErrors.refs(401, 422, 429))
            post:
              summary: 新建评选项目（需 awards.manage；主办单位为当前身份所在单位；推荐渠道须为本单位或下级组织）。未给出的日期、名额和评审设置取默认值
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/AwardProgramInput'}
              responses:
                '201': {description: 已创建并开放申报, content: {application/json: {schema: {$ref: '#/components/schemas/AwardCreated'}}}}
                \(OpenAPIErrors.refs(401, 403, 413, 422, 429))
          /award-programs/{id}:
            get:
              summary: 一个评选项目（含推荐渠道的名额和已用数）
              parameters:
                - {$ref: '#/components/parameters/Id'}
              responses:
                '200': {description: 评选项目, content: {application/json: {schema: {$ref: '#/components/schemas/AwardProgram'}}}}
                \(OpenAPIErrors.refs(401, 404, 429))
          /award-programs/{id}/applications:
            get:
              summary: 项目的申报（需 awards.manage，项目主办单位在本单位及下级单位，否则 404），每页 per 条（默认 50）
              parameters:
                - {$ref: '#/components/parameters/Id'}
                - {name: status, in: query, schema: {type: string, enum: [submitted, nominated, returned, passed, rejected, proposed, not_selected, awarded, withdrawn]}}
                - {$ref: '#/components/parameters/Page'}
                - {$ref: '#/components/parameters/Per'}
              responses:
                '200': {description: 申报, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/AwardApplication'}}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 422, 429))
            post:
              summary: 申报。personId 为本人或（推荐、管理人员）本单位及下级单位的科技工作者。不符合申报条件时 422，error.field 为条件（age、sex、degree、titleLevel、region、membership、laureate），代码 awards.ineligible_*；年龄按出生年月计算，计算日所在月出生的视为已满该周岁
              parameters:
                - {$ref: '#/components/parameters/Id'}
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/AwardApplicationInput'}
              responses:
                '201': {description: 已申报, content: {application/json: {schema: {$ref: '#/components/schemas/AwardApplicationCreated'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 409, 413, 422, 429, codes: applyCodes))
          /nominations:
            post:
              summary: 推荐渠道推荐一项申报（需 awards.nominate，推荐单位在本单位及下级单位）。超过渠道名额时 409 awards.quota_exceeded；名额在并发推荐时也不会超出
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/NominationInput'}
              responses:
                '201': {description: 已推荐, content: {application/json: {schema: {$ref: '#/components/schemas/NominationCreated'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 409, 413, 422, 429, codes: nominateCodes))
          /award-applications/{id}/check:
            post:
              summary: 形式审查（需 awards.manage，项目主办单位在本单位及下级单位）：通过、退回修改（写明需修改的内容）或不通过，在形式审查截止日期前
              parameters:
                - {$ref: '#/components/parameters/Id'}
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/FormalCheckInput'}
              responses:
                '200': {description: 审查后的状态, content: {application/json: {schema: {$ref: '#/components/schemas/AwardApplicationCreated'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 409, 413, 422, 429, codes: [Code.stageClosed]))
        """

    static let schemas = """
            AwardProgramInput:
              type: object
              required: [name]
              properties:
                name: {type: string, minLength: 2, maxLength: 100}
                year: {type: [integer, 'null'], minimum: 2000, maximum: 2100}
                kind: {type: [string, 'null'], enum: [award, talent, competition, title, null]}
                candidateKind: {type: [string, 'null'], enum: [person, organization, entry, null]}
                summary: {type: [string, 'null'], maxLength: 5000}
                maxAge: {type: [integer, 'null'], minimum: 18, maximum: 80, description: 年龄上限（周岁，按出生年月计算）}
                ageReferenceDate: {type: [string, 'null'], format: date, description: 年龄计算日，缺省为申报截止日}
                minDegree: {type: [string, 'null'], enum: [doctor, master, bachelor, null]}
                minTitleLevel: {type: [string, 'null'], enum: [senior, associate_senior, intermediate, junior, null]}
                regions: {type: [array, 'null'], maxItems: 20, items: {type: string, maxLength: 30}}
                membersOnly: {type: [boolean, 'null']}
                womenOnly: {type: [boolean, 'null']}
                excludeLaureates: {type: [boolean, 'null'], description: 已获本奖项者不能再申报（缺省 true）}
                applyOpensOn: {type: [string, 'null'], format: date}
                applyClosesOn: {type: [string, 'null'], format: date}
                nominateClosesOn: {type: [string, 'null'], format: date}
                checkClosesOn: {type: [string, 'null'], format: date}
                reviewClosesOn: {type: [string, 'null'], format: date}
                publicityDays: {type: [integer, 'null'], minimum: 1, maximum: 30, description: 公示期（工作日，缺省 5）}
                laureateCount: {type: [integer, 'null'], minimum: 1, maximum: 1000}
                reviewersPerCandidate: {type: [integer, 'null'], minimum: 1, maximum: 15}
                blind: {type: [boolean, 'null']}
                aggregation: {type: [string, 'null'], enum: [mean, trimmed_mean, null]}
                supportYears: {type: [integer, 'null'], minimum: 0, maximum: 5}
                formId: {type: [string, 'null'], format: uuid, description: 用途为“奖项申报”的共享表单}
                attachments: {type: [array, 'null'], maxItems: 10, items: {type: string, maxLength: 50}}
                channels:
                  type: [array, 'null']
                  maxItems: 100
                  items:
                    type: object
                    required: [organizationId, quota]
                    properties:
                      organizationId: {type: string, format: uuid}
                      quota: {type: integer, minimum: 1, maximum: 500}
                      kind: {type: [string, 'null'], enum: [society, city, university, experts, other, null]}
            AwardCreated:
              type: object
              required: [id]
              properties:
                id: {type: string, format: uuid}
            AwardProgram:
              type: object
              required: [id, name, year, kind, candidateKind, stage, organizationId, applyOpensOn, applyClosesOn, laureateCount, channels]
              properties:
                id: {type: string, format: uuid}
                name: {type: string}
                year: {type: integer}
                kind: {type: string, enum: [award, talent, competition, title]}
                candidateKind: {type: string, enum: [person, organization, entry]}
                stage: {type: string, enum: [draft, open, checking, reviewing, publicity, announced]}
                organizationId: {type: string, format: uuid}
                maxAge: {type: [integer, 'null']}
                ageReferenceDate: {type: [string, 'null'], format: date}
                applyOpensOn: {type: string, format: date}
                applyClosesOn: {type: string, format: date}
                laureateCount: {type: integer}
                channels:
                  type: array
                  items:
                    type: object
                    required: [organizationId, kind, quota, used]
                    properties:
                      organizationId: {type: string, format: uuid}
                      kind: {type: string, enum: [society, city, university, experts, other]}
                      quota: {type: integer}
                      used: {type: integer, description: 已推荐数}
            AwardApplicationInput:
              type: object
              properties:
                personId: {type: [string, 'null'], format: uuid, description: 候选人（个人项目）；缺省为调用者本人}
                candidateOrganizationId: {type: [string, 'null'], format: uuid, description: 申报单位（单位项目）}
                entryTitle: {type: [string, 'null'], maxLength: 100, description: 作品名称（作品项目）}
                authorIds: {type: [array, 'null'], maxItems: 20, items: {type: string, format: uuid}}
                field: {type: [string, 'null'], maxLength: 20, description: 学科代码（GB/T 13745）}
                summary: {type: [string, 'null'], minLength: 20, maxLength: 3000, description: 主要成就与贡献（匿名评审时专家只看到这部分）}
                channelOrganizationId: {type: [string, 'null'], format: uuid, description: 选择的推荐渠道；缺省时由覆盖候选人单位的渠道推荐}
                answers:
                  type: [object, 'null']
                  maxProperties: 200
                  additionalProperties: {type: array, maxItems: 50, items: {type: string, maxLength: 2000}}
            AwardApplicationCreated:
              type: object
              required: [id, status]
              properties:
                id: {type: string, format: uuid}
                status: {type: string, enum: [submitted, nominated, returned, passed, rejected, proposed, not_selected, awarded, withdrawn]}
            AwardApplication:
              type: object
              required: [id, status, title]
              properties:
                id: {type: string, format: uuid}
                status: {type: string, enum: [submitted, nominated, returned, passed, rejected, proposed, not_selected, awarded, withdrawn]}
                title: {type: string}
                channelOrganizationId: {type: [string, 'null'], format: uuid}
                rank: {type: [integer, 'null']}
                score: {type: [number, 'null']}
            NominationInput:
              type: object
              required: [applicationId, channelOrganizationId]
              properties:
                applicationId: {type: string, format: uuid}
                channelOrganizationId: {type: string, format: uuid}
                referees: {type: [array, 'null'], maxItems: 20, items: {type: string, maxLength: 30}, description: 专家联名推荐时至少三位专家的姓名}
            NominationCreated:
              type: object
              required: [id, rank]
              properties:
                id: {type: string, format: uuid}
                rank: {type: integer, description: 在本渠道的推荐排序}
            FormalCheckInput:
              type: object
              required: [decision]
              properties:
                decision: {type: string, enum: [pass, return, reject]}
                note: {type: [string, 'null'], maxLength: 500}
        """
}
