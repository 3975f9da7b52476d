/// The Members module's part of /api/openapi.yaml.
enum MembersOpenAPI {
    /// The person fields of POST and PATCH /people (the same keys as the web form).
    static let personInput = """
                    schema:
                      type: object
                      description: 各字段均为文本；学科可写代码或名称，行业可写门类字母或名称
                      properties:
                        organizationId: {type: string, format: uuid}
                        name: {type: string}
                        sex: {type: string, example: 男}
                        birthMonth: {type: string, example: 1985-06}
                        ethnicity: {type: string}
                        politicalStatus: {type: string}
                        education: {type: string}
                        degree: {type: string}
                        titleName: {type: string}
                        titleLevel: {type: string}
                        employer: {type: string}
                        province: {type: string}
                        city: {type: string}
                        county: {type: string}
                        discipline: {type: string}
                        industry: {type: string}
                        researchDirection: {type: string}
                        phone: {type: string}
                        email: {type: string}
                        idNumber: {type: string}
        """

    static let paths = """
          /people:
            get:
              summary: 列出管理范围内的科技工作者（手机号、身份证号已脱敏）
              parameters:
                - {name: q, in: query, schema: {type: string}, description: 姓名、单位或研究方向（中文双字词可检索）；也可为完整手机号或身份证号}
                - {name: org, in: query, schema: {type: string, format: uuid}, description: 组织（含下级）}
                - {name: discipline, in: query, schema: {type: string}, description: GB/T 13745 一级学科代码}
                - {name: title, in: query, schema: {type: string, enum: [senior, associate_senior, intermediate, junior, none]}}
                - {name: region, in: query, schema: {type: string}, description: 省、市或县区名称}
                - {name: age, in: query, schema: {type: string, enum: [under_35, 35_44, 45_54, 55_plus]}}
                - {name: sex, in: query, schema: {type: string, enum: [male, female]}}
                - {name: verification, in: query, schema: {type: string, enum: [unverified, pending, verified, rejected]}}
                - {name: page, in: query, schema: {type: integer, minimum: 1}}
                - {name: per, in: query, schema: {type: integer, minimum: 1, maximum: 200}}
              responses:
                '200': {description: 分页的人员列表（items, page, per, total）}
                '401': {$ref: '#/components/responses/Error'}
                '403': {$ref: '#/components/responses/Error'}
                '422': {$ref: '#/components/responses/Error'}
            post:
              summary: 登记一名科技工作者（校验规则与网页相同）
              requestBody:
                required: true
                content:
                  application/json:
        \(personInput)
              responses:
                '201': {description: 新登记的人员}
                '422': {description: 资料未通过检查；error.fields 按字段给出中文说明}
                '401': {$ref: '#/components/responses/Error'}
                '403': {$ref: '#/components/responses/Error'}
          /people/{id}:
            parameters:
              - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
            get:
              summary: 一名人员的资料（已脱敏）
              responses:
                '200': {description: 人员资料}
                '404': {$ref: '#/components/responses/Error'}
            patch:
              summary: 修改人员资料；未给出的字段保持不变，修改已核验字段后回到待核验
              requestBody:
                required: true
                content:
                  application/json:
        \(personInput)
              responses:
                '200': {description: 修改后的资料}
                '404': {$ref: '#/components/responses/Error'}
                '422': {description: 资料未通过检查；error.fields 按字段给出中文说明}
          /societies/{id}/memberships:
            parameters:
              - {name: id, in: path, required: true, schema: {type: string, format: uuid}, description: 学会的组织 ID}
            get:
              summary: 学会的会员与入会申请（学会管理员只能看到本学会）
              parameters:
                - {name: status, in: query, schema: {type: string, enum: [applied, refused, active, suspended, withdrawn]}}
                - {name: page, in: query, schema: {type: integer, minimum: 1}}
                - {name: per, in: query, schema: {type: integer, minimum: 1, maximum: 200}}
              responses:
                '200': {description: 分页的会籍列表}
                '404': {$ref: '#/components/responses/Error'}
                '422': {$ref: '#/components/responses/Error'}
            post:
              summary: 学会管理员给出 person（手机号或身份证号）直接登记会员并编号；不给 person 时为令牌本人申请入会
              requestBody:
                content:
                  application/json:
                    schema:
                      type: object
                      properties:
                        person: {type: string}
                        grade: {type: string, enum: [member, senior, director, executive_director, vice_president, president, secretary_general]}
                        statement: {type: string}
              responses:
                '201': {description: 会籍（会员编号形如 PREFIX-2026-00001）}
                '403': {$ref: '#/components/responses/Error'}
                '404': {$ref: '#/components/responses/Error'}
                '422': {$ref: '#/components/responses/Error'}
          /experts:
            get:
              summary: 专家库检索（按领域、地区、类别、可参加情况）
              parameters:
                - {name: field, in: query, schema: {type: string}, description: 学科代码或名称}
                - {name: region, in: query, schema: {type: string}}
                - {name: role, in: query, schema: {type: string, enum: [review, popularization, think_tank, emergency]}}
                - {name: availability, in: query, schema: {type: string, enum: [available, limited, unavailable]}}
                - {name: q, in: query, schema: {type: string}}
              responses:
                '200': {description: 分页的专家列表}
                '422': {$ref: '#/components/responses/Error'}
        """
}
