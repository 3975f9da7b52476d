import Platform

/// The Events module's part of /api/openapi.yaml (events and their steps; registrations and check-ins
/// add their own files).
enum EventsOpenAPI {
    private typealias Code = EventsError.Code

    private static let create: [any KexieErrorCode] = [Code.notOrganizer]
    private static let change: [any KexieErrorCode] = [Code.notOrganizer, Code.eventNotEditable]
    private static let step: [any KexieErrorCode] = [Code.unknownAction, Code.eventNotOver] + OpenAPIErrors.workflow

    /// The fields of a new event and of a change (the same checks; a change needs none of them).
    private static let inputProperties = """
                title: {type: string, minLength: 4, maxLength: 100}
                kind: {$ref: '#/components/schemas/EventKind'}
                level: {$ref: '#/components/schemas/EventLevel'}
                startsAt: {type: string, format: date-time, examples: ['2026-12-20T09:00:00+08:00']}
                endsAt: {type: string, format: date-time, description: 晚于 startsAt，至多 31 天}
                venue: {type: string, maxLength: 200}
                capacity: {type: [integer, 'null'], minimum: 1, maximum: 100000, description: 名额；null 或不填为不限}
                waitlist: {type: boolean, default: false, description: 名额满后接受候补}
                audience: {$ref: '#/components/schemas/EventAudience'}
                summary: {type: string, maxLength: 4000}
                field: {type: string, maxLength: 50, description: 学科领域}
                onlineLink: {type: string, format: uri, maxLength: 500}
                moderated: {type: boolean, default: false}
                registrationOpensAt: {type: string, format: date-time}
                registrationClosesAt: {type: string, format: date-time, description: 不晚于活动结束}
                cancelUntil: {type: string, format: date-time, description: 取消报名截止}
                feeNote: {type: string, maxLength: 200}
                organizationId: {type: string, format: uuid, description: 主办单位（本单位或下级单位），默认为当前单位}
                coOrganizerIds: {type: array, maxItems: 20, items: {type: string, format: uuid}}
                societyIds: {type: array, maxItems: 20, items: {type: string, format: uuid}, description: audience 为 members 时必填}
                sessions: {type: array, maxItems: 30, items: {$ref: '#/components/schemas/EventSession'}}
                speakers: {type: array, maxItems: 60, items: {$ref: '#/components/schemas/EventSpeaker'}}
        """

    static let schemas = """
            EventKind:
              type: string
              enum: [conference, forum, salon, lecture, training, popularization, competition, other]
              description: 学术会议、论坛、沙龙、报告会、培训、科普活动、竞赛、其他
            EventLevel:
              type: string
              enum: [international, national, regional, provincial, local]
              description: 国际、全国、区域、省级、市县级
            EventAudience:
              type: string
              enum: [public, members, invited]
              description: 公开（访客也可报名）、指定学会会员（societyIds 必填）、仅限邀请
            EventState:
              type: string
              enum: [draft, submitted, published, cancelled, finished]
              description: 草稿、待审核、已发布、已取消、已结束
            EventSession:
              type: object
              required: [title, startsAt, endsAt]
              properties:
                title: {type: string, minLength: 2, maxLength: 100}
                startsAt: {type: string, format: date-time, description: 在活动起止时间之内}
                endsAt: {type: string, format: date-time}
                room: {type: string, maxLength: 60}
            EventSpeaker:
              type: object
              required: [name]
              properties:
                name: {type: string, maxLength: 50}
                affiliation: {type: string, maxLength: 100, examples: [中国科学院院士 · 云海大学]}
                topic: {type: string, maxLength: 200}
                personId: {type: [string, 'null'], format: uuid, description: 人员库中的人}
            EventInput:
              type: object
              description: 新建活动（保存为草稿）。时间为带时区的 ISO 8601；地点 venue 和线上链接 onlineLink 至少填一项。所有字段的问题一次返回（error.fields）
              required: [title, kind, level, startsAt, endsAt]
              properties:
        \(inputProperties)
            EventChanges:
              type: object
              description: 修改活动：只改所给字段，其余保持；sessions、speakers 给出时整体替换。草稿由主办单位的组织人员或管理员修改；已发布的活动只有管理员可改，只改地点、日程、报告人、报名与取消截止等；传入名称、类型、级别、起止时间、名额、候补、审核、面向对象、主办单位或面向学会时 422 并逐项说明。时间字段不能为空文本。检查与新建相同，所有问题一次返回（error.fields）
              properties:
        \(inputProperties)
            Event:
              type: object
              required: [id, state, stateLabel, title, kind, level, startsAt, endsAt, venue, confirmed, waitlist, audience, organizationId, registrationOpen, link]
              properties:
                id: {type: string, format: uuid}
                state: {$ref: '#/components/schemas/EventState'}
                stateLabel: {type: string, examples: [已发布]}
                title: {type: string}
                kind: {$ref: '#/components/schemas/EventKind'}
                level: {$ref: '#/components/schemas/EventLevel'}
                startsAt: {type: string, format: date-time}
                endsAt: {type: string, format: date-time}
                venue: {type: string}
                onlineLink: {type: [string, 'null']}
                capacity: {type: [integer, 'null']}
                confirmed: {type: integer, description: 已确认的报名}
                placesLeft: {type: [integer, 'null'], description: 剩余名额；不限名额为 null}
                waitlist: {type: boolean}
                audience: {$ref: '#/components/schemas/EventAudience'}
                organizationId: {type: string, format: uuid}
                field: {type: [string, 'null']}
                registrationOpen: {type: boolean, description: 现在是否可以报名}
                link: {type: string, description: 活动页面路径；加 .ics 为日历文件}
                summary: {type: string, description: 单项查询时返回}
                feeNote: {type: string}
                registrationOpensAt: {type: [string, 'null'], format: date-time}
                registrationClosesAt: {type: [string, 'null'], format: date-time}
                cancelUntil: {type: [string, 'null'], format: date-time}
                coOrganizerIds: {type: array, items: {type: string, format: uuid}}
                societyIds: {type: array, items: {type: string, format: uuid}}
                sessions: {type: array, items: {$ref: '#/components/schemas/EventSession'}}
                speakers: {type: array, items: {$ref: '#/components/schemas/EventSpeaker'}}
                actions: {type: array, items: {type: string}, description: 调用者现在可执行的操作（带令牌时）}
            EventPage:
              type: object
              required: [items, page, per, total]
              properties:
                items: {type: array, items: {$ref: '#/components/schemas/Event'}}
                page: {type: integer}
                per: {type: integer}
                total: {type: integer}
            EventStep:
              type: object
              required: [action]
              properties:
                action: {type: string, enum: [submit, approve, publish, send_back, cancel, finish]}
                comment: {type: [string, 'null'], maxLength: 2000, description: send_back 时必填；cancel 时写入给报名者的通知}
        """

