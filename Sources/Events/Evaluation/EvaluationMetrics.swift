import Fluent
import Foundation
import Platform

/// The evaluation's figure for Plans and the cockpit (an average, so it has no list of records).
enum EvaluationMetrics {
    /// 活动评价均分: (内容 + 组织) ÷ 2 over every participant evaluation of events organized in the
    /// subtree that started within the period.
    static let average = MetricDefinition(id: "events.evaluation_average", label: "活动评价均分", unit: "分") { query, db in
        try await EvaluationService.evaluationAverage(query, on: db)
    }

    static var all: [MetricDefinition] { [average] }
}
