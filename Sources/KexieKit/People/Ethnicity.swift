/// 民族 as coded in GB 3304-91: the 56 ethnic groups in the standard's order
/// (codes 01–56), then 97 其他 (其他未识别民族) and 98 外国血统中国籍人士.
/// Raw values are the groups' common romanized names and never change.
public enum Ethnicity: String, ProfileVocabulary {
    case han
    case mongol
    case hui
    case tibetan
    case uyghur
    case miao
    case yi
    case zhuang
    case bouyei
    case korean
    case manchu
    case dong
    case yao
    case bai
    case tujia
    case hani
    case kazakh
    case dai
    case li
    case lisu
    case va
    case she
    case gaoshan
    case lahu
    case shui
    case dongxiang
    case naxi
    case jingpo
    case kyrgyz
    case tu
    case daur
    case mulao
    case qiang
    case blang
    case salar
    case maonan
    case gelao
    case xibe
    case achang
    case pumi
    case tajik
    case nu
    case uzbek
    case russian
    case evenki
    case deang
    case bonan
    case yugur
    case gin
    case tatar
    case derung
    case oroqen
    case hezhen
    case monba
    case lhoba
    case jino
    case other
    case foreignOrigin = "foreign_origin"

    /// GB 3304 two-digit code: "01" 汉族 … "56" 基诺族, "97" 其他, "98" 外国血统中国籍人士.
    public var gbCode: String {
        switch self {
        case .other: return "97"
        case .foreignOrigin: return "98"
        default:
            let number = (Self.allCases.firstIndex(of: self) ?? 0) + 1
            return number < 10 ? "0\(number)" : "\(number)"
        }
    }

    public var label: String {
        switch self {
        case .han: return "汉族"
        case .mongol: return "蒙古族"
        case .hui: return "回族"
        case .tibetan: return "藏族"
        case .uyghur: return "维吾尔族"
        case .miao: return "苗族"
        case .yi: return "彝族"
        case .zhuang: return "壮族"
        case .bouyei: return "布依族"
        case .korean: return "朝鲜族"
        case .manchu: return "满族"
        case .dong: return "侗族"
        case .yao: return "瑶族"
        case .bai: return "白族"
        case .tujia: return "土家族"
        case .hani: return "哈尼族"
        case .kazakh: return "哈萨克族"
        case .dai: return "傣族"
        case .li: return "黎族"
        case .lisu: return "傈僳族"
        case .va: return "佤族"
        case .she: return "畲族"
        case .gaoshan: return "高山族"
        case .lahu: return "拉祜族"
        case .shui: return "水族"
        case .dongxiang: return "东乡族"
        case .naxi: return "纳西族"
        case .jingpo: return "景颇族"
        case .kyrgyz: return "柯尔克孜族"
        case .tu: return "土族"
        case .daur: return "达斡尔族"
        case .mulao: return "仫佬族"
        case .qiang: return "羌族"
        case .blang: return "布朗族"
        case .salar: return "撒拉族"
        case .maonan: return "毛南族"
        case .gelao: return "仡佬族"
        case .xibe: return "锡伯族"
        case .achang: return "阿昌族"
        case .pumi: return "普米族"
        case .tajik: return "塔吉克族"
        case .nu: return "怒族"
        case .uzbek: return "乌孜别克族"
        case .russian: return "俄罗斯族"
        case .evenki: return "鄂温克族"
        case .deang: return "德昂族"
        case .bonan: return "保安族"
        case .yugur: return "裕固族"
        case .gin: return "京族"
        case .tatar: return "塔塔尔族"
        case .derung: return "独龙族"
        case .oroqen: return "鄂伦春族"
        case .hezhen: return "赫哲族"
        case .monba: return "门巴族"
        case .lhoba: return "珞巴族"
        case .jino: return "基诺族"
        case .other: return "其他"
        case .foreignOrigin: return "外国血统中国籍人士"
        }
    }

    /// Names without 族 ("汉", "蒙古") are how many people fill the column; the GB 3304
    /// code is accepted for HR exports; 崩龙族 was 德昂族's name until 1985.
    public var synonyms: [String] {
        var names = [gbCode]
        switch self {
        case .other: names += ["其他民族", "其他未识别民族", "未识别民族"]
        case .foreignOrigin: names += ["外国血统", "外国血统中国籍", "入籍"]
        case .deang: names += ["德昂", "崩龙族", "崩龙"]
        default: names.append(String(label.dropLast()))
        }
        return names
    }
}
