import KexieKit
import Platform

/// The Members module's part of /api/openapi.yaml.
enum MembersOpenAPI {
    private typealias Code = MembersError.Code

    /// Registering someone (a society administrator) or applying (the token's owner).
    private static let membershipCodes: [any KexieErrorCode] = [
        Code.personNotFound, Code.membershipExists, Code.numberFormatMissing, Code.applicationDecided, Code.numberAllocationFailed,
        Code.numberUnavailable, Code.profileMissing, Code.alreadyApplied, Code.alreadyMember,
    ]

    /// The 一级学科 codes (GB/T 13745) the list filters accept.
    static func disciplineCodes(_ classifications: Classifications) -> String {
        classifications.disciplines.map { "'\($0.code)'" }.joined(separator: ", ")
    }

    static func schemas(_ classifications: Classifications) -> String {
        """
            PersonInput:
              type: object
              description: |
                与网页表单相同的字段和校验规则（姓名、性别、出生年月、手机必填；有身份证号时性别和出生年月可省略，并须与之一致）。
                各字段为文本或 null（null 表示清空）；每个字段不超过 200 字。民族、政治面貌、学历、学位、职称级别可写代码或中文名称；
                学科可写 GB/T 13745 一级学科代码或名称，行业可写 GB/T 4754 门类字母或名称。
              properties:
                organizationId: {type: [string, 'null'], format: uuid, description: 所属组织（缺省为当前所代表的组织；仅新建时使用）}
                name: {type: [string, 'null'], maxLength: 30, examples: [王芳]}
                sex: {type: [string, 'null'], maxLength: 200, examples: [男, 女]}
                birthMonth: {type: [string, 'null'], maxLength: 200, examples: [1985-06, 1985年6月]}
                ethnicity: {type: [string, 'null'], maxLength: 200, examples: [汉族]}
                politicalStatus: {type: [string, 'null'], maxLength: 200}
                education: {type: [string, 'null'], maxLength: 200}
                degree: {type: [string, 'null'], maxLength: 200}
                titleName: {type: [string, 'null'], maxLength: 30, examples: [研究员]}
                titleLevel: {type: [string, 'null'], maxLength: 200, examples: [senior, 正高级]}
                employer: {type: [string, 'null'], maxLength: 100}
                province: {type: [string, 'null'], maxLength: 30}
                city: {type: [string, 'null'], maxLength: 30}
                county: {type: [string, 'null'], maxLength: 30}
                discipline: {type: [string, 'null'], maxLength: 200, examples: ['520', 计算机科学技术]}
                industry: {type: [string, 'null'], maxLength: 200, examples: [M]}
                researchDirection: {type: [string, 'null'], maxLength: 200}
                phone: {type: [string, 'null'], maxLength: 200, examples: ['13800138000']}
                email: {type: [string, 'null'], maxLength: 200}
                idNumber: {type: [string, 'null'], maxLength: 200, description: 18 位居民身份证号}
            Person:
              type: object
              description: 一名科技工作者；手机号、邮箱、身份证号已脱敏
              required: [id, organizationId, name, sex, birthMonth, phone, verification, verified]
              properties:
                id: {type: string, format: uuid}
                organizationId: {type: string, format: uuid}
                name: {type: string}
                sex: {type: string, examples: [男]}
                birthMonth: {type: string, examples: [1985-06]}
                ethnicity: {type: string}
                politicalStatus: {type: string}
                education: {type: string}
                degree: {type: string}
                titleLevel: {type: string, examples: [正高级]}
                titleName: {type: string}
                employer: {type: string}
                province: {type: string}
                city: {type: string}
                county: {type: string}
                discipline: {type: string, description: 一级学科代码}
                industry: {type: string, description: 行业门类字母}
                researchDirection: {type: string}
                phone: {type: string, examples: [138****8000]}
                email: {type: string}
                idNumber: {type: string}
                verification: {type: string, enum: [unverified, pending, verified, rejected]}
                verified: {type: boolean}
            PersonPage:
              type: object
              required: [items, page, per, total]
              properties:
                items: {type: array, items: {$ref: '#/components/schemas/Person'}}
                page: {type: integer}
                per: {type: integer}
                total: {type: integer}
            MembershipGrade:
              type: string
              enum: [member, senior, director, executive_director, vice_president, president, secretary_general]
            Membership:
              type: object
              required: [id, societyId, name, grade, gradeLabel, status, statusLabel, appliedOn]
              properties:
                id: {type: string, format: uuid}
                societyId: {type: string, format: uuid}
                personId: {type: string, format: uuid}
                memberOrganizationId: {type: string, format: uuid, description: 团体会员的单位}
                name: {type: string}
                memberNumber: {type: string, examples: [YHCS-2026-00001]}
                grade: {$ref: '#/components/schemas/MembershipGrade'}
                gradeLabel: {type: string}
                status: {type: string, enum: [applied, refused, active, suspended, withdrawn]}
                statusLabel: {type: string}
                appliedOn: {type: string, format: date}
                joinedOn: {type: string, format: date}
                refusalReason: {type: string}
            MembershipPage:
              type: object
              required: [items, page, per, total]
              properties:
                items: {type: array, items: {$ref: '#/components/schemas/Membership'}}
                page: {type: integer}
                per: {type: integer}
                total: {type: integer}
            MembershipInput:
              type: object
              properties:
                person: {type: [string, 'null'], minLength: 1, pattern: '\\S', description: 手机号或 18 位身份证号（学会管理员登记会员时）；不给出时为令牌本人申请入会}
                grade: {type: [string, 'null'], enum: [member, senior, director, executive_director, vice_president, president, secretary_general, null], description: 会员级别（登记会员时；缺省为 member），也可写中文名称}
                statement: {type: [string, 'null'], description: 入会申请说明（超过 1000 字的部分不保存）}
            Expert:
              type: object
              required: [id, personId, name, roles, fields, availability]
              properties:
                id: {type: string, format: uuid}
                personId: {type: string, format: uuid}
                name: {type: string}
                employer: {type: string}
                titleName: {type: string}
                city: {type: string}
                county: {type: string}
                roles: {type: array, items: {type: string, enum: [review, popularization, think_tank, emergency]}}
                fields: {type: array, items: {type: string}, description: 一级学科代码}
                availability: {type: string, enum: [available, limited, unavailable]}
            ExpertPage:
              type: object
              required: [items, page, per, total]
              properties:
                items: {type: array, items: {$ref: '#/components/schemas/Expert'}}
                page: {type: integer}
                per: {type: integer}
                total: {type: integer, maximum: 500, description: 最多 500 名}
            DisciplineCode:
              type: string
              description: GB/T 13745 一级学科代码
              enum: [\(disciplineCodes(classifications))]
            ExpertDisciplineFilter:
              type: string
              description: GB/T 13745 一级学科代码（也可写学科名称）；空为不限
              enum: ['', \(disciplineCodes(classifications))]
        """
    }

