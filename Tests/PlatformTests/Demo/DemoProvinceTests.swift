import Fluent
import Foundation
import KexieKit
import SQLKit
import XCTVapor

@testable import Innovation
@testable import KexieApp
@testable import Members
@testable import Plans
@testable import Platform
@testable import ServiceHall

/// The populated demo province (`kexie demo`): what it holds, that it is the same on every run, and
/// that it loads in a few seconds (on PostgreSQL too, with DATABASE_URL).
final class DemoProvinceTests: KexieTestCase {
    func expectMore(_ actual: Int, _ minimum: Int, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertGreaterThan(actual, minimum, message, file: file, line: line)
    }

    func count(_ sql: String) async throws -> Int {
        let row = try await app.db.sql().raw(SQLQueryString(sql)).first()
        return try row?.decode(column: "n", as: Int.self) ?? -1
    }

    func testTheProvinceHoldsEveryKindOfRecordAndLoadsInUnderTenSeconds() async throws {
        let started = Date()
        _ = try await DemoFixture.load(app, populated: true)
        let seconds = Date().timeIntervalSince(started)
        print("demo province loaded in \(String(format: "%.2f", seconds)) s (\(TestApp.usesPostgres ? "PostgreSQL" : "SQLite"))")
        XCTAssertLessThan(seconds, 10, "the demo province loads in a few seconds")

        // People: 400 with complete profiles, sealed phones and 身份证号, in every city and county.
        expectEqual(try await Person.query(on: app.db).count(), 400)
        expectEqual(try await Person.query(on: app.db).filter(\.$idNumberCipher == nil).count(), 0)
        expectEqual(try await Person.query(on: app.db).filter(\.$researchDirection == nil).count(), 0)
        expectEqual(try await count("SELECT COUNT(DISTINCT county) AS n FROM platform_people WHERE county <> ''"), 8)
        expectEqual(try await count("SELECT COUNT(*) AS n FROM platform_search_documents WHERE kind = 'person'"), 400)
        let person = try await Person.query(on: app.db).first()
        XCTAssertFalse(person?.phoneCipher.hasPrefix("199") ?? true, "phones are sealed")

        // Members in every society (the ten provincial ones and the two county ones).
        let societies = try await Organization.query(on: app.db).filter(\.$kind == .society).all()
        XCTAssertEqual(societies.count, 12)
        for society in societies {
            let active = try await Membership.query(on: app.db).filter(\.$organizationID == society.requireID())
                .filter(\.$status == .active).count()
            XCTAssertGreaterThan(active, 0, "\(society.name) has members")
        }
        expectEqual(try await Membership.query(on: app.db).filter(\.$memberNumber == nil).filter(\.$status == .active).count(), 0)
        expectMore(try await Membership.query(on: app.db).filter(\.$status == .applied).count(), 0)
        // Experts in every pool, 三长 of every kind, representatives, 注销申请 waiting.
        for role in ExpertRole.allCases {
            expectMore(try await ExpertRoleRecord.query(on: app.db).filter(\.$role == role).count(), 0, "\(role.label)")
        }
        for kind in ThreeHeadKind.allCases {
            expectEqual(try await ThreeHead.query(on: app.db).filter(\.$kind == kind).count(), 8, "\(kind.label) in every county")
        }
        expectMore(try await Representative.query(on: app.db).count(), 50)
        expectMore(try await DeletionRequest.query(on: app.db).filter(\.$status == .pending).count(), 0)

        // Cases in every state, spread over the past months, some adopted, rated ones with ratings.
        for state in ServiceHallCaseWorkflow.State.allCases {
            expectMore(try await ServiceCase.query(on: app.db).filter(\.$state == state).count(), 0, "\(state) cases")
        }
        expectMore(try await ServiceCase.query(on: app.db).filter(\.$rating != nil).count(), 0)
        expectMore(try await ServiceCase.query(on: app.db).filter(\.$adoptedOn != nil).count(), 0)
        let months = try await count("SELECT COUNT(DISTINCT substr(received_on, 1, 7)) AS n FROM servicehall_cases")
        XCTAssertGreaterThanOrEqual(months, 6, "received over six months")

        // Two imported plans with tasks in every state and progress status, and progress reports.
        expectEqual(try await PlanRecord.query(on: app.db).filter(\.$status == .active).count(), 2)
        for state in PlanTaskWorkflow.State.allCases {
            expectMore(try await PlanTask.query(on: app.db).filter(\.$state == state).count(), 0, "\(state) tasks")
        }
        let plans = try await PlanRecord.query(on: app.db).all()
        let today = Day.today(now: clock.now)
        var statuses = Set<TaskProgress.Status>()
        for plan in plans {
            for task in try await PlanTask.query(on: app.db).filter(\.$planID == plan.requireID()).all() where task.state != .done {
                statuses.insert(PlanService.status(of: task, plan: plan, today: today).progress.status)
            }
        }
        XCTAssertEqual(statuses, Set(TaskProgress.Status.allCases), "tasks on track, behind and far behind")
        expectMore(try await PlanProgressReport.query(on: app.db).count(), 10)

        // The province's size, the same on every run (seeded).
        expectEqual(try await Membership.query(on: app.db).count(), 703)
        expectEqual(try await Membership.query(on: app.db).filter(\.$status == .active).count(), 472)
        expectEqual(try await Expert.query(on: app.db).count(), 136)
        expectEqual(try await Representative.query(on: app.db).count(), 175)
        expectEqual(try await ServiceCase.query(on: app.db).count(), 74)
        expectEqual(try await PlanTask.query(on: app.db).filter(\.$included == true).count(), 17)
        expectEqual(try await Posting.query(on: app.db).count(), 58)
        expectEqual(try await Docking.query(on: app.db).count(), 13)
        expectEqual(try await Station.query(on: app.db).count(), 12)

        // Supplies and demands over cities and dates; dockings in every stage; stations.
        expectMore(try await count("SELECT COUNT(DISTINCT region) AS n FROM innovation_postings"), 4)
        expectMore(try await count("SELECT COUNT(DISTINCT published_on) AS n FROM innovation_postings"), 30)
        for state in DockingWorkflow.State.allCases {
            expectMore(try await Docking.query(on: app.db).filter(\.$state == state).count(), 0, "\(state) dockings")
        }
        for kind in Station.Kind.allCases {
            expectMore(try await Station.query(on: app.db).filter(\.$kind == kind).count(), 0, "\(kind.label)")
        }
    }

