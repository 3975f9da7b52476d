/// Fictional 科技工作者 for the demo province: rows in the people import template's column order
/// (`PeopleImport.templateHeader`), each of which passes `PersonProfileValidator`, so the demo stores
/// them through the same validation and sealing as an import. Names, phones, 身份证号 and e-mail
/// addresses are made up; phones and 身份证号 are unique per index.
public enum DemoPeople {
    /// A place a person works in: a city, and a county or nil for the city itself.
    public struct Place: Sendable {
        public let city: String
        public let county: String?

        public init(city: String, county: String?) {
            self.city = city
            self.county = county
        }
    }

    /// One generated person: the template row and what the demo needs to place them (their field of
    /// work, for societies and expert pools).
    public struct Generated: Sendable {
        public let row: [String]
        public let domain: Domain
        public let place: Place
        public let name: String
        public let titleLevel: TitleLevel
    }

    public enum Domain: String, Sendable, CaseIterable {
        case agriculture, tropicalCrops, rubber, medicine, computing, ocean, engineering, chemistry, education

        /// 学科 (GB/T 13745 first level), 行业 (GB/T 4754 section), titles per level (senior first),
        /// research directions, the kind of employer.
        var profile: (disciplines: [String], industry: String, titles: [String], directions: [String], employers: [String]) {
            switch self {
            case .agriculture:
                return (
                    ["210", "180"], "A", ["正高级农艺师", "高级农艺师", "农艺师", "助理农艺师"],
                    ["水稻育种", "冬季瓜菜生产", "测土配方施肥", "病虫害绿色防控", "智慧农业", "南繁育种", "设施农业"],
                    ["农业技术推广中心", "农业科学研究所", "种业有限公司"]
                )
            case .tropicalCrops:
                return (
                    ["210", "220"], "A", ["研究员", "副研究员", "助理研究员", "研究实习员"],
                    ["芒果栽培", "香蕉种质资源", "椰子种质创新", "槟榔黄化病防控", "胡椒栽培", "咖啡加工", "荔枝龙眼栽培"],
                    ["热带作物研究所", "热带农业科学院分院", "热带水果合作社"]
                )
            case .rubber:
                return (
                    ["210", "430"], "A", ["正高级农艺师", "高级农艺师", "农艺师", "助理农艺师"],
                    ["橡胶树栽培", "橡胶树割胶技术", "天然橡胶加工", "橡胶树白粉病防控", "胶乳保鲜", "橡胶材料"],
                    ["农垦橡胶集团", "橡胶研究所", "天然橡胶加工厂"]
                )
            case .medicine:
                return (
                    ["320", "330"], "Q", ["主任医师", "副主任医师", "主治医师", "医师"],
                    ["心血管内科", "热带病防治", "儿科学", "急诊医学", "慢病管理", "全科医学", "登革热防控"],
                    ["人民医院", "中医院", "疾病预防控制中心", "妇幼保健院"]
                )
            case .computing:
                return (
                    ["520", "510"], "I", ["正高级工程师", "高级工程师", "工程师", "助理工程师"],
                    ["人工智能", "大数据分析", "网络安全", "物联网", "数字孪生", "智慧城市", "工业互联网"],
                    ["信息技术有限公司", "大数据中心", "软件园"]
                )
            case .ocean:
                return (
                    ["240", "170"], "M", ["研究员", "副研究员", "助理研究员", "研究实习员"],
                    ["海洋牧场", "珊瑚礁保护", "石斑鱼养殖", "海洋环境监测", "深海探测", "海草床修复"],
                    ["海洋与渔业科学院", "海洋环境监测站", "水产养殖公司"]
                )
            case .engineering:
                return (
                    ["460", "470"], "C", ["正高级工程师", "高级工程师", "工程师", "助理工程师"],
                    ["智能装备", "数控技术", "新能源汽车", "风力发电", "储能技术", "电力系统自动化"],
                    ["机械制造有限公司", "电力公司", "新能源有限公司"]
                )
            case .chemistry:
                return (
                    ["530", "430"], "C", ["正高级工程师", "高级工程师", "工程师", "助理工程师"],
                    ["精细化工", "高分子材料", "催化剂", "复合材料", "石油化工"], ["化工有限公司", "新材料研究院", "石化公司"]
                )
            case .education:
                return (
                    ["880", "180"], "P", ["正高级教师", "高级教师", "一级教师", "二级教师"],
                    ["青少年科技创新", "科学教育", "人工智能教育", "STEM教育", "生物教学"], ["第一中学", "实验中学", "中心小学"]
                )
            }
        }
    }

