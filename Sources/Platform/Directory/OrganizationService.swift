import Fluent
import Foundation
import Vapor

/// Creating, renaming, moving and deactivating organizations, always inside the actor's scope.
public struct OrganizationService: Sendable {
    let db: any Database
    let services: PlatformServices

    public init(db: any Database, services: PlatformServices) {
        self.db = db
        self.services = services
    }

    public struct Draft: Sendable {
        public var name: String
        public var kind: OrganizationKind?
        public var level: OrganizationLevel?
        public var parentID: UUID?
        public var region: String?
        public var establishedYear: Int?

        public init(
            name: String, kind: OrganizationKind?, level: OrganizationLevel?, parentID: UUID?, region: String? = nil,
            establishedYear: Int? = nil
        ) {
            self.name = name
            self.kind = kind
            self.level = level
            self.parentID = parentID
            self.region = region
            self.establishedYear = establishedYear
        }
    }

    public static let fieldOrder = ["name", "kind", "level", "parentID", "establishedYear"]

    func validate(_ draft: Draft, scope: Scope, excluding: UUID? = nil) async throws -> (FieldErrors, Organization?) {
        var errors = FieldErrors()
        let name = draft.name.trimmingCharacters(in: .whitespaces)
        if name.isEmpty || name.count > 100 { errors.add("name", "请填写组织名称（不超过 100 个字）") }
        if draft.kind == nil { errors.add("kind", "请选择组织类型") }
        if draft.kind == .association, draft.level == nil { errors.add("level", "科协需选择层级（省/市/县/乡镇）") }
        if let year = draft.establishedYear, !(1950...2100).contains(year) { errors.add("establishedYear", "成立年份应在 1950–2100 之间") }
        var parent: Organization?
        if let parentID = draft.parentID {
            parent = try await scope.organization(parentID, on: db)
            if parent == nil { errors.add("parentID", "上级组织不存在或不在您的管理范围内") }
        } else {
            errors.add("parentID", "请选择上级组织")
        }
        if !name.isEmpty, let parentID = draft.parentID {
            var query = Organization.query(on: db).filter(\.$parentID == parentID).filter(\.$name == name)
            if let excluding { query = query.filter(\.$id != excluding) }
            if try await query.first() != nil { errors.add("name", "同一上级组织下已有同名组织") }
        }
        return (errors, parent)
    }

    public func create(_ draft: Draft, actor: Actor) async throws -> Organization {
        try actor.require(PlatformPermission.orgsWrite)
        let (errors, parent) = try await validate(draft, scope: actor.scope)
        try errors.throwIfAny(order: Self.fieldOrder)
        guard let parent, let kind = draft.kind else { throw PlatformError.notFound }
        let org = Organization(
            name: draft.name.trimmingCharacters(in: .whitespaces), kind: kind,
            level: kind == .association ? draft.level : nil, parent: parent, region: draft.region?.nilIfBlank,
            establishedYear: draft.establishedYear)
        try await org.create(on: db)
        return org
    }

    /// Renames or re-classifies; the parent is changed only through `move`.
    public func update(
        _ id: UUID, name: String, kind: OrganizationKind?, level: OrganizationLevel?, region: String?,
        establishedYear: Int?, actor: Actor
    ) async throws -> Organization {
        try actor.require(PlatformPermission.orgsWrite)
        let org = try await actor.scope.requireOrganization(id, on: db)
        let draft = Draft(
            name: name, kind: kind, level: level, parentID: org.parentID ?? org.id, region: region,
            establishedYear: establishedYear)
        var (errors, _) = try await validate(draft, scope: Scope(rootPath: "/"), excluding: id)
        if org.parentID == nil { errors = errors.removing("parentID") }
        try errors.throwIfAny(order: Self.fieldOrder)
        org.name = name.trimmingCharacters(in: .whitespaces)
        if let kind { org.kind = kind }
        org.level = org.kind == .association ? level : nil
        org.region = region?.nilIfBlank
        org.establishedYear = establishedYear
        try await org.update(on: db)
        return org
    }

    /// Moves an organization (with its subtree) under a new parent inside the actor's scope. The acting
    /// organization itself cannot be moved by its own administrator, and nothing moves under itself.
    public func move(_ id: UUID, to newParentID: UUID, actor: Actor) async throws {
        try actor.require(PlatformPermission.orgsWrite)
        let scope = actor.scope
        let org = try await scope.requireOrganization(id, on: db)
        guard let newParent = try await scope.organization(newParentID, on: db) else {
            throw PlatformError.invalidInput(field: "parentID", message: "新的上级组织不存在或不在您的管理范围内")
        }
        if org.id == actor.actingOrganizationID || org.parentID == nil {
            throw PlatformError.invalidInput(field: "parentID", message: "不能移动您当前所代表的组织或根组织")
        }
        if newParent.path.hasPrefix(org.path) {
            throw PlatformError.invalidInput(field: "parentID", message: "不能把组织移动到它自己或它的下级组织之下")
        }
        let oldPath = org.path
        let newPath = newParent.path + (org.id?.uuidString.lowercased() ?? "") + "/"
        let depthChange = newParent.depth + 1 - org.depth
        try await services.writes.transaction(on: db) { tx in
            let subtree = try await Organization.query(on: tx).filter(\.$path =~ oldPath).all()
            for node in subtree {
                node.path = newPath + node.path.dropFirst(oldPath.count)
                node.depth += depthChange
                if node.id == org.id { node.parentID = newParent.id }
                try await node.update(on: tx)
            }
            try await SearchIndexStore(db: tx, writes: self.services.writes).movePaths(from: oldPath, to: newPath)
        }
    }

    /// Deactivation keeps the record (other modules refer to it) and hides it from choices.
    public func setActive(_ id: UUID, _ active: Bool, actor: Actor) async throws {
        try actor.require(PlatformPermission.orgsWrite)
        let org = try await actor.scope.requireOrganization(id, on: db)
        if org.id == actor.actingOrganizationID {
            throw PlatformError.invalidInput(field: nil, message: "不能停用您当前所代表的组织")
        }
        org.isActive = active
        try await org.update(on: db)
    }

    public func addDepartment(to id: UUID, name: String, actor: Actor) async throws -> Department {
        try actor.require(PlatformPermission.orgsWrite)
        let org = try await actor.scope.requireOrganization(id, on: db)
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 50 else {
            throw PlatformError.invalidInput(field: "departmentName", message: "请填写部门名称（不超过 50 个字）")
        }
        let orgID = try org.requireID()
        if try await Department.query(on: db).filter(\.$organizationID == orgID).filter(\.$name == trimmed).first() != nil {
            throw PlatformError.invalidInput(field: "departmentName", message: "该组织已有同名部门")
        }
        let department = Department(organizationID: orgID, name: trimmed)
        try await department.create(on: db)
        return department
    }
}

extension FieldErrors {
    func removing(_ field: String) -> FieldErrors {
        var copy = FieldErrors()
        for (key, value) in messages where key != field { copy.add(key, value) }
        return copy
    }
}

extension String {
    public var nilIfBlank: String? {
        let trimmed = trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
