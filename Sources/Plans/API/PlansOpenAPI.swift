import Platform

/// The Plans module's part of /api/openapi.yaml.
enum PlansOpenAPI {
    private typealias Code = PlansError.Code

    static let schemas = """
            PlanDocument:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary, description: 工作计划文档（.docx，或 .txt 及无扩展名的文本；不超过 20 MB）}
            PlanUpload:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary, description: 工作计划文档（.docx，或 .txt 及无扩展名的文本；不超过 20 MB）}
                cadence: {type: string, enum: [monthly, quarterly], default: monthly, description: 进展报送周期}
            ParsedPlanItem:
              type: object
              required: [label, heading, text, departments, targets, deadlines, children]
              properties:
                label: {type: string, examples: [（一）]}
                heading: {type: string}
                text: {type: string}
                departments: {type: array, items: {type: string}, description: 责任单位，牵头单位在前}
                targets:
                  type: array
                  items:
                    type: object
                    required: [value, unit, text]
                    properties:
                      value: {type: number}
                      upTo: {type: number}
                      qualifier: {type: string}
                      unit: {type: string}
                      text: {type: string}
                deadlines:
                  type: array
                  items:
                    type: object
                    required: [date, text]
                    properties:
                      date: {type: string}
                      text: {type: string}
                children: {type: array, items: {$ref: '#/components/schemas/ParsedPlanItem'}}
            ParsedPlan:
              type: object
              required: [title, items]
              properties:
                title: {type: string}
                items: {type: array, items: {$ref: '#/components/schemas/ParsedPlanItem'}}
            Plan:
              type: object
              required: [id, title, year, status, cadence, organizationId]
              properties:
                id: {type: string, format: uuid}
                title: {type: string}
                year: {type: integer}
                status: {type: string, enum: [draft, active], description: draft 为待核对的草稿}
                cadence: {type: string, enum: [monthly, quarterly]}
                organizationId: {type: string, format: uuid}
            PlanList:
              type: object
              required: [items, total]
              properties:
                items: {type: array, items: {$ref: '#/components/schemas/Plan'}, maxItems: 1000}
                total: {type: integer}
            PlanTask:
              type: object
              required: [id, sequence, section, label, heading, text, state, percent, expected, status, units, targets]
              properties:
                id: {type: string, format: uuid}
                sequence: {type: integer}
                section: {type: string}
                label: {type: string}
                heading: {type: string}
                text: {type: string}
                deadline: {type: string}
                state: {type: string, enum: [open, requested, done], description: 进行中、已申请办结、已办结}
                percent: {type: integer, minimum: 0, maximum: 100}
                expected: {type: integer, description: 按时间应达到的进度（%）}
                status: {type: string, enum: [green, amber, red], description: 正常、滞后、严重滞后}
                units:
                  type: array
                  items:
                    type: object
                    required: [role, name]
                    properties:
                      role: {type: string, enum: [lead, co], description: 牵头或配合}
                      name: {type: string}
                      organizationId: {type: string, format: uuid}
                      departmentId: {type: string, format: uuid}
                targets:
                  type: array
                  items:
                    type: object
                    required: [id, value, unit, text]
                    properties:
                      id: {type: string, format: uuid}
                      value: {type: number}
                      upTo: {type: number}
                      qualifier: {type: string}
                      unit: {type: string}
                      text: {type: string}
                      metric: {type: string, description: 自动统计的指标}
                      actual: {type: number}
            ProgressInput:
              type: object
              required: [percent, narrative]
              properties:
                percent: {type: integer, minimum: 0, maximum: 100}
                narrative: {type: string, minLength: 4, description: 本期进展（首尾空白不计至少 4 个字；超过 4000 字的部分不保存）}
                actuals:
                  type: [object, 'null']
                  description: 未绑定统计指标的目标的实际完成数，键为目标 id（其他任务的目标忽略）
                  propertyNames: {format: uuid}
                  additionalProperties: {type: number, minimum: 0, exclusiveMaximum: 1000000000000}
                requestCompletion: {type: [boolean, 'null'], default: false, description: 同时申请办结}
            Progress:
              type: object
              required: [id, state, percent]
              properties:
                id: {type: string, format: uuid}
                state: {type: string, enum: [open, requested, done]}
                percent: {type: integer, minimum: 0, maximum: 100}
                lastReportOn: {type: string, format: date}
        """

    static let paths = """
          /plans/parse:
            post:
              summary: 解析工作计划文档（.docx 或 .txt），不保存；答复与 `kexie plan parse --format json` 相同的 JSON（需“导入和维护工作计划”权限）
              requestBody:
                required: true
                content:
                  multipart/form-data:
                    schema: {$ref: '#/components/schemas/PlanDocument'}
              responses:
                '200': {description: 解析结果, content: {application/json: {schema: {$ref: '#/components/schemas/ParsedPlan'}}}}
                \(OpenAPIErrors.refs(401, 403, 413, 422, 429, codes: [Code.documentUnreadable]))
          /plans:
            get:
              summary: 管理范围内的工作计划（最多 1000 项）
              responses:
                '200': {description: 计划列表, content: {application/json: {schema: {$ref: '#/components/schemas/PlanList'}}}}
                \(OpenAPIErrors.refs(401, 403, 429))
            post:
              summary: 上传工作计划，解析后保存为待核对的草稿（需“导入和维护工作计划”权限）
              requestBody:
                required: true
                content:
                  multipart/form-data:
                    schema: {$ref: '#/components/schemas/PlanUpload'}
              responses:
                '201': {description: 草稿计划, content: {application/json: {schema: {$ref: '#/components/schemas/Plan'}}}}
                \(OpenAPIErrors.refs(401, 403, 413, 422, 429, codes: [Code.documentUnreadable, Code.noTasksFound]))
          /plans/{id}/tasks:
            get:
              summary: 计划的任务（含责任单位、指标、进度和红黄绿状态）
              parameters:
                - {$ref: '#/components/parameters/Id'}
              responses:
                '200': {description: 任务列表, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/PlanTask'}}}}}
                \(OpenAPIErrors.refs(401, 404, 429))
          /tasks/{id}/progress:
            post:
              summary: 报送任务进展（牵头或配合单位）
              parameters:
                - {$ref: '#/components/parameters/Id'}
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/ProgressInput'}
              responses:
                '201': {description: 报送后的任务, content: {application/json: {schema: {$ref: '#/components/schemas/Progress'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 409, 413, 422, 429, codes: OpenAPIErrors.workflow + [Code.targetMeasuredAutomatically]))
        """
}
