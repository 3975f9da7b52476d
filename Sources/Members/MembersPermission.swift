import Platform

/// The Members module's permissions. The system administrator is left out on purpose: under 三权分立
/// it runs the platform but does not read people's personal data.
enum MembersPermission {
    static let peopleRead = Permission("members.people.read", label: "查看科技工作者")
    static let peopleWrite = Permission("members.people.write", label: "登记与导入科技工作者")
    static let peopleVerify = Permission("members.people.verify", label: "实名核验")
    static let peopleReveal = Permission("members.people.reveal", label: "查看完整手机号与身份证号")
    static let membershipsManage = Permission("members.memberships.manage", label: "会员审核与管理")
    static let rolesManage = Permission("members.roles.manage", label: "管理三长、专家库与代表委员")
    static let deletionsDecide = Permission("members.deletions.decide", label: "审批注销申请")
    static let statistics = Permission("members.statistics", label: "科技工作者统计")

    static let all = [peopleRead, peopleWrite, peopleVerify, peopleReveal, membershipsManage, rolesManage, deletionsDecide, statistics]
}
