import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Innovation
@testable import Platform

/// 科技服务站 registry and activity log, the year's 科创 figures with their exports and registry metric,
/// and 批量匹配 from upload through progress to the downloaded table.
final class StationFiguresBatchTests: DemoTestCase {
    func posting(_ title: String) async throws -> Posting {
        try await Posting.query(on: app.db).filter(\.$title == title).first().required()
    }

    private func multipart(_ browser: Browser, _ path: String, fields: [String: String], files: [(String, String, Data)]) async throws
        -> XCTHTTPResponse
    {
        if browser.csrf == nil { try await browser.get("/login") }
        let boundary = "kexie-innovation-boundary"
        var body = Data()
        func part(_ headers: String, _ content: Data) {
            body.append(Data("--\(boundary)\r\n\(headers)\r\n\r\n".utf8))
            body.append(content)
            body.append(Data("\r\n".utf8))
        }
        var all = fields
        all["_csrf"] = browser.csrf ?? ""
        for (name, value) in all { part("Content-Disposition: form-data; name=\"\(name)\"", Data(value.utf8)) }
        for (field, name, data) in files {
            part("Content-Disposition: form-data; name=\"\(field)\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream", data)
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var headers: HTTPHeaders = ["Content-Type": "multipart/form-data; boundary=\(boundary)", "X-Forwarded-For": browser.address]
        headers.add(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        return try await app.testable().sendRequest(.POST, path, headers: headers, body: ByteBuffer(data: body))
    }

    /// An enterprise proposal for the tyre pair, accepted and signed for 12.5 万元 by the society.
    @discardableResult
    func signedDocking(station: UUID? = nil) async throws -> UUID {
        let supply = try await posting("废旧轮胎橡胶常压连续再生脱硫技术")
        let demand = try await posting("废旧轮胎综合利用")
        let proposer = try await loggedIn(station == nil ? "demo.enterprise" : "demo.orgadmin")
        var form = ["supply": supply.id!.uuidString, "demand": demand.id!.uuidString, "back": "/innovation/supplies"]
        if let station { form["station"] = station.uuidString }
        let proposed = try await proposer.post("/innovation/dockings", form)
        XCTAssertEqual(proposed.status, .seeOther)
        let location = try (proposed.location).required()
        XCTAssertTrue(location.hasPrefix("/innovation/dockings/"), location)
        let id = try UUID(uuidString: String(location.dropFirst("/innovation/dockings/".count).prefix(36))).required()
        let path = InnovationRoutes.docking(id)
        let society = try await loggedIn("demo.society")
        expectEqual(try await society.post(path + "/actions", ["action": "accept"]).status, .seeOther)
        if station != nil {
            expectEqual(try await loggedIn("demo.enterprise").post(path + "/actions", ["action": "accept"]).status, .seeOther)
        }
        expectEqual(try await society.post(path + "/actions", ["action": "sign", "amount": "12.5"]).status, .seeOther)
        expectEqual(try await Docking.find(id, on: app.db)?.state, "signed")
        return id
    }

    func testStationsAreRegisteredWithTheirActivitiesAndTheDockingsTheyProduced() async throws {
        let office = try await loggedIn("demo.orgadmin")
        expectEqual(try await loggedIn("demo.member").get("/innovation/stations").status, .forbidden)
        expectEqual(try await office.get("/innovation/stations/new").status, .ok)

        let valid = [
            "kind": "expert_workstation", "name": "云海绿源院士专家工作站", "hostName": "云海绿源新材料有限公司", "hostKind": "enterprise",
            "experts": "张院士 中国工程院院士 云海大学\n李明 研究员 云海省橡胶研究所", "validFrom": "2026-01-01", "validUntil": "2028-12-31",
            "region": "云海省东港市",
        ]
        var noName = valid
        noName["name"] = ""
        let missing = try await office.post("/innovation/stations", noName)
        XCTAssertEqual(missing.status, .unprocessableEntity)
        XCTAssertTrue(missing.body.string.contains("id=\"name-error\""))
        XCTAssertTrue(missing.body.string.contains("value=\"云海绿源新材料有限公司\""), "what was typed stays")
        var backwards = valid
        backwards["validUntil"] = "2025-12-31"
        let reversed = try await office.post("/innovation/stations", backwards)
        XCTAssertEqual(reversed.status, .unprocessableEntity)
        XCTAssertTrue(reversed.body.string.contains("id=\"validUntil-error\""))
        XCTAssertTrue(reversed.body.string.contains("结束日期不能早于开始日期"))
        expectEqual(try await Station.query(on: app.db).count(), 1, "only the demo station")

        let created = try await office.post("/innovation/stations", valid)
        XCTAssertEqual(created.status, .seeOther, String(created.body.string.prefix(500)))
        let station = try await Station.query(on: app.db).filter(\.$name == "云海绿源院士专家工作站").first().required()
        let stationID = try station.requireID()
        let path = InnovationRoutes.station(stationID)
        XCTAssertEqual(created.location, path + "?notice=created")
        XCTAssertEqual(station.organizationID, demo.province.id)

        // Activities: a bad one is refused beside its field; three good ones over two years.
        let noTitle = try await office.post(path + "/activities", ["kind": "visit", "heldOn": "2026-11-10", "title": ""])
        XCTAssertEqual(noTitle.status, .unprocessableEntity)
        XCTAssertTrue(noTitle.body.string.contains("id=\"title-error\""))
        let future = try await office.post(path + "/activities", ["kind": "visit", "heldOn": "2099-01-01", "title": "专家进企业"])
        XCTAssertTrue(future.body.string.contains("活动日期不能晚于今天"))
        for (kind, day, title, people) in [
            ("visit", "2026-11-10", "院士团队进企业诊断再生胶工艺", "12"), ("training", "2026-03-05", "橡胶配方设计培训", "30"),
            ("problem", "2025-06-01", "解决脱硫螺杆磨损问题", ""),
        ] {
            let recorded = try await office.post(
                path + "/activities", ["kind": kind, "heldOn": day, "title": title, "participants": people])
            XCTAssertEqual(recorded.status, .seeOther, String(recorded.body.string.prefix(300)))
        }
        // A docking proposed through the station counts for it.
        let dockingID = try await signedDocking(station: stationID)
        expectEqual(try await Docking.find(dockingID, on: app.db)?.stationID, stationID)

        let page = try await office.get(path)
        XCTAssertEqual(page.status, .ok)
        let html = page.body.string
        XCTAssertTrue(html.contains("张院士 中国工程院院士 云海大学"))
        XCTAssertFalse(html.contains("id=\"station-expired\""))
        XCTAssertTrue(
            html.contains(
                "<tr id=\"year-2026\"><th scope=\"row\">2026</th><td>1</td><td>1</td><td>0</td><td>42</td><td>1</td><td>1</td><td>12.50</td></tr>"
            ),
            "this year: one visit, one training, 42 people, the docking signed for 12.5 万元")
        XCTAssertTrue(
            html.contains(
                "<tr id=\"year-2025\"><th scope=\"row\">2025</th><td>0</td><td>0</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>"
            ))
        XCTAssertTrue(html.contains("<tr id=\"year-2024\">"))
        let log = try XCTUnwrap(html.components(separatedBy: "id=\"station-activities\"").last)
        let order = ["院士团队进企业诊断再生胶工艺", "橡胶配方设计培训", "解决脱硫螺杆磨损问题"].compactMap { log.range(of: $0)?.lowerBound }
        XCTAssertEqual(order.count, 3)
        XCTAssertEqual(order, order.sorted(), "newest first")
        XCTAssertTrue(html.contains(InnovationRoutes.docking(dockingID)), "the docking is linked")
        let csv = try await office.get(path + "?format=csv").body.string
        XCTAssertTrue(csv.contains("日期,类型,活动内容,参与人数,备注"))
        XCTAssertTrue(csv.contains("2026-11-10,专家服务,院士团队进企业诊断再生胶工艺,12"))
        let xlsx = try XLSXReader(data: Data(buffer: try await office.get(path + "?format=xlsx").body)).rows()
        XCTAssertEqual(xlsx.count, 4)

        // The registry: this year's counts; filters; an expired station is marked.
        var old = valid
        old["name"] = "青石县橡胶学会科技服务站"
        old["kind"] = "service_station"
        old["validFrom"] = "2020-01-01"
        old["validUntil"] = "2025-12-31"
        expectEqual(try await office.post("/innovation/stations", old).status, .seeOther)
        let list = try await office.get("/innovation/stations").body.string
        XCTAssertTrue(list.contains("云海省热带作物学会青石县胶园科技服务站"), "the demo station of a society below")
        let row = try XCTUnwrap(list.components(separatedBy: "<tr>").first { $0.contains("云海绿源院士专家工作站") })
        XCTAssertTrue(row.contains("<td class=\"station-activities\">2</td><td class=\"station-dockings\">1</td>"), row)
        let oldRow = try XCTUnwrap(list.components(separatedBy: "<tr>").first { $0.contains("青石县橡胶学会科技服务站") })
        XCTAssertTrue(oldRow.contains("已过期"))
        let experts = try await office.get("/innovation/stations?kind=expert_workstation").body.string
        XCTAssertTrue(experts.contains("云海绿源院士专家工作站"))
        XCTAssertFalse(experts.contains("青石县橡胶学会科技服务站"))
        expectTrue(!(try await office.get("/innovation/stations?q=张院士&kind=").body.string.contains("胶园科技服务站")))
        let listCSV = try await office.get("/innovation/stations?format=csv").body.string
        XCTAssertTrue(listCSV.contains("云海绿源院士专家工作站,院士专家工作站"))
        // A county outside the province's office sees neither the page nor the row.
        let county = try await loggedIn("demo.county1")
        expectEqual(try await county.get(path).status, .notFound)
        expectTrue(!(try await county.get("/innovation/stations").body.string.contains("云海绿源院士专家工作站")))
        expectEqual(
            try await county.post(path + "/activities", ["kind": "visit", "heldOn": "2026-11-10", "title": "闯入"]).status, .notFound)
    }

    func testFiguresCountASignedDockingAndExportTheBreakdowns() async throws {
        let office = try await loggedIn("demo.orgadmin")
        expectEqual(try await loggedIn("demo.enterprise").get("/innovation/figures").status, .forbidden)
        let empty = try await office.get("/innovation/figures").body.string
        XCTAssertTrue(empty.contains("id=\"headline-signed\"><p class=\"headline-label\">促成签约（项）</p><p class=\"headline-value\">0</p>"))

        try await signedDocking()
        let page = try await office.get("/innovation/figures")
        XCTAssertEqual(page.status, .ok)
        let html = page.body.string
        XCTAssertTrue(html.contains("id=\"headline-signed\"><p class=\"headline-label\">促成签约（项）</p><p class=\"headline-value\">1</p>"))
        XCTAssertTrue(html.contains("<p class=\"headline-value\">12.50</p>"))
        XCTAssertTrue(html.contains("id=\"headline-supplies\"><p class=\"headline-label\">发布技术供给（项）</p><p class=\"headline-value\">6</p>"))
        XCTAssertTrue(html.contains("<svg class=\"bar-chart\""))
        XCTAssertTrue(html.contains("签约：1 项"), "the stage chart")
        XCTAssertTrue(html.contains("<td>C 制造业</td><td>2</td><td>2</td><td>1</td><td>1</td><td>12.50</td>"))
        XCTAssertTrue(html.contains("云海省橡胶学会"), "the society breakdown names where the supply came from")

        let csv = try await office.get("/innovation/figures?format=csv&table=industry").body.string
        XCTAssertTrue(csv.contains("行业,技术供给（项）,技术需求（项）,对接（项）,签约（项）,合同金额（万元）"))
        XCTAssertTrue(csv.contains("C 制造业,2,2,1,1,12.50"), csv)
        let societies = try XLSXReader(data: Data(buffer: try await office.get("/innovation/figures?format=xlsx&table=society").body))
            .rows()
        XCTAssertEqual(societies.first?.first, "学会")
        XCTAssertTrue(societies.contains { $0.first == "云海省橡胶学会" && $0.contains("12.50") })
        let lastYear = try await office.get("/innovation/figures?year=2025").body.string
        XCTAssertTrue(lastYear.contains("id=\"headline-signed\"><p class=\"headline-label\">促成签约（项）</p><p class=\"headline-value\">0</p>"))

        let metric = try XCTUnwrap(app.platform.registry.metrics["innovation.dockings.signed"])
        expectEqual(try await metric.compute(.init(organization: demo.province, year: 2026), app.db), 1)
        expectEqual(try await metric.compute(.init(organization: demo.province, year: 2025), app.db), 0)
        expectEqual(try await metric.compute(.init(organization: demo.county1, year: 2026), app.db), 0)
        let amount = try XCTUnwrap(app.platform.registry.metrics["innovation.contracts.amount"])
        expectEqual(try await amount.compute(.init(organization: demo.province, year: 2026), app.db), 12.5)
    }

    func testBatchMatchingRanksAnUploadedListInTheBackgroundForItsOwnerOnly() async throws {
        let office = try await loggedIn("demo.orgadmin")
        expectEqual(try await loggedIn("demo.enterprise").get("/innovation/batch").status, .forbidden)
        let form = try await office.get("/innovation/batch")
        XCTAssertEqual(form.status, .ok)
        XCTAssertTrue(form.body.string.contains("/innovation/batch/template.csv"))
        let template = try await office.get("/innovation/batch/template.csv")
        XCTAssertTrue(template.body.string.contains("编号,需求名称,需求描述,行业,地区"))
        let templateRecords = try BatchRuns.parse(fileName: "模板.csv", data: Data(buffer: template.body))
        XCTAssertEqual(templateRecords.count, 2, "the template itself is a valid upload")

        // Refusals beside the file field: wrong type, nothing chosen, a bad header; and a bad count.
        let wrongType = try await multipart(
            office, "/innovation/batch", fields: ["top": "10"], files: [("file", "需求.txt", Data("id,title\n1,x".utf8))])
        XCTAssertEqual(wrongType.status, .unprocessableEntity)
        XCTAssertTrue(wrongType.body.string.contains("<p class=\"field-error\" id=\"file-error\">请上传 .xlsx、.csv 或 .jsonl 文件</p>"))
        let nothing = try await multipart(office, "/innovation/batch", fields: ["top": "10"], files: [])
        XCTAssertTrue(nothing.body.string.contains("id=\"file-error\""))
        let noHeader = try await multipart(office, "/innovation/batch", fields: [:], files: [("file", "a.csv", Data("甲,乙\n1,2".utf8))])
        XCTAssertTrue(noHeader.body.string.contains("第 1 行需有列名"))
        let list = """
            编号,需求名称,需求描述,行业,地区
            D1,储能电芯循环寿命提升,储能电站用电芯循环寿命不足，需提升锂电池正极材料稳定性,C,云海省东港市
            D2,胶园割胶效率提升,胶工短缺，希望降低割胶频率、提高天然橡胶割胶效率,A,云海省
            D3,咕噜咕噜,嘀嗒嘀嗒 哗啦哗啦,,
            """
        let badTop = try await multipart(office, "/innovation/batch", fields: ["top": "99"], files: [("file", "需求.csv", Data(list.utf8))])
        XCTAssertEqual(badTop.status, .unprocessableEntity)
        XCTAssertTrue(badTop.body.string.contains("id=\"top-error\""))

        let started = try await multipart(
            office, "/innovation/batch", fields: ["top": "5"], files: [("file", "对接会需求.csv", Data(list.utf8))])
        XCTAssertEqual(started.status, .seeOther, String(started.body.string.prefix(500)))
        let jobPath = try started.location.required()
        XCTAssertTrue(jobPath.hasPrefix("/innovation/batch/"))

        var page = ""
        for _ in 0..<300 {
            page = try await office.get(jobPath).body.string
            if !page.contains("http-equiv=\"refresh\"") { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        XCTAssertTrue(page.contains("匹配完成"), String(page.prefix(2000)))
        XCTAssertTrue(page.contains("共 3 项需求，用时"))
        XCTAssertTrue(page.contains(jobPath + "/result.xlsx"))

        // Only the person who started it sees the job or its result.
        let staff = try await loggedIn("demo.staff")
        expectEqual(try await staff.get(jobPath).status, .notFound)
        expectEqual(try await staff.get(jobPath + "/result.xlsx").status, .notFound)
        expectEqual(try await loggedIn("demo.enterprise").get(jobPath).status, .notFound)

        let download = try await office.get(jobPath + "/result.xlsx")
        XCTAssertEqual(download.status, .ok)
        XCTAssertEqual(download.headers.contentType?.subType, "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        let rows = try XLSXReader(data: Data(buffer: download.body)).rows()
        XCTAssertEqual(rows.first, ["需求编号", "需求名称", "名次", "成果名称", "成果持有方", "匹配度", "匹配理由", "成果链接"])
        let battery = rows.filter { $0.first == "D1" }
        let best = try XCTUnwrap(battery.first { Double($0[2]) == 1 })
        XCTAssertEqual(best[3], "高镍三元锂离子电池正极材料制备技术")
        XCTAssertFalse(best[6].isEmpty, "the reasons are given")
        XCTAssertLessThanOrEqual(battery.count, 5)
        let tapping = rows.filter { $0.first == "D2" }
        XCTAssertTrue(["天然橡胶树低频割胶与乙烯利刺激技术", "电动割胶刀"].contains(tapping.first { Double($0[2]) == 1 }?[3] ?? ""))
        XCTAssertTrue(rows.contains { $0.first == "D3" }, "every demand has a row, matched or not")

        // The run is kept and listed on the upload page with its table, for its owner only.
        let listed = try await office.get("/innovation/batch").body.string
        XCTAssertTrue(listed.contains("对接会需求.csv"))
        XCTAssertTrue(listed.contains(jobPath + "/result.xlsx"))
        XCTAssertTrue(listed.contains("已完成"))
        let other = try await loggedIn("demo.society")
        let otherPage = try await other.get("/innovation/batch")
        XCTAssertFalse(otherPage.body.string.contains("对接会需求.csv"), "status \(otherPage.status)")
        let stored = try await BatchRun.query(on: app.db).all()
        XCTAssertEqual(stored.count, 1)
        XCTAssertEqual(stored.first?.done, 3)
        XCTAssertEqual(stored.first?.resultBytes, Data(buffer: download.body).count)
    }

    func testAnAbandonedBatchRunReadsAsInterruptedAndOnlyTheNewestRunsAreKept() async throws {
        let office = try await loggedIn("demo.orgadmin")
        let owner = try await User.query(on: app.db).filter(\.$username == "demo.orgadmin").first().required()
        func run(_ name: String, minutesAgo: Double, state: BatchRun.State = .done) async throws -> UUID {
            let run = BatchRun()
            run.ownerID = try owner.requireID()
            run.fileName = name
            run.top = 10
            run.total = 100
            run.done = state == .running ? 40 : 100
            run.state = state.rawValue
            run.startedAt = clock.now.addingTimeInterval(-minutesAgo * 60)
            run.touchedAt = run.startedAt
            try await run.create(on: app.db)
            return try run.requireID()
        }
        // A run whose process went away while it ranked: still moving a minute ago, then no more.
        let abandoned = try await run("中断的清单.csv", minutesAgo: 1, state: .running)
        let running = try await office.get("/innovation/batch/\(abandoned.uuidString)").body.string
        XCTAssertTrue(running.contains("已完成 40 / 100 项需求"), String(running.prefix(1500)))
        clock.advance(minutes: 10)
        let interrupted = try await office.get("/innovation/batch/\(abandoned.uuidString)").body.string
        XCTAssertTrue(interrupted.contains("匹配已中断"), String(interrupted.prefix(1500)))
        XCTAssertFalse(interrupted.contains("http-equiv=\"refresh\""), "an interrupted run no longer refreshes")

        // Twenty runs older than that one; a new upload keeps the newest twenty of the 22, so the two oldest go.
        for index in 1...20 { _ = try await run("旧清单\(index).csv", minutesAgo: Double(100 - index)) }
        let started = try await multipart(
            office, "/innovation/batch", fields: [:], files: [("file", "新清单.csv", Data("id,title\nD1,储能电芯寿命".utf8))])
        XCTAssertEqual(started.status, .seeOther)
        let names = try await BatchRun.query(on: app.db).all().map(\.fileName)
        XCTAssertEqual(names.count, BatchRuns.keptPerOwner)
        XCTAssertTrue(names.contains("新清单.csv"))
        XCTAssertFalse(names.contains("旧清单1.csv"), "the oldest runs are forgotten")
        XCTAssertFalse(names.contains("旧清单2.csv"))
        XCTAssertTrue(names.contains("旧清单3.csv"))
        XCTAssertTrue(names.contains("中断的清单.csv"), "started after the old ones, so still among the newest")
    }
}
