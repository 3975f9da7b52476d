import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Plans
@testable import Platform

/// 工作计划: upload → review (units mapped, aliases learnt) → confirm → a department reports progress
/// with evidence → 督办 urges and approves → the dashboard, the export and the annual evaluation; the API.
final class PlansTests: DemoTestCase {
    static let plan = """
        云海省科协2026年工作要点

        一、提升公民科学素质
        1.实施科普惠民行动。举办科普大讲堂不少于20场，9月15日前完成全省科普日主场活动。（牵头单位：科学技术普及部；配合单位：青石县科协、省教育厅）
        2.建设科普阵地。新建社区科普e站10个。（责任部门：科普部）
        二、服务科技工作者
        3.开展学术交流。全年举办学术年会分会场10个以上。（责任部门：学会部、组织人事部）
        """

    private func multipart(_ browser: Browser, _ path: String, fields: [String: String], files: [(String, String, Data)]) async throws
        -> XCTHTTPResponse
    {
        if browser.csrf == nil { try await browser.get("/login") }
        let boundary = "kexie-plans-boundary"
        var body = Data()
        func part(_ headers: String, _ content: Data) {
            body.append(Data("--\(boundary)\r\n\(headers)\r\n\r\n".utf8))
            body.append(content)
            body.append(Data("\r\n".utf8))
        }
        var all = fields
        all["_csrf"] = browser.csrf!
        for (name, value) in all { part("Content-Disposition: form-data; name=\"\(name)\"", Data(value.utf8)) }
        for (field, name, data) in files {
            part("Content-Disposition: form-data; name=\"\(field)\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream", data)
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var headers: HTTPHeaders = ["Content-Type": "multipart/form-data; boundary=\(boundary)", "X-Forwarded-For": browser.address]
        headers.add(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        return try await app.testable().sendRequest(.POST, path, headers: headers, body: ByteBuffer(data: body))
    }

    private func upload(_ browser: Browser, text: String = PlansTests.plan) async throws -> XCTHTTPResponse {
        try await multipart(browser, "/plans", fields: ["cadence": "monthly"], files: [("file", "2026年工作要点.txt", Data(text.utf8))])
    }

    /// The review form as the page would post it, with changes.
    private func reviewFields(_ plan: UUID, mappings: [String: String], heading: [Int: String] = [:]) async throws -> [String: String] {
        var fields: [String: String] = [:]
        for task in try await PlanTask.query(on: app.db).filter(\.$planID == plan).all() {
            let key = try task.requireID().uuidString
            fields["heading-\(key)"] = heading[task.sequence] ?? task.heading
            fields["lead-\(key)"] = task.leadNames
            fields["co-\(key)"] = task.coNames
            fields["deadline-\(key)"] = task.deadline?.description ?? ""
            if task.included { fields["include-\(key)"] = "on" }
            let targets = try await PlanTargetRecord.query(on: app.db).filter(\.$taskID == task.requireID()).all()
            fields["targets-\(key)"] = targets.map { "\(PlanFormat.number($0.value)) \($0.unit)" + ($0.qualifier.map { " \($0)" } ?? "") }
                .joined(separator: "\n")
        }
        for (name, target) in mappings { fields["unit-\(name)"] = target }
        return fields
    }

    func testAPlanGoesFromUploadThroughReviewToReportsSupervisionAndEvaluation() async throws {
        let office = try await loggedIn("demo.orgadmin")
        // Bad uploads: nothing chosen, a file that is not a plan; nothing is stored.
        let empty = try await multipart(office, "/plans", fields: [:], files: [])
        XCTAssertEqual(empty.status, .unprocessableEntity)
        XCTAssertTrue(empty.body.string.contains("id=\"file-error\""))
        let wrongType = try await multipart(office, "/plans", fields: [:], files: [("file", "照片.jpg", Data([0xFF, 0xD8, 0xFF]))])
        XCTAssertTrue(wrongType.body.string.contains("不支持的文件类型"))
        expectEqual(try await PlanRecord.query(on: app.db).count(), 0)
        expectEqual(try await loggedIn("demo.staff").get("/plans/new").status, .forbidden, "staff do not import plans")

        let uploaded = try await upload(office)
        XCTAssertEqual(uploaded.status, .seeOther, String(uploaded.body.string.prefix(300)))
        let plan = try await PlanRecord.query(on: app.db).first()!
        let planID = try plan.requireID()
        XCTAssertEqual(plan.year, 2026)
        XCTAssertEqual(plan.status, .draft)
        let tasks = try await PlanTask.query(on: app.db).filter(\.$planID == planID).sort(\.$sequence).all()
        XCTAssertEqual(tasks.map(\.leadNames), ["科学技术普及部", "科普部", "学会部"])
        XCTAssertEqual(tasks.first?.coNames, "青石县科协、省教育厅")
        XCTAssertEqual(tasks.first?.deadline, Day("2026-09-15"))
        XCTAssertEqual(tasks.first?.section, "一、提升公民科学素质")
        let review = try await office.get("/plans/\(planID)/review")
        XCTAssertEqual(review.status, .ok)
        XCTAssertTrue(review.body.string.contains("举办科普大讲堂不少于20场"), "the source paragraph beside the task")
        XCTAssertTrue(review.body.string.contains("未能识别，请选择"))

        // Confirming with unknown names is refused beside the names; nothing becomes a task.
        let early = try await office.post("/plans/\(planID)/confirm", [:])
        XCTAssertEqual(early.status, .unprocessableEntity)
        XCTAssertTrue(early.body.string.contains("请为“科学技术普及部”选择对应的部门或单位"))
        // The problems are summarised at the top of the long page, each linking to the field below.
        let summary = try XCTUnwrap(early.page.element(id: "error-summary"))
        let link = try XCTUnwrap(summary.elements("a").first { ($0.attribute("href") ?? "").hasPrefix("#unit-") })
        XCTAssertTrue(link.text.hasPrefix("单位名称“"), link.text)
        let anchor = String((link.attribute("href") ?? "").dropFirst())
        XCTAssertEqual(early.page.element(id: anchor)?.tag, "select", "the link leads to the unit's choice")
        expectEqual(try await PlanTaskUnit.query(on: app.db).count(), 0)
        // A bad deadline and an unreadable target keep everything as it was.
        var bad = try await reviewFields(planID, mappings: [:])
        bad["deadline-\(tasks[1].id!.uuidString)"] = "九月"
        bad["targets-\(tasks[1].id!.uuidString)"] = "十个"
        let refused = try await office.post("/plans/\(planID)/review", bad)
        XCTAssertEqual(refused.status, .unprocessableEntity)
        XCTAssertTrue(refused.body.string.contains("日期格式为 2026-09-15"))
        let taskLink = refused.page.element(id: "error-summary")?.elements("a").first { $0.attribute("href") == "#task-2" }
        XCTAssertNotNil(taskLink, "the second task's problems are linked from the summary")
        XCTAssertEqual(refused.page.element(id: "task-2")?.attribute("tabindex"), "-1")
        expectEqual(try await PlanTask.find(tasks[1].id, on: app.db)?.deadline, nil)

        let kp = try await Department.query(on: app.db).filter(\.$name == "科普部").filter(\.$organizationID == demo.province.id!).first()!
        let fields = try await reviewFields(
            planID, mappings: ["科学技术普及部": "d:\(kp.id!.uuidString)", "省教育厅": "external"], heading: [2: "建设社区科普e站"])
        let confirmed = try await office.post("/plans/\(planID)/confirm", fields)
        XCTAssertEqual(
            confirmed.status, .seeOther,
            String(confirmed.body.string.components(separatedBy: "field-error").dropFirst().map { $0.prefix(120) }.joined(separator: " | "))
        )
        expectEqual(try await PlanRecord.find(planID, on: app.db)?.status, .active)
        expectEqual(try await PlanTask.find(tasks[1].id, on: app.db)?.heading, "建设社区科普e站")
        let first = try await PlanTask.find(tasks[0].id, on: app.db)!
        XCTAssertEqual(first.leadDepartmentID, kp.id)
        let units = try await PlanTaskUnit.query(on: app.db).filter(\.$taskID == first.requireID()).all()
        XCTAssertEqual(Set(units.map(\.name)), ["科学技术普及部", "青石县科协", "省教育厅"])
        XCTAssertEqual(units.first { $0.name == "青石县科协" }?.organizationID, demo.county1.id)
        XCTAssertNil(units.first { $0.name == "省教育厅" }?.organizationID)
        // The correction was learnt: the next plan maps 科学技术普及部 by itself.
        _ = try await upload(office)
        let second = try await PlanRecord.query(on: app.db).filter(\.$status == .draft).first()!
        let secondReview = try await office.get("/plans/\(second.requireID())/review")
        XCTAssertTrue(secondReview.body.string.contains("按已保存的对应关系"))

        // The dashboard is computed once and kept until the plan changes (PlanBoardCache): view it now,
        // and after the report below it must show the new progress.
        let beforeReport = try await office.get("/plans/\(planID)")
        XCTAssertFalse(beforeReport.body.string.contains("<td>40%</td>"))
        // The department (demo.staff of 科普部) reports; a county that is not named cannot see the task.
        let taskPath = "/plans/tasks/\(try first.requireID())"
        expectEqual(try await loggedIn("demo.county2").get(taskPath).status, .notFound)
        let staff = try await loggedIn("demo.staff")
        let mine = try await staff.get("/plans/mine")
        XCTAssertTrue(mine.body.string.contains("实施科普惠民行动"))
        XCTAssertTrue(mine.body.string.contains("本期未报送"))
        let searchedMine = try await staff.get("/plans/mine?q=科普e站")
        XCTAssertTrue(searchedMine.body.string.contains("建设社区科普e站"))
        XCTAssertFalse(searchedMine.body.string.contains("实施科普惠民行动"))
        let mineCSV = try await staff.get("/plans/mine?format=csv&sort=percent")
        XCTAssertTrue(mineCSV.body.string.contains("实施科普惠民行动"))
        XCTAssertTrue(mineCSV.body.string.contains("任务,计划,角色"))
        let noNarrative = try await multipart(staff, taskPath + "/progress", fields: ["percent": "40", "narrative": ""], files: [])
        XCTAssertEqual(noNarrative.status, .unprocessableEntity)
        XCTAssertTrue(noNarrative.body.string.contains("id=\"narrative-error\""))
        let target = try await PlanTargetRecord.query(on: app.db).filter(\.$taskID == first.requireID()).first()!
        let pdf = Data("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF".utf8)
        let reported = try await multipart(
            staff, taskPath + "/progress",
            fields: ["percent": "40", "narrative": "已举办科普大讲堂8场", "actual-\(target.id!.uuidString)": "8"],
            files: [("files[]", "活动照片说明.pdf", pdf)])
        XCTAssertEqual(
            reported.status, .seeOther,
            String(reported.body.string.components(separatedBy: "role=\"alert\"").dropFirst().first?.prefix(200) ?? ""))
        let afterReport = try await PlanTask.find(first.id, on: app.db)!
        XCTAssertEqual(afterReport.percent, 40)
        expectTrue(try await office.get("/plans/\(planID)").body.string.contains("<td>40%</td>"), "the report shows at once")
        expectTrue(try await office.get("/plans/\(planID)").body.string.contains("本期未报送 2"), "two tasks still owe this month's report")
        expectEqual(try await PlanTargetRecord.find(target.id, on: app.db)?.actual, 8)
        expectEqual(try await PlanProgressReport.query(on: app.db).first()?.period, "2026-11")
        let evidence = try await StoredFile.query(on: app.db).filter(\.$ownerType == "plan_report").first()!
        let firstReport = try await PlanProgressReport.query(on: app.db).first()
        XCTAssertEqual(evidence.ownerID, firstReport?.id)
        let evidenceLinks = ParsedPage(try await staff.get(taskPath).body.string).elements("a").compactMap { $0.attribute("href") }
            .filter { $0.hasPrefix("/files/") }
        let evidenceLink = try XCTUnwrap(evidenceLinks.first)
        XCTAssertEqual(evidenceLinks, ["/files/\(evidence.id!.uuidString)"])
        let download = try await staff.get(evidenceLink)
        XCTAssertEqual(Data(buffer: download.body), pdf)
        expectEqual(try await loggedIn("demo.county2").get(evidenceLink).status, .notFound)
        expectTrue(try await InboxMessage.query(on: app.db).filter(\.$title == "任务进展：实施科普惠民行动").count() > 0)
        // The co-unit (the county) may report but not ask to close; only the supervisor approves.
        let county = try await loggedIn("demo.county1")
        let coRequest = try await county.post(taskPath + "/steps", ["action": "request_completion"])
        XCTAssertEqual(coRequest.status, .forbidden)
        let urge = try await office.post(taskPath + "/steps", ["action": "urge"])
        XCTAssertEqual(urge.status, .unprocessableEntity, "催办 needs its content")
        expectEqual(try await office.post(taskPath + "/steps", ["action": "urge", "comment": "请于月底前完成"]).status, .seeOther)
        expectTrue(try await InboxMessage.query(on: app.db).filter(\.$title == "催办：实施科普惠民行动").count() > 0)
        let finish = try await multipart(
            staff, taskPath + "/progress", fields: ["percent": "100", "narrative": "20场全部完成", "requestCompletion": "on"], files: [])
        XCTAssertEqual(finish.status, .seeOther)
        expectEqual(try await PlanTask.find(first.id, on: app.db)?.state, .requested)
        let staffApprove = try await staff.post(taskPath + "/steps", ["action": "approve", "quality": "90"])
        XCTAssertEqual(staffApprove.status, .forbidden, "the lead does not approve its own task")
        expectEqual(try await office.post(taskPath + "/steps", ["action": "approve", "quality": "120"]).status, .unprocessableEntity)
        expectEqual(try await office.post(taskPath + "/steps", ["action": "approve", "quality": "90"]).status, .seeOther)
        let done = try await PlanTask.find(first.id, on: app.db)!
        XCTAssertEqual(done.state, .done)
        XCTAssertEqual(done.qualityScore, 90)

        // A target bound to a registry metric fills in by itself.
        let eStation = try await PlanTargetRecord.query(on: app.db).filter(\.$taskID == tasks[1].requireID()).first()!
        let bound = try await office.post(
            "/plans/targets/\(eStation.id!.uuidString)/metric", ["metric": "platform.organizations.level.county"])
        XCTAssertEqual(bound.status, .seeOther)
        let expected = try await app.platform.registry.metrics["platform.organizations.level.county"]!.compute(
            .init(organization: demo.province, year: 2026), app.db)
        expectEqual(try await PlanTargetRecord.find(eStation.id, on: app.db)?.actual, expected)

        // Dashboard, export, evaluation, annual report.
        let dashboard = try await office.get("/plans/\(planID)")
        XCTAssertEqual(dashboard.status, .ok)
        XCTAssertTrue(dashboard.body.string.contains("<svg"))
        XCTAssertTrue(dashboard.body.string.contains("已完成 1"))
        let xlsx = try await office.get("/plans/\(planID)?format=xlsx")
        let rows = try XLSXReader(data: Data(buffer: xlsx.body)).rows()
        XCTAssertEqual(rows.first?.first, "序号")
        XCTAssertEqual(rows.count, 4)
        XCTAssertTrue(rows[1].contains("100%"))
        let searched = try await office.get("/plans/\(planID)?q=学术年会")
        XCTAssertTrue(searched.body.string.contains("开展学术交流"), "found in the source paragraph")
        XCTAssertFalse(searched.body.string.contains("实施科普惠民行动"))
        let red = try await office.get("/plans/\(planID)?status=red")
        XCTAssertFalse(red.body.string.contains("实施科普惠民行动"), "a completed task is green")
        let evaluation = try await office.get("/plans/\(planID)/evaluation")
        XCTAssertTrue(evaluation.body.string.contains("科普部"))
        let scores = try await PlanService(db: app.db, services: app.platform).evaluation(try await PlanRecord.find(planID, on: app.db)!)
        let kpScore = scores.first { $0.unit == "科普部" }!
        XCTAssertEqual(kpScore.lead, 2)
        XCTAssertGreaterThan(kpScore.total, scores.first { $0.unit == "学会部" }!.total)
        let weights = try await office.post("/plans/\(planID)/evaluation", ["completion": "50", "timeliness": "30", "quality": "30"])
        XCTAssertEqual(weights.status, .unprocessableEntity)
        XCTAssertTrue(weights.body.string.contains("三项权重之和应为 100"))
        expectTrue(try await office.get("/plans/\(planID)/annual-report").body.string.contains("20场全部完成"))
    }

    func testTheAPIParsesListsAndTakesProgress() async throws {
        func token(_ username: String) async throws -> String {
            let user = try await User.query(on: app.db).filter(\.$username == username).first()!
            return try await TokenService(db: app.db, services: app.platform).issue(userID: user.requireID(), name: "t", expiresInDays: nil)
                .token
        }
        func call(_ method: HTTPMethod, _ path: String, token: String, body: Data? = nil, contentType: String? = nil) async throws
            -> XCTHTTPResponse
        {
            var headers: HTTPHeaders = [:]
            headers.bearerAuthorization = .init(token: token)
            if let contentType { headers.replaceOrAdd(name: .contentType, value: contentType) }
            return try await app.testable().sendRequest(method, path, headers: headers, body: body.map { ByteBuffer(data: $0) })
        }
        func file(_ text: String) -> Data {
            Data(
                "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"plan.txt\"\r\n\r\n\(text)\r\n--b\r\nContent-Disposition: form-data; name=\"cadence\"\r\n\r\nquarterly\r\n--b--\r\n"
                    .utf8)
        }
        let office = try await token("demo.orgadmin")
        let parsed = try await call(
            .POST, "/api/v1/plans/parse", token: office, body: file(Self.plan), contentType: "multipart/form-data; boundary=b")
        XCTAssertEqual(parsed.status, .ok)
        let json = try JSONSerialization.jsonObject(with: Data(buffer: parsed.body)) as! [String: Any]
        XCTAssertEqual(json["title"] as? String, "云海省科协2026年工作要点")
        expectEqual(try await PlanRecord.query(on: app.db).count(), 0, "parse stores nothing")
        let noFile = try await call(.POST, "/api/v1/plans/parse", token: office, body: Data("{}".utf8), contentType: "application/json")
        XCTAssertEqual(noFile.status, .unprocessableEntity)

        let created = try await call(
            .POST, "/api/v1/plans", token: office, body: file(Self.plan), contentType: "multipart/form-data; boundary=b")
        XCTAssertEqual(created.status, .created)
        let staffCreate = try await call(
            .POST, "/api/v1/plans", token: try await token("demo.staff"), body: file(Self.plan),
            contentType: "multipart/form-data; boundary=b")
        XCTAssertEqual(staffCreate.status, .forbidden)
        let plan = try await PlanRecord.query(on: app.db).first()!
        XCTAssertEqual(plan.cadence, .quarterly)
        let list = try await call(.GET, "/api/v1/plans", token: office)
        XCTAssertTrue(list.body.string.contains(plan.id!.uuidString))

        // Confirm through the service (the review is a web flow), then report through the API.
        let actor = try await Actor.load(
            user: try await User.query(on: app.db).filter(\.$username == "demo.orgadmin").first()!, preferredGrantID: nil,
            catalog: app.platform.registry.roles, on: app.db)
        let importer = PlanImportService(db: app.db, services: app.platform)
        let kp = try await Department.query(on: app.db).filter(\.$name == "科普部").filter(\.$organizationID == demo.province.id!).first()!
        try await importer.saveReview(
            planID: plan.requireID(), edits: [:], mappings: ["科学技术普及部": "d:\(kp.id!.uuidString)", "省教育厅": "external"], actor: actor)
        _ = try await importer.confirm(planID: plan.requireID(), actor: actor)
        let tasks = try await call(.GET, "/api/v1/plans/\(plan.id!.uuidString)/tasks", token: office)
        XCTAssertEqual(tasks.status, .ok)
        let items = try JSONSerialization.jsonObject(with: Data(buffer: tasks.body)) as! [[String: Any]]
        XCTAssertEqual(items.count, 3)
        let taskID = items[0]["id"] as! String
        let staff = try await token("demo.staff")
        let bad = try await call(
            .POST, "/api/v1/tasks/\(taskID)/progress", token: staff, body: Data(#"{"percent": 140, "narrative": "进展顺利推进"}"#.utf8),
            contentType: "application/json")
        XCTAssertEqual(bad.status, .unprocessableEntity)
        let good = try await call(
            .POST, "/api/v1/tasks/\(taskID)/progress", token: staff, body: Data(#"{"percent": 30, "narrative": "已举办6场"}"#.utf8),
            contentType: "application/json")
        XCTAssertEqual(good.status, .created, good.body.string)
        let outsider = try await call(
            .POST, "/api/v1/tasks/\(taskID)/progress", token: try await token("demo.county2"),
            body: Data(#"{"percent": 30, "narrative": "已举办6场"}"#.utf8), contentType: "application/json")
        XCTAssertEqual(outsider.status, .notFound)
        expectEqual(try await PlanProgressReport.query(on: app.db).first()?.period, "2026-Q4")
    }
}
