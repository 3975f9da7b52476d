import Fluent
import Foundation

/// The kinds of organization named in the glossary. Raw values are stored; never change them.
public enum OrganizationKind: String, Codable, CaseIterable, Sendable {
    case association = "association"
    case society = "society"
    case universityAssociation = "university_association"
    case enterpriseAssociation = "enterprise_association"
    case parkAssociation = "park_association"
    case hospitalAssociation = "hospital_association"
    case ruralTechAssociation = "rural_tech_association"
    /// An enterprise that posts technology demands; not an association but a party the platform serves.
    case enterprise = "enterprise"

    public var label: String {
        switch self {
        case .association: return "科协"
        case .society: return "学会"
        case .universityAssociation: return "高校科协"
        case .enterpriseAssociation: return "企业科协"
        case .parkAssociation: return "园区科协"
        case .hospitalAssociation: return "医疗卫生机构科协"
        case .ruralTechAssociation: return "农技协"
        case .enterprise: return "企业"
        }
    }
}

/// Administrative level of an association (科协). Other kinds have no level.
public enum OrganizationLevel: String, Codable, CaseIterable, Sendable {
    case province = "province"
    case city = "city"
    case county = "county"
    case township = "township"

    public var label: String {
        switch self {
        case .province: return "省级"
        case .city: return "市级"
        case .county: return "县级"
        case .township: return "乡镇（街道）"
        }
    }
}

/// A node of the organization tree. `path` is the materialized path of ids from the root ("/a/b/c/"),
/// which lets one `LIKE 'prefix%'` restrict any query to a subtree on SQLite and PostgreSQL alike.
public final class Organization: Model, @unchecked Sendable {
    public static let schema = "platform_organizations"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "kind") public var kind: OrganizationKind
    @OptionalField(key: "level") public var level: OrganizationLevel?
    @OptionalField(key: "parent_id") public var parentID: UUID?
    @Field(key: "path") public var path: String
    @Field(key: "depth") public var depth: Int
    @Field(key: "is_active") public var isActive: Bool
    @OptionalField(key: "region") public var region: String?
    @OptionalField(key: "established_year") public var establishedYear: Int?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(
        id: UUID = UUID(), name: String, kind: OrganizationKind, level: OrganizationLevel?,
        parent: Organization?, region: String? = nil, establishedYear: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.level = level
        self.parentID = parent?.id
        self.path = (parent?.path ?? "/") + id.uuidString.lowercased() + "/"
        self.depth = (parent?.depth ?? -1) + 1
        self.isActive = true
        self.region = region
        self.establishedYear = establishedYear
    }

    public var kindLabel: String {
        if kind == .association, let level { return level.label + kind.label }
        return kind.label
    }
}

/// An internal department (机关部室) or directly affiliated unit of an organization.
public final class Department: Model, @unchecked Sendable {
    public static let schema = "platform_departments"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organization_id") public var organizationID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "is_active") public var isActive: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID = UUID(), organizationID: UUID, name: String) {
        self.id = id
        self.organizationID = organizationID
        self.name = name
        self.isActive = true
    }
}
