import Fluent
import Foundation
import KexieKit
import Vapor

/// 评审: the stateful review engine every module with reviews uses (Awards, Societies, ThinkTank,
/// Popularization) without importing each other. Its own module in Platform: migrations, the manage
/// permission, navigation, pages, API, reminders.
public struct ReviewModule: KexieModule {
    public init() {}

    public var id: String { "review" }

    public var migrations: [any Migration] { [CreateReviewTables()] }

    public var permissions: [Permission] { [ReviewPermission.manage, ReviewPermission.participate] }

    public var errorCodes: [ErrorCodeEntry] { ReviewError.Code.catalog }

    public var navigation: [NavigationEntry] {
        [
            NavigationEntry(
                label: "我的评审", path: ReviewRoutes.myReviews(), permission: ReviewPermission.participate, order: 20, group: .workbench),
            NavigationEntry(
                label: "评审轮次", path: ReviewRoutes.rounds(), permission: ReviewPermission.manage, order: 360, group: .academic),
        ]
    }

    public var notices: [String: String] {
        [
            "review_saved": "评分已提交，截止前可以修改", "review_declined": "已声明回避，本任务已关闭",
            "review_drawn": "已抽取评审专家", "review_short": "已抽取评审专家，部分候选的专家人数不足",
            "review_assigned": "已指派评审专家", "review_aggregated": "已汇总排名",
        ]
    }

    public var backgroundJobs: [BackgroundJob] {
        [
            // 催评: unsubmitted assignments of rounds closing within 3 days, one message a day each.
            BackgroundJob(name: "platform.review_reminders", intervalSeconds: 86_400) { db, services in
                _ = try await ReviewService(db: db, services: services).sendReminders()
            }
        ]
    }

    public func registerAuditedModels(_ registrar: AuditRegistrar) {
        registrar.audit(ReviewRoundRecord.self)
        registrar.audit(ReviewCandidateRecord.self)
        registrar.audit(ReviewAssignmentRecord.self)
        registrar.audit(ReviewDrawEntry.self)
    }

    public func registerRoutes(_ routes: ModuleRoutes) throws {
        ReviewController().register(routes.web)
        ReviewAPIController().register(routes.api)
    }

    public var openAPIPaths: String { ReviewOpenAPI.paths }
    public var openAPISchemas: String { ReviewOpenAPI.schemas }
}

public enum ReviewPermission {
    /// Create rounds, add candidates, draw, assign, aggregate and read results of the subtree's rounds.
    public static let manage = Permission("platform.review.manage", label: "组织评审")
    /// Only shows 我的评审 in the navigation: an assignment belongs to one reviewer's account, and the
    /// pages check that, not this permission.
    public static let participate = Permission("platform.review.participate", label: "参加评审")
}

public enum ReviewRoutes: RouteCatalog {
    /// The reviewer's assignments, and one assignment's scoring page (GET shows, POST submits).
    public static let myReviews = SiteRoute<Void>("/reviews")
    public static let assignment = SiteRoute<UUID>("/reviews/:id")
    public static let declineAssignment = SiteRoute<UUID>("/reviews/:id/decline")
    /// Managers: the subtree's rounds, one round, its actions and its results export.
    public static let rounds = SiteRoute<Void>("/review-rounds")
    public static let round = SiteRoute<UUID>("/review-rounds/:id")
    public static let drawRound = SiteRoute<UUID>("/review-rounds/:id/draw")
    public static let aggregateRound = SiteRoute<UUID>("/review-rounds/:id/aggregate")
    public static let assignRound = SiteRoute<UUID>("/review-rounds/:id/assign")
    public static let roundResults = SiteRoute<UUID>("/review-rounds/:id/results")
    public static let apiResults = SiteRoute<UUID>("/api/v1/review-rounds/:id/results")
    public static let apiAssignments = SiteRoute<UUID>("/api/v1/review-rounds/:id/assignments")
    public static let apiScores = SiteRoute<UUID>("/api/v1/review-assignments/:id/scores")

    public static let all: [any AnySiteRoute] = [
        myReviews, assignment, declineAssignment, rounds, round, drawRound, aggregateRound, assignRound, roundResults, apiResults,
        apiAssignments, apiScores,
    ]
}