    static let paths = """
          /events:
            get:
              summary: 可见的活动（无需令牌时为已发布的公开活动；带令牌时另含本单位及下级的活动，工作人员含草稿），按开始时间排序
              security: [{}, {bearer: []}]
              parameters:
                - {name: kind, in: query, schema: {$ref: '#/components/schemas/EventKind'}}
                - {name: level, in: query, schema: {$ref: '#/components/schemas/EventLevel'}}
                - {name: state, in: query, schema: {$ref: '#/components/schemas/EventState'}}
                - {name: from, in: query, schema: {anyOf: [{type: string, format: date}, {type: string, format: date-time}]}, description: 结束不早于此（日期或带时区时间），默认为 31 天前}
                - {name: to, in: query, schema: {anyOf: [{type: string, format: date}, {type: string, format: date-time}]}, description: 开始早于此}
                - {$ref: '#/components/parameters/Page'}
                - {name: per, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 20}, description: 每页条数}
              responses:
                '200': {description: 分页的活动列表, content: {application/json: {schema: {$ref: '#/components/schemas/EventPage'}}}}
                \(OpenAPIErrors.refs(401, 422, 429))
            post:
              summary: 新建活动（草稿；主办单位的活动组织人员 events.manage 或管理员 events.approve）
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/EventInput'}
              responses:
                '201': {description: 新建的活动（含 id 和 state）, content: {application/json: {schema: {$ref: '#/components/schemas/Event'}}}}
                \(OpenAPIErrors.refs(401, 403, 413, 422, 429, codes: create))
          /events/{id}:
            get:
              summary: 一项活动，含日程和报告人。已发布的公开活动无需令牌；其他只向有权查看的人展示
              security: [{}, {bearer: []}]
              parameters:
                - {$ref: '#/components/parameters/Id'}
              responses:
                '200': {description: 活动, content: {application/json: {schema: {$ref: '#/components/schemas/Event'}}}}
                \(OpenAPIErrors.refs(401, 404, 429))
            patch:
              summary: 修改活动（只改所给字段）
              parameters:
                - {$ref: '#/components/parameters/Id'}
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/EventChanges'}
              responses:
                '200': {description: 修改后的活动, content: {application/json: {schema: {$ref: '#/components/schemas/Event'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 409, 413, 422, 429, codes: change))
          /events/{id}/steps:
            post:
              summary: 流程的一步：submit（组织人员提交审核）、approve（管理员审核通过并发布）、publish（管理员直接发布草稿）、send_back（退回，须写理由）、cancel（取消；已发布的由管理员取消，并通知所有报名者）、finish（活动结束后）
              parameters:
                - {$ref: '#/components/parameters/Id'}
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/EventStep'}
              responses:
                '200': {description: 操作后的活动（actions 为当前还可执行的操作）, content: {application/json: {schema: {$ref: '#/components/schemas/Event'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 409, 413, 422, 429, codes: step))
        """
}