    static let paths = """
          /people:
            get:
              summary: 列出管理范围内的科技工作者（手机号、身份证号已脱敏）
              parameters:
                - {name: q, in: query, schema: {type: string}, description: 姓名、单位或研究方向（中文双字词可检索）；也可为完整手机号或身份证号；只用前 100 字}
                - {name: org, in: query, schema: {type: string, format: uuid}, description: 组织（含下级）}
                - {name: discipline, in: query, schema: {$ref: '#/components/schemas/DisciplineCode'}}
                - {name: title, in: query, schema: {type: string, enum: [senior, associate_senior, intermediate, junior, none]}}
                - {name: region, in: query, schema: {type: string}, description: 省、市或县区名称}
                - {name: age, in: query, schema: {type: string, enum: [under_35, '35_44', '45_54', 55_plus]}}
                - {name: sex, in: query, schema: {type: string, enum: [male, female]}}
                - {name: verification, in: query, schema: {type: string, enum: [unverified, pending, verified, rejected]}}
                - {$ref: '#/components/parameters/Page'}
                - {$ref: '#/components/parameters/Per'}
              responses:
                '200': {description: 分页的人员列表, content: {application/json: {schema: {$ref: '#/components/schemas/PersonPage'}}}}
                \(OpenAPIErrors.refs(401, 403, 422, 429, codes: [Code.identifierSearchNotPermitted]))
            post:
              summary: 登记一名科技工作者（校验规则与网页相同）
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/PersonInput'}
              responses:
                '201': {description: 新登记的人员, content: {application/json: {schema: {$ref: '#/components/schemas/Person'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 413, 422, 429, codes: [Code.invalidProfile]))
          /people/{id}:
            parameters:
              - {$ref: '#/components/parameters/Id'}
            get:
              summary: 一名人员的资料（已脱敏）
              responses:
                '200': {description: 人员资料, content: {application/json: {schema: {$ref: '#/components/schemas/Person'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 429))
            patch:
              summary: 修改人员资料；未给出的字段保持不变，修改已核验字段后回到待核验
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/PersonInput'}
              responses:
                '200': {description: 修改后的资料, content: {application/json: {schema: {$ref: '#/components/schemas/Person'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 409, 413, 422, 429, codes: [Code.invalidProfile, Code.personAnonymized]))
          /societies/{id}/memberships:
            parameters:
              - {name: id, in: path, required: true, schema: {type: string, format: uuid}, description: 学会的组织 ID}
            get:
              summary: 学会的会员与入会申请（学会管理员只能看到本学会）
              parameters:
                - {name: status, in: query, schema: {type: string, enum: [applied, refused, active, suspended, withdrawn]}}
                - {$ref: '#/components/parameters/Page'}
                - {$ref: '#/components/parameters/Per'}
              responses:
                '200': {description: 分页的会籍列表, content: {application/json: {schema: {$ref: '#/components/schemas/MembershipPage'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 422, 429))
            post:
              summary: 学会管理员给出 person（手机号或身份证号）直接登记会员并编号；不给 person 时为令牌本人申请入会
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/MembershipInput'}
              responses:
                '201': {description: 会籍（会员编号形如 PREFIX-2026-00001）, content: {application/json: {schema: {$ref: '#/components/schemas/Membership'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 409, 413, 422, 429, codes: membershipCodes))
          /experts:
            get:
              summary: 专家库检索（按领域、地区、类别、可参加情况；最多 500 名）
              parameters:
                - {name: field, in: query, schema: {$ref: '#/components/schemas/ExpertDisciplineFilter'}}
                - {name: region, in: query, schema: {type: string}, description: 省、市或县区名称}
                - {name: role, in: query, schema: {type: string, enum: [review, popularization, think_tank, emergency, '']}, description: 专家类别（也可写中文名称）；空为不限}
                - {name: availability, in: query, schema: {type: string, enum: [available, limited, unavailable, '']}, description: 可参加情况（也可写中文名称）；空为不限}
                - {name: q, in: query, schema: {type: string}, description: 姓名、单位或研究方向}
                - {$ref: '#/components/parameters/Page'}
                - {$ref: '#/components/parameters/Per'}
              responses:
                '200': {description: 分页的专家列表, content: {application/json: {schema: {$ref: '#/components/schemas/ExpertPage'}}}}
                \(OpenAPIErrors.refs(401, 403, 422, 429))
        """
}
