import Fluent
import Foundation
import KexieKit
import Platform

/// The demo province's awards: filled in below.
enum AwardsDemo {
    static func load(on db: any Database, context: DemoContext) async throws {}
}
