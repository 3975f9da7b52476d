import Foundation

/// One year's national arrangement as published by the State Council
/// (国务院办公厅关于部分节假日安排的通知).
public struct HolidayYear: Sendable, Equatable, Codable {
    public struct Holiday: Sendable, Equatable, Codable {
        public var name: String
        /// Inclusive.
        public var start: Day
        /// Inclusive.
        public var end: Day

        public init(name: String, start: Day, end: Day) {
            self.name = name
            self.start = start
            self.end = end
        }
    }

    public var year: Int
    /// Citation of the notice, shown to administrators.
    public var source: String?
    public var holidays: [Holiday]
    /// Weekend days that are working days (调休上班).
    public var adjustedWorkdays: [Day]

    public init(year: Int, source: String? = nil, holidays: [Holiday], adjustedWorkdays: [Day]) {
        self.year = year
        self.source = source
        self.holidays = holidays
        self.adjustedWorkdays = adjustedWorkdays
    }

    /// Checks what an administrator typed before it changes deadlines.
    /// Ranges may spill into a neighbouring year (元旦 2017 began on 2016-12-31).
    public func validate() throws {
        for holiday in holidays {
            guard holiday.start <= holiday.end else { throw HolidayScheduleError.invalidRange(holiday.name) }
            guard abs(holiday.start.year - year) <= 1, abs(holiday.end.year - year) <= 1,
                holiday.start.days(to: holiday.end) < 31
            else {
                throw HolidayScheduleError.invalidRange(holiday.name)
            }
        }
        for day in adjustedWorkdays {
            guard day.isWeekend else { throw HolidayScheduleError.adjustedWorkdayNotWeekend(day) }
            if holidays.contains(where: { $0.start <= day && day <= $0.end }) {
                throw HolidayScheduleError.adjustedWorkdayInsideHoliday(day)
            }
        }
    }
}

/// Local deviations, e.g. 广西“三月三” or a typhoon closure, keyed by an
/// administrative division code (GB/T 2260) or any code the app uses.
public struct RegionalOverride: Sendable, Equatable, Codable {
    public var region: String
    public var restDays: [Day]
    public var workdays: [Day]
    public var note: String?

    public init(region: String, restDays: [Day] = [], workdays: [Day] = [], note: String? = nil) {
        self.region = region
        self.restDays = restDays
        self.workdays = workdays
        self.note = note
    }

    /// A province code such as `450000` also covers its cities and counties
    /// (`450100`, `450102`), so one entry serves a whole province.
    func applies(to code: String) -> Bool {
        if code == region { return true }
        guard region.count == 6, code.count == 6, region.allSatisfy(\.isASCIIDigit),
            code.allSatisfy(\.isASCIIDigit)
        else { return false }
        var prefix = Substring(region)
        while prefix.hasSuffix("00") { prefix = prefix.dropLast(2) }
        return !prefix.isEmpty && code.hasPrefix(prefix)
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

public enum HolidayScheduleError: KexieKitError, Equatable {
    case malformedData(String)
    case missingBundledData
    case invalidRange(String)
    case adjustedWorkdayNotWeekend(Day)
    case adjustedWorkdayInsideHoliday(Day)

    public var code: String {
        switch self {
        case .malformedData: return "holiday_schedule.malformed"
        case .missingBundledData: return "holiday_schedule.missing_bundled"
        case .invalidRange: return "holiday_schedule.invalid_range"
        case .adjustedWorkdayNotWeekend: return "holiday_schedule.workday_not_weekend"
        case .adjustedWorkdayInsideHoliday: return "holiday_schedule.workday_inside_holiday"
        }
    }

    public var message: String {
        switch self {
        case .malformedData:
            return "节假日数据格式不正确"
        case .missingBundledData:
            return "缺少内置的法定节假日数据"
        case .invalidRange(let name):
            return "“\(name)”的放假起止日期不正确"
        case .adjustedWorkdayNotWeekend(let day):
            return "调休上班日 \(day) 不是周末，无需设置"
        case .adjustedWorkdayInsideHoliday(let day):
            return "调休上班日 \(day) 落在放假期间内"
        }
    }
}

/// National holidays and adjusted workdays for the years that have been
/// published, plus regional deviations.
public struct HolidaySchedule: Sendable {
    public private(set) var years: [Int: HolidayYear] = [:]
    public private(set) var regionalOverrides: [RegionalOverride] = []

    private var holidayNames: [Day: String] = [:]
    private var adjustedWorkdays: Set<Day> = []

    /// An empty schedule: every year is provisional, only weekends rest.
    public init() {}

    public init(years: [HolidayYear], regionalOverrides: [RegionalOverride] = []) throws {
        for year in years { try add(year) }
        for override in regionalOverrides { add(override) }
    }

    /// Reads the `cn-holidays.json` format: `{"years": [HolidayYear]}`.
    public init(json: Data) throws {
        struct File: Decodable { let years: [HolidayYear] }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: json)
        } catch {
            throw HolidayScheduleError.malformedData(String(describing: error))
        }
        try self.init(years: file.years)
    }

    /// The national schedule shipped with KexieKit.
    public static func bundled() throws -> HolidaySchedule { try bundledSchedule.get() }

    /// Read and parsed once per process: every deadline computation starts from it (the case steps,
    /// intake, the demo province's hundred cases), and the file never changes while the process runs.
    private static let bundledSchedule: Result<HolidaySchedule, HolidayScheduleError> = {
        guard let url = Bundle.module.url(forResource: "cn-holidays", withExtension: "json", subdirectory: "Resources"),
            let data = try? Data(contentsOf: url)
        else {
            return .failure(.missingBundledData)
        }
        do { return .success(try HolidaySchedule(json: data)) } catch let error as HolidayScheduleError {
            return .failure(error)
        } catch {
            return .failure(.missingBundledData)
        }
    }()

    /// Adds or replaces a year; a year added later (e.g. by an administrator)
    /// wins over the bundled one.
    public mutating func add(_ year: HolidayYear) throws {
        try year.validate()
        years[year.year] = year
        rebuildIndex()
    }

    public mutating func add(_ override: RegionalOverride) {
        regionalOverrides.append(override)
    }

    public func adding(_ year: HolidayYear) throws -> HolidaySchedule {
        var copy = self
        try copy.add(year)
        return copy
    }

    public func adding(_ override: RegionalOverride) -> HolidaySchedule {
        var copy = self
        copy.add(override)
        return copy
    }

    public func hasSchedule(for year: Int) -> Bool {
        years[year] != nil
    }

    /// Name of the national holiday covering `day`, if any.
    public func holidayName(on day: Day) -> String? {
        holidayNames[day]
    }

    func isWorkingDay(_ day: Day, region: String?) -> Bool {
        if let region {
            // Later entries win so an administrator can correct an earlier one.
            for override in regionalOverrides.reversed() where override.applies(to: region) {
                if override.workdays.contains(day) { return true }
                if override.restDays.contains(day) { return false }
            }
        }
        if adjustedWorkdays.contains(day) { return true }
        if holidayNames[day] != nil { return false }
        return !day.isWeekend
    }

    private mutating func rebuildIndex() {
        holidayNames = [:]
        adjustedWorkdays = []
        for year in years.values.sorted(by: { $0.year < $1.year }) {
            for holiday in year.holidays {
                var day = holiday.start
                while day <= holiday.end {
                    holidayNames[day] = holiday.name
                    day = day.adding(days: 1)
                }
            }
            adjustedWorkdays.formUnion(year.adjustedWorkdays)
        }
    }
}