    /// Same seed, same province: two loads into two databases hold the same people, numbers and cases.
    func testTheProvinceIsTheSameOnEveryRun() async throws {
        _ = try await DemoFixture.load(app, populated: true)
        let first = try await fingerprint(app)
        try await app.asyncShutdown()
        (app, clock) = try await TestApp.make()
        _ = try await DemoFixture.load(app, populated: true)
        let second = try await fingerprint(app)
        XCTAssertEqual(first, second)
    }

    func fingerprint(_ app: Application) async throws -> [String] {
        let people = try await Person.query(on: app.db).sort(\.$name).all().map { "\($0.name) \($0.birthMonth) \($0.employer ?? "")" }
        let numbers = try await Membership.query(on: app.db).all().compactMap(\.memberNumber).sorted()
        let cases = try await ServiceCase.query(on: app.db).all().map { "\($0.title) \($0.state.rawValue) \($0.receivedOn)" }.sorted()
        let tasks = try await PlanTask.query(on: app.db).all().map { "\($0.heading) \($0.state.rawValue) \($0.percent)" }.sorted()
        let dockings = try await Docking.query(on: app.db).all().map { "\($0.state.rawValue) \($0.proposedOn)" }.sorted()
        return people + numbers + cases + tasks + dockings
    }
}
