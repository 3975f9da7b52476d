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
        expectEqual(try await Docking.find(id, on: app.db)?.state, .signed)
        return id
    }

    static let validStation = [
        "kind": "expert_workstation", "name": "云海绿源院士专家工作站", "hostName": "云海绿源新材料有限公司", "hostKind": "enterprise",
        "experts": "张院士 中国工程院院士 云海大学\n李明 研究员 云海省橡胶研究所", "validFrom": "2026-01-01", "validUntil": "2028-12-31",
        "region": "云海省东港市",
    ]

    /// The provincial office registers the expert workstation: its id and page path.
    private func registeredStation(_ office: Browser) async throws -> (id: UUID, path: String) {
        let created = try await office.post("/innovation/stations", Self.validStation)
        XCTAssertEqual(created.status, .seeOther, String(created.body.string.prefix(500)))
        let station = try await Station.query(on: app.db).filter(\.$name == "云海绿源院士专家工作站").first().required()
        let id = try station.requireID()
        XCTAssertEqual(created.location, "/innovation/stations/\(id.uuidString)?notice=created")
        return (id, "/innovation/stations/\(id.uuidString)")
    }

    /// The workstation with three activities over two years and a docking signed through it.
    private func stationWithActivities(_ office: Browser) async throws -> (path: String, docking: UUID) {
        let (id, path) = try await registeredStation(office)
        for (kind, day, title, people) in [
            ("visit", "2026-11-10", "院士团队进企业诊断再生胶工艺", "12"), ("training", "2026-03-05", "橡胶配方设计培训", "30"),
            ("problem", "2025-06-01", "解决脱硫螺杆磨损问题", ""),
        ] {
            let recorded = try await office.post(
                path + "/activities", ["kind": kind, "heldOn": day, "title": title, "participants": people])
            XCTAssertEqual(recorded.status, .seeOther, String(recorded.body.string.prefix(300)))
        }
        return (path, try await signedDocking(station: id))
    }

    func testAStationIsRegisteredOnlyWithANameAndAnOrderedValidity() async throws {
        let office = try await loggedIn("demo.orgadmin")
        expectEqual(try await loggedIn("demo.member").get("/innovation/stations").status, .forbidden)
        expectEqual(try await office.get("/innovation/stations/new").status, .ok)

        var noName = Self.validStation
        noName["name"] = ""
        let missing = try await office.post("/innovation/stations", noName)
        XCTAssertEqual(missing.status, .unprocessableEntity)
        XCTAssertEqual(missing.page.fieldError("name"), "请填写工作站名称（4–100 个字）")
        XCTAssertEqual(missing.page.fieldValue("hostName"), "云海绿源新材料有限公司", "what was typed stays")
        var backwards = Self.validStation
        backwards["validUntil"] = "2025-12-31"
        let reversed = try await office.post("/innovation/stations", backwards)
        XCTAssertEqual(reversed.status, .unprocessableEntity)
        XCTAssertEqual(reversed.page.fieldError("validUntil"), "结束日期不能早于开始日期")
        expectEqual(try await Station.query(on: app.db).count(), 1, "only the demo station")

        let (id, path) = try await registeredStation(office)
        let station = try await Station.find(id, on: app.db).required()
        XCTAssertEqual(station.organizationID, demo.province.id)
        let page = try await office.get(path).page
        XCTAssertEqual(page.element(id: "station-experts")?.elements("li").map(\.text), ["张院士 中国工程院院士 云海大学", "李明 研究员 云海省橡胶研究所"])
        XCTAssertEqual(page.element(id: "station-validity")?.text, "2026-01-01 至 2028-12-31")
        XCTAssertNil(page.element(id: "station-expired"))
    }

    func testAStationActivityIsRefusedBesideItsFieldWhenUntitledOrInTheFuture() async throws {
        let office = try await loggedIn("demo.orgadmin")
        let (_, path) = try await registeredStation(office)
        let before = try await StationActivity.query(on: app.db).count()
        let noTitle = try await office.post(path + "/activities", ["kind": "visit", "heldOn": "2026-11-10", "title": ""])
        XCTAssertEqual(noTitle.status, .unprocessableEntity)
        XCTAssertEqual(noTitle.page.fieldError("title"), "请填写活动内容")
        let future = try await office.post(path + "/activities", ["kind": "visit", "heldOn": "2099-01-01", "title": "专家进企业"])
        XCTAssertEqual(future.page.fieldError("heldOn"), "活动日期不能晚于今天")
        XCTAssertEqual(future.page.fieldValue("title"), "专家进企业")
        expectEqual(try await StationActivity.query(on: app.db).count(), before)
    }

    func testAStationPageCountsItsActivitiesAndDockingsByYear() async throws {
        let office = try await loggedIn("demo.orgadmin")
        let (path, dockingID) = try await stationWithActivities(office)
        expectEqual(try await Docking.find(dockingID, on: app.db)?.stationID.map { "/innovation/stations/\($0.uuidString)" }, path)

        let response = try await office.get(path)
        XCTAssertEqual(response.status, .ok)
        let page = response.page
        func year(_ year: Int) -> [String]? { page.element(id: "year-\(year)")?.children.map(\.text) }
        XCTAssertEqual(
            year(2026), ["2026", "1", "1", "0", "42", "1", "1", "12.50"],
            "this year: one visit, one training, 42 people, the docking signed for 12.5 万元")
        XCTAssertEqual(year(2025), ["2025", "0", "0", "1", "0", "0", "0", "0"])
        XCTAssertEqual(year(2024), ["2024", "0", "0", "0", "0", "0", "0", "0"])
        XCTAssertEqual(
            page.column(2, inTable: "station-activities"), ["院士团队进企业诊断再生胶工艺", "橡胶配方设计培训", "解决脱硫螺杆磨损问题"], "newest first")
        XCTAssertEqual(page.column(0, inTable: "station-activities"), ["2026-11-10", "2026-03-05", "2025-06-01"])
        let dockingLinks = page.rowElements(inTable: "station-dockings").flatMap { $0.elements("a") }.compactMap { $0.attribute("href") }
        XCTAssertTrue(dockingLinks.contains("/innovation/dockings/\(dockingID.uuidString)"), "the docking is linked: \(dockingLinks)")
    }

    func testAStationsActivitiesAreExported() async throws {
        let office = try await loggedIn("demo.orgadmin")
        let (path, _) = try await stationWithActivities(office)
        let csv = try await office.get(path + "?format=csv").csvLines
        XCTAssertEqual(csv.first, "日期,类型,活动内容,参与人数,备注")
        XCTAssertEqual(csv.dropFirst().first, "2026-11-10,专家服务,院士团队进企业诊断再生胶工艺,12,")
        XCTAssertEqual(csv.count, 4)
        let xlsx = try XLSXReader(data: Data(buffer: try await office.get(path + "?format=xlsx").body)).rows()
        XCTAssertEqual(xlsx.count, 4)
    }

    func testTheStationRegistryCountsThisYearFiltersAndMarksAnExpiredStation() async throws {
        let office = try await loggedIn("demo.orgadmin")
        let (path, _) = try await stationWithActivities(office)
        var old = Self.validStation
        old["name"] = "青石县橡胶学会科技服务站"
        old["kind"] = "service_station"
        old["validFrom"] = "2020-01-01"
        old["validUntil"] = "2025-12-31"
        expectEqual(try await office.post("/innovation/stations", old).status, .seeOther)
        let list = try await office.get("/innovation/stations").page
        let rows = list.rowElements(inTable: "stations")
        func row(_ name: String) -> ParsedElement? { rows.first { $0.children.first?.text == name } }
        XCTAssertNotNil(row("云海省热带作物学会青石县胶园科技服务站"), "the demo station of a society below")
        let station = row("云海绿源院士专家工作站")
        XCTAssertEqual(station?.elements(class: "station-activities").first?.text, "2")
        XCTAssertEqual(station?.elements(class: "station-dockings").first?.text, "1")
        XCTAssertEqual(station?.children.dropFirst(5).first?.text, "2 人")
        XCTAssertEqual(row("青石县橡胶学会科技服务站")?.elements(class: "badge").map(\.text), ["已过期"])
        XCTAssertEqual(station?.elements(class: "badge").count, 0)
        let experts = try await office.get("/innovation/stations?kind=expert_workstation").page.column(0, inTable: "stations")
        XCTAssertEqual(experts, ["云海绿源院士专家工作站"])
        let searched = try await office.get("/innovation/stations?q=" + Browser.encode("张院士") + "&kind=").page
        XCTAssertEqual(
            Set(searched.column(0, inTable: "stations")), ["云海绿源院士专家工作站", "青石县橡胶学会科技服务站"], "both list 张院士; the demo station does not")
        let listCSV = try await office.get("/innovation/stations?format=csv").csvLines
        XCTAssertTrue(listCSV.contains { $0.hasPrefix("云海绿源院士专家工作站,院士专家工作站,") }, listCSV.description)

        // A county outside the province's office sees neither the page nor the row.
        let county = try await loggedIn("demo.county1")
        expectEqual(try await county.get(path).status, .notFound)
        expectFalse(try await county.get("/innovation/stations").page.column(0, inTable: "stations").contains("云海绿源院士专家工作站"))
        expectEqual(
            try await county.post(path + "/activities", ["kind": "visit", "heldOn": "2026-11-10", "title": "闯入"]).status, .notFound)
    }

    func testFiguresCountASignedDockingAndExportTheBreakdowns() async throws {
        let office = try await loggedIn("demo.orgadmin")
        expectEqual(try await loggedIn("demo.enterprise").get("/innovation/figures").status, .forbidden)
        func headline(_ page: ParsedPage, _ id: String) -> String? {
            page.element(id: "headline-" + id)?.elements(class: "headline-value").first?.text
        }
        let empty = try await office.get("/innovation/figures").page
        XCTAssertEqual(headline(empty, "signed"), "0")

        try await signedDocking()
        let response = try await office.get("/innovation/figures")
        XCTAssertEqual(response.status, .ok)
        let page = response.page
        XCTAssertEqual(headline(page, "signed"), "1")
        XCTAssertEqual(headline(page, "amount"), "12.50")
        XCTAssertEqual(headline(page, "supplies"), "6")
        let stages = try XCTUnwrap(page.element(id: "fig-stages"))
        XCTAssertEqual(stages.elements("svg").first?.attribute("role"), "img")
        let signedBar = stages.elements("rect").first { $0.attribute("data-label") == "签约" }
        XCTAssertEqual(signedBar?.attribute("data-value"), "1", "the stage chart")
        XCTAssertEqual(signedBar?.elements("title").first?.text, "签约：1")
        let industry = try XCTUnwrap(page.element(id: "fig-industry"))
        XCTAssertEqual(
            industry.elements("rect").filter { $0.attribute("data-label") == "C 制造业" }.map {
                [$0.attribute("data-series") ?? "", $0.attribute("data-value") ?? ""]
            },
            [["supply", "2"], ["demand", "2"], ["docking", "1"]])
        XCTAssertEqual(industry.elements("li").map(\.text), ["技术供给", "技术需求", "对接"], "the legend")
        XCTAssertTrue(
            page.rows(inTable: "table-industry").contains(["C 制造业", "2", "2", "1", "1", "12.50"]),
            page.rows(inTable: "table-industry").description)
        XCTAssertTrue(
            page.column(0, inTable: "table-society").contains("云海省橡胶学会"), "the society breakdown names where the supply came from")

        let csvResponse = try await office.get("/innovation/figures?format=csv&table=industry")
        let csv = csvResponse.body.string
        let csvLines = csvResponse.csvLines
        XCTAssertEqual(csvLines.first, "行业,技术供给（项）,技术需求（项）,对接（项）,签约（项）,合同金额（万元）")
        XCTAssertTrue(csvLines.contains("C 制造业,2,2,1,1,12.50"), csv)
        let societies = try XLSXReader(data: Data(buffer: try await office.get("/innovation/figures?format=xlsx&table=society").body))
            .rows()
        XCTAssertEqual(societies.first?.first, "学会")
        XCTAssertTrue(societies.contains { $0.first == "云海省橡胶学会" && $0.contains("12.50") })
        let lastYear = try await office.get("/innovation/figures?year=2025").page
        XCTAssertEqual(headline(lastYear, "signed"), "0")
        XCTAssertEqual(lastYear.selectedOption("year"), "2025")

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
        XCTAssertEqual(form.page.element(id: "batch-template")?.attribute("href"), "/innovation/batch/template.csv")
        let template = try await office.get("/innovation/batch/template.csv")
        XCTAssertEqual(template.csvLines.first, "编号,需求名称,需求描述,行业,地区")
        let templateRecords = try BatchRuns.parse(fileName: "模板.csv", data: Data(buffer: template.body))
        XCTAssertEqual(templateRecords.count, 2, "the template itself is a valid upload")

        // Refusals beside the file field: wrong type, nothing chosen, a bad header; and a bad count.
        let wrongType = try await multipart(
            office, "/innovation/batch", fields: ["top": "10"], files: [("file", "需求.txt", Data("id,title\n1,x".utf8))])
        XCTAssertEqual(wrongType.status, .unprocessableEntity)
        XCTAssertEqual(wrongType.page.fieldError("file"), "请上传 .xlsx、.csv 或 .jsonl 文件")
        let nothing = try await multipart(office, "/innovation/batch", fields: ["top": "10"], files: [])
        XCTAssertEqual(nothing.page.fieldError("file"), "请选择需求清单文件（.xlsx、.csv 或 .jsonl）")
        let noHeader = try await multipart(office, "/innovation/batch", fields: [:], files: [("file", "a.csv", Data("甲,乙\n1,2".utf8))])
        XCTAssertEqual(noHeader.page.fieldError("file"), "第 1 行需有列名 id（编号）和 title（需求名称）")
        let list = """
            编号,需求名称,需求描述,行业,地区
            D1,储能电芯循环寿命提升,储能电站用电芯循环寿命不足，需提升锂电池正极材料稳定性,C,云海省东港市
            D2,胶园割胶效率提升,胶工短缺，希望降低割胶频率、提高天然橡胶割胶效率,A,云海省
            D3,咕噜咕噜,嘀嗒嘀嗒 哗啦哗啦,,
            """
        let badTop = try await multipart(office, "/innovation/batch", fields: ["top": "99"], files: [("file", "需求.csv", Data(list.utf8))])
        XCTAssertEqual(badTop.status, .unprocessableEntity)
        XCTAssertEqual(badTop.page.fieldError("top"), "每项需求列出的成果数为 1 到 50")
        XCTAssertEqual(badTop.page.fieldValue("top"), "99")

        let started = try await multipart(
            office, "/innovation/batch", fields: ["top": "5"], files: [("file", "对接会需求.csv", Data(list.utf8))])
        XCTAssertEqual(started.status, .seeOther, String(started.body.string.prefix(500)))
        let jobPath = try started.location.required()
        XCTAssertTrue(jobPath.hasPrefix("/innovation/batch/"))

        var page = ParsedPage("")
        for _ in 0..<300 {
            page = try await office.get(jobPath).page
            if page.elements(attribute: "http-equiv", value: "refresh").isEmpty { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        XCTAssertEqual(page.element(id: "batch-status")?.text, "匹配完成")
        XCTAssertTrue(page.element(id: "batch-result")?.text.hasPrefix("共 3 项需求，用时") ?? false)
        XCTAssertEqual(page.element(id: "batch-download")?.attribute("href"), jobPath + "/result.xlsx")

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
        let listed = try await office.get("/innovation/batch").page
        let runs = listed.rowElements(inTable: "batch-runs")
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs.first?.children.first?.text, "对接会需求.csv")
        XCTAssertEqual(runs.first?.children.dropFirst(2).map(\.text), ["3", "已完成", "下载 Excel"])
        XCTAssertEqual(runs.first?.elements("a").last?.attribute("href"), jobPath + "/result.xlsx")
        let other = try await loggedIn("demo.society")
        let otherPage = try await other.get("/innovation/batch")
        XCTAssertEqual(otherPage.status, .ok)
        XCTAssertEqual(otherPage.page.rowElements(inTable: "batch-runs").count, 0, "another person's runs are not listed")
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
            run.state = state
            run.startedAt = clock.now.addingTimeInterval(-minutesAgo * 60)
            run.touchedAt = run.startedAt
            try await run.create(on: app.db)
            return try run.requireID()
        }
        // A run whose process went away while it ranked: still moving a minute ago, then no more.
        let abandoned = try await run("中断的清单.csv", minutesAgo: 1, state: .running)
        let running = try await office.get("/innovation/batch/\(abandoned.uuidString)").page
        XCTAssertEqual(running.element(id: "batch-status")?.text, "正在匹配")
        XCTAssertEqual(running.element(id: "batch-progress")?.attribute("value"), "40")
        XCTAssertEqual(running.element(id: "batch-progress")?.attribute("max"), "100")
        clock.advance(minutes: 10)
        let interrupted = try await office.get("/innovation/batch/\(abandoned.uuidString)").page
        XCTAssertEqual(interrupted.element(id: "batch-status")?.text, "匹配失败")
        XCTAssertEqual(interrupted.element(id: "batch-failure")?.text, "匹配已中断（服务曾重启或出错），请重新上传需求清单")
        XCTAssertEqual(
            interrupted.elements(attribute: "http-equiv", value: "refresh").count, 0, "an interrupted run no longer refreshes")

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