    public static let surnames = Array("王李张刘陈杨黄赵吴周林符徐孙马朱胡郭何高罗郑梁谢宋唐许韩冯邓曹彭曾肖邢田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦黎吉莫").map(String.init)
    static let maleGiven = Array("伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊旭宁龙峰建国志文海东晨博泽宏亮成新春永庆德振嘉睿航哲瑞铭立学源昊毅锋松荣光江山兴坤").map(String.init)
    static let femaleGiven = Array("芳娜敏静丽艳娟霞秀燕玲丹萍红婷雪琳晶倩颖慧佳欣雅怡梅莉琴兰凤洁蕾薇璐瑶悦诗梦思雨文珊露月蓉英华美淑珍翠彤馨琪").map(String.init)
    static let political = ["中共党员", "中共党员", "中共党员", "群众", "群众", "九三学社社员", "民盟盟员", "农工党党员", "无党派人士", "共青团员"]
    static let ethnicities = ["汉族", "汉族", "汉族", "汉族", "汉族", "汉族", "黎族", "黎族", "苗族", "壮族"]

    /// `count` people spread over `places` and the domains, for a `today` that bounds birth dates.
    public static func generate(count: Int, places: [Place], today: Day, random: inout SeededRandom) -> [Generated] {
        precondition(!places.isEmpty, "places")
        var people: [Generated] = []
        people.reserveCapacity(count)
        for index in 0..<count {
            let domain = Domain.allCases[index % Domain.allCases.count]
            let profile = domain.profile
            let place = places[random.int(0..<places.count)]
            let male = random.chance(0.58)
            let surname = random.pick(surnames)
            let given = male ? maleGiven : femaleGiven
            let name = surname + random.pick(given) + (random.chance(0.7) ? random.pick(given) : "")
            let age = random.int(24...64)
            let year = today.year - age
            let month = random.int(1...12)
            let day = random.int(1...28)
            // Title by age: the young start at 初级, most of the over-45s are senior.
            let level: TitleLevel
            let titleIndex: Int
            switch age {
            case ..<30: (level, titleIndex) = random.chance(0.7) ? (.junior, 3) : (.intermediate, 2)
            case ..<40: (level, titleIndex) = random.chance(0.6) ? (.intermediate, 2) : (.associateSenior, 1)
            case ..<50: (level, titleIndex) = random.chance(0.6) ? (.associateSenior, 1) : (.senior, 0)
            default: (level, titleIndex) = random.chance(0.55) ? (.senior, 0) : (.associateSenior, 1)
            }
            let education = age < 30 ? random.pick(["硕士研究生", "大学本科"]) : random.pick(["博士研究生", "硕士研究生", "大学本科", "大学本科"])
            let degree = ["博士研究生": "博士", "硕士研究生": "硕士", "大学本科": "学士"][education] ?? "无"
            let area = place.county ?? place.city
            let employer = String((area.dropLast() + random.pick(profile.employers)).prefix(60))
            let phone = "199" + padded((index &* 7919 &+ 104_729) % 100_000_000, width: 8)
            let idNumber = Self.idNumber(index: index, year: year, month: month, day: day, male: male)
            let email = "yh\(padded(index, width: 4))@example.cn"
            let row = [
                name, male ? "男" : "女", "\(year)-\(padded(month, width: 2))", random.pick(ethnicities),
                age < 28 ? "共青团员" : random.pick(political), education, degree, profile.titles[titleIndex], level.label, employer,
                "云海省", place.city, place.county ?? "", profile.disciplines[index % profile.disciplines.count], profile.industry,
                random.pick(profile.directions), phone, email, idNumber,
            ]
            people.append(Generated(row: row, domain: domain, place: place, name: name, titleLevel: level))
        }
        return people
    }

    /// 46 (the demo's province code), four region digits and three sequence digits unique per index,
    /// the last of them odd for men.
    static func idNumber(index: Int, year: Int, month: Int, day: Int, male: Bool) -> String {
        let region = "4601" + padded((index / 500) % 100, width: 2)
        let sequence = (index % 500) * 2 + (male ? 1 : 0)
        let first17 =
            region + padded(year, width: 4) + padded(month, width: 2) + padded(day, width: 2)
            + padded(sequence % 1000, width: 3)
        let digits = first17.compactMap(\.wholeNumberValue)
        return first17 + String(UnicodeScalar(ResidentIDNumber.checkCharacter(for: digits)))
    }

    private static func padded(_ value: Int, width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
